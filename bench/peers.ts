/** Starting and measuring the Debian peers (exporters) for the benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { freePort, waitHttp } from '../test/helpers/influxd.js';

export interface Peer {
  url: string;
  /** CPU ms the peer process used so far (utime + stime). */
  cpuMs(): number;
  stop(): Promise<void>;
}

export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

/** Starts a Debian Go exporter on a free loopback port and waits until it answers `readyPath`. */
export async function startExporter(bin: string, args: (listen: string) => string[], readyPath = '/'): Promise<Peer> {
  if (!existsSync(bin)) throw new Error(`${bin} not found: install it (scripts/install-system-deps.sh)`);
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  let exited: string | null = null;
  let stderr = '';
  const child: ChildProcess = spawn(bin, args(listen), { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  child.on('exit', (code, sig) => {
    exited = `exit ${code ?? sig}: ${stderr}`;
  });
  const url = `http://${listen}`;
  try {
    await waitHttp(
      `${url}${readyPath}`,
      (s) => s === 200,
      10_000,
      bin,
      () => exited,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    cpuMs: () => processCpuMs(child.pid!),
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** GETs every URL with `concurrency` at a time; returns how many answered 200 with `ok(body)`. */
export async function scrapeAll(
  urls: readonly string[],
  concurrency: number,
  ok: (body: string) => boolean,
): Promise<number> {
  let next = 0;
  let good = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, async () => {
      while (next < urls.length) {
        const u = urls[next++]!;
        const res = await fetch(u, { signal: AbortSignal.timeout(30_000) });
        const body = await res.text();
        if (res.status === 200 && ok(body)) good++;
      }
    }),
  );
  return good;
}
