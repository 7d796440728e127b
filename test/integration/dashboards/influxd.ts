/**
 * A throwaway InfluxDB 1.6.7 (Debian `influxd`) on a random loopback port with its data in a
 * temp dir. Private to the dashboard tests until test/helpers/influxd.ts lands.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Influxd {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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

export async function startInfluxd(opts: { binary?: string; readyTimeoutMs?: number } = {}): Promise<Influxd> {
  const dir = await mkdtemp(join(tmpdir(), 'pantau-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const conf = [
    'reporting-enabled = false',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]', `  dir = "${dir}/meta"`,
    '[data]', `  dir = "${dir}/data"`, `  wal-dir = "${dir}/wal"`, '  query-log-enabled = false',
    '[monitor]', '  store-enabled = false',
    '[http]', `  bind-address = "127.0.0.1:${httpPort}"`, '  log-enabled = false',
    '[ifql]', '  enabled = false',
    '[continuous_queries]', '  run-interval = "1s"',
  ].join('\n');
  await writeFile(join(dir, 'influxd.conf'), conf);
  const child: ChildProcess = spawn(opts.binary ?? 'influxd', ['run', '-config', join(dir, 'influxd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (err) => resolve(new Error(`influxd failed to start (is the Debian influxdb package installed?): ${err.message}`)));
    child.once('exit', (code) => resolve(new Error(`influxd exited with ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (;;) {
    const ready = await Promise.race([
      fetch(`${url}/ping`).then((r) => r.status === 204, () => false),
      exited.then((err) => { throw err; }),
    ]).catch(async (err: unknown) => { await stop(); throw err; });
    if (ready) return { url, port: httpPort, stop };
    if (Date.now() > deadline) { await stop(); throw new Error(`influxd not ready after ${opts.readyTimeoutMs ?? 30_000} ms: ${stderr}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
}
