import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Debian redis-server per test, on loopback with its own port, folder and no snapshots
 * (environment.md). `kill('SIGKILL')` + `launch()` restart it on the same port, for outage tests.
 * A missing binary throws: the test fails, under CI=true as anywhere else (never a silent skip).
 */
export interface RedisHandle {
  host: string;
  port: number;
  url: string;
  launch(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  running(): boolean;
  stop(): Promise<void>;
}

function redisBinary(): string {
  const bin = process.env['REDIS_SERVER_BIN'] ?? '/usr/bin/redis-server';
  if (!existsSync(bin)) {
    throw new Error(`redis-server not found at ${bin}${process.env['CI'] === 'true' ? ' (CI=true: this test needs it)' : ''}: run scripts/install-system-deps.sh`);
  }
  return bin;
}

/** Sends PING until +PONG comes back. */
async function waitPong(host: string, port: number, deadlineMs: number, exited: () => string | null): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const gone = exited();
    if (gone) throw new Error(`redis-server exited: ${gone}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      const done = (v: boolean) => { s.destroy(); resolve(v); };
      s.setTimeout(300, () => done(false));
      s.once('error', () => done(false));
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => done(d.toString().startsWith('+PONG')));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on ${host}:${port} not ready within ${deadlineMs} ms`);
}

export async function startRedis(opts: { host?: string; port?: number; password?: string } = {}): Promise<RedisHandle> {
  const bin = redisBinary();
  const host = opts.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'pantau-redis-'));
  let port = opts.port ?? 20000 + Math.floor(Math.random() * 40000);
  let child: ChildProcess | null = null;
  let output = '';

  const launchOnce = async () => {
    let exit: string | null = null;
    output = '';
    const args = ['--port', String(port), '--bind', host, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'warning'];
    if (opts.password) args.push('--requirepass', opts.password);
    const c = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.once('error', (err) => { exit = err.message; });
    c.once('exit', (code, sig) => { exit = `code ${code} signal ${sig}`; });
    const keep = (d: Buffer) => { output = (output + d.toString()).slice(-4000); };
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    try {
      await waitPong(host, port, 10_000, () => exit);
    } catch (err) {
      c.kill('SIGKILL');
      child = null;
      throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
    }
  };

  const handle: RedisHandle = {
    host,
    get port() { return port; },
    get url() { return `redis://${host}:${port}`; },
    async launch() { await launchOnce(); },
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
      child = null;
    },
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    async stop() {
      await handle.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };

  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await launchOnce();
      return handle;
    } catch (err) {
      lastErr = err;
      if (opts.port !== undefined) break;
      port = 20000 + Math.floor(Math.random() * 40000);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastErr;
}
