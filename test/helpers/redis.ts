import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDaemon } from './daemon.js';

/**
 * A real Debian redis-server per test (a Daemon, like influxd), on loopback with its own port,
 * folder and no snapshots (environment.md). `kill('SIGKILL')` + `launch()` restart it on the same port, for outage tests.
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
    throw new Error(
      `redis-server not found at ${bin}${process.env['CI'] === 'true' ? ' (CI=true: this test needs it)' : ''}: run scripts/install-system-deps.sh`,
    );
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
      const done = (v: boolean) => {
        s.destroy();
        resolve(v);
      };
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
  const daemon = createDaemon({
    name: 'redis-server',
    bin,
    args: () => [
      '--port',
      String(port),
      '--bind',
      host,
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--protected-mode',
      'no',
      '--loglevel',
      'warning',
      ...(opts.password ? ['--requirepass', opts.password] : []),
    ],
    waitReady: (exited) => waitPong(host, port, 10_000, exited),
  });

  const handle: RedisHandle = {
    host,
    get port() {
      return port;
    },
    get url() {
      return `redis://${host}:${port}`;
    },
    launch: () => daemon.launch(),
    kill: (signal = 'SIGKILL') => daemon.kill(signal),
    running: () => daemon.running(),
    async stop() {
      await daemon.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };

  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await daemon.launch();
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
