import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDaemon } from './daemon.js';

/** A free TCP port on 127.0.0.1 (the kernel picks it; closed again before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until `ok(status)` or the deadline; throws with what it last saw. */
export async function waitHttp(
  url: string,
  ok: (status: number) => boolean,
  deadlineMs: number,
  what: string,
  exited?: () => string | null,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < end) {
    const gone = exited?.();
    if (gone) throw new Error(`${what} exited before it was ready: ${gone}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (ok(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not ready within ${deadlineMs} ms (${last})`);
}

export interface InfluxdHandle {
  url: string;
  port: number;
  dir: string;
  /** SIGKILL, like a crash: no flush, no goodbye. */
  kill(): Promise<void>;
  /** Starts again on the same data dir and ports; waits for /ping 204. */
  restart(): Promise<void>;
  running(): boolean;
  /** Raw InfluxQL against /query, epoch ms (with `authEnabled`: pass a user). */
  query(db: string, q: string, auth?: { username: string; password: string }): Promise<InfluxQueryResult>;
  stop(): Promise<void>;
}

export interface InfluxQueryResult {
  results: Array<{
    series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>;
    error?: string;
  }>;
}

/** Debian's influxd (1.6.7); a missing binary fails the test. */
function influxdBinary(): string {
  const bin = process.env['INFLUXD_BIN'] ?? '/usr/bin/influxd';
  if (!existsSync(bin))
    throw new Error(`influxd not found at ${bin}: install Debian's influxdb (scripts/install-system-deps.sh)`);
  return bin;
}

/**
 * Starts Debian's InfluxDB 1.6.7 by hand (environment.md) on random loopback ports with a
 * temporary data dir; `kill()` and `restart()` simulate a crash and a recovery on the same data.
 */
export async function startInfluxd(
  opts: { cqRunInterval?: string; authEnabled?: boolean } = {},
): Promise<InfluxdHandle> {
  const bin = influxdBinary();
  const dir = mkdtempSync(join(tmpdir(), 'pantau-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(
    conf,
    [
      'reporting-enabled = false',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      `  auth-enabled = ${opts.authEnabled === true}`,
      '[ifql]',
      '  enabled = false',
      '[continuous_queries]',
      `  run-interval = "${opts.cqRunInterval ?? '1s'}"`,
      '  log-enabled = false',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  const daemon = createDaemon({
    name: 'influxd',
    bin,
    args: ['run', '-config', conf],
    readyUrl: `${url}/ping`,
    ready: (s) => s === 204,
  });
  const launch = () => daemon.launch();
  const kill = (signal: NodeJS.Signals) => daemon.kill(signal);

  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    port: httpPort,
    dir,
    kill: () => kill('SIGKILL'),
    restart: launch,
    running: daemon.running,
    async query(db, q, auth) {
      const u = new URL('/query', url);
      u.searchParams.set('db', db);
      if (auth) {
        u.searchParams.set('u', auth.username);
        u.searchParams.set('p', auth.password);
      }
      u.searchParams.set('epoch', 'ms');
      u.searchParams.set('q', q);
      const res = await fetch(u, { method: 'POST' });
      const body = (await res.json()) as InfluxQueryResult & { error?: string };
      if (!res.ok || body.error)
        throw new Error(`influx query failed (${res.status}): ${body.error ?? JSON.stringify(body)}`);
      return body;
    },
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
