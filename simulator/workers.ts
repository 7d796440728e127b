import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_EXT } from '../core/paths.js';
import { Shard, type ShardCommand, type ShardInit, type ShardPlugin, type ShardStats } from './shard.js';

/** One shard, wherever it runs: a worker process or this process. */
export interface ShardHandle {
  start(init: ShardInit, progress: (started: number) => void): Promise<ShardStats>;
  command(cmd: ShardCommand): Promise<ShardStats | null>;
  stop(): Promise<void>;
  readonly pid: number | null;
}

export function inProcessShard(
  now: () => number,
  plugins: ShardPlugin[],
  onLog: (msg: string) => void,
): ShardHandle & { shard: Shard } {
  const shard = new Shard(now, plugins, onLog);
  return {
    shard,
    pid: null,
    async start(init, progress) {
      await shard.start(init, progress);
      return shard.stats();
    },
    async command(cmd) {
      return shard.command(cmd);
    },
    stop: () => shard.stop(),
  };
}

interface Reply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  op?: string;
  started?: number;
  msg?: string;
}

/**
 * A worker process running simulator/worker.ts (through tsx, or worker.js from dist/); inside `netns` (ip netns exec) when
 * given, so its sockets live in the lab's namespace while the parent stays where the operator is.
 */
export function processShard(opts: { netns: string | null; onLog: (msg: string) => void }): ShardHandle {
  // From the prebuilt tree (dist/, ADR 0011) the worker is plain JavaScript; from the sources it runs
  // through tsx (createRequire, not import.meta.resolve: under mocha tsx compiles this file as CommonJS).
  const worker = fileURLToPath(new URL(`./worker${CODE_EXT}`, import.meta.url));
  const node =
    CODE_EXT === '.js'
      ? [process.execPath, worker]
      : [process.execPath, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, worker];
  const cmd = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...node] : node;
  const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let progress: (n: number) => void = () => {};
  let exited: Error | null = null;
  child.on('message', (raw) => {
    const m = raw as Reply;
    if (m.op === 'progress') {
      progress(m.started ?? 0);
      return;
    }
    if (m.op === 'log') {
      opts.onLog(m.msg ?? '');
      return;
    }
    const p = m.id === undefined ? undefined : pending.get(m.id);
    if (!p) return;
    pending.delete(m.id!);
    if (m.ok) p.resolve(m.result ?? null);
    else p.reject(new Error(m.error ?? 'worker failed'));
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`lab worker exited (${code ?? signal})`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
  });
  const request = (msg: Record<string, unknown>): Promise<unknown> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...msg, id }, (err) => {
        if (err) {
          pending.delete(id);
          reject(err);
        }
      });
    });
  };
  return {
    pid: child.pid ?? null,
    start(init, onProgress) {
      progress = onProgress;
      return request({ op: 'start', init }) as Promise<ShardStats>;
    },
    command: (c) => request({ op: 'command', cmd: c }) as Promise<ShardStats | null>,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        request({ op: 'stop' }).catch(() => {}),
        new Promise((r) => {
          grace = setTimeout(r, 5000);
        }),
      ]);
      clearTimeout(grace);
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    },
  };
}
