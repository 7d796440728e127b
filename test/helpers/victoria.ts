import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitHttp } from './influxd.js';

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export interface VictoriaHandle {
  url: string;
  /** Flushes in-memory data and returns every series matching `match` (PromQL selector) from /api/v1/export. */
  export(match: string): Promise<ExportedSeries[]>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function vmBinary(): string {
  const bin = process.env['VICTORIA_METRICS_BIN'] ?? '/usr/bin/victoria-metrics';
  if (!existsSync(bin)) throw new Error(`victoria-metrics not found at ${bin}: install Debian's victoria-metrics (scripts/install-system-deps.sh)`);
  return bin;
}

/**
 * Starts Debian's victoria-metrics by hand on a random loopback port with a temp storage dir: a
 * real peer for /api/v2/write. Read back ONLY through its export API (its /query is a stub).
 */
export async function startVictoria(): Promise<VictoriaHandle> {
  const bin = vmBinary();
  const dir = mkdtempSync(join(tmpdir(), 'pantau-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function launch(): Promise<void> {
    let output = '';
    let exit: string | null = null;
    const c = spawn(bin, [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-loggerLevel=ERROR'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.once('error', (err) => { exit = err.message; });
    c.once('exit', (code, sig) => { exit = `code ${code} signal ${sig}`; });
    c.stdout?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
    c.stderr?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
    try {
      await waitHttp(`${url}/health`, (s) => s === 200, 30_000, 'victoria-metrics', () => exit);
    } catch (err) {
      c.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
    }
  }

  async function kill(signal: NodeJS.Signals): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
    child = null;
  }

  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    async export(match) {
      const f = await fetch(`${url}/internal/force_flush`);
      await f.arrayBuffer();
      const u = new URL('/api/v1/export', url);
      u.searchParams.set('match[]', match);
      // Export ends at "now" by default: ask for everything, future timestamps included.
      u.searchParams.set('start', '0');
      u.searchParams.set('end', '4102444800');
      const res = await fetch(u);
      const text = await res.text();
      if (!res.ok) throw new Error(`victoria export failed (${res.status}): ${text}`);
      return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ExportedSeries);
    },
    kill: () => kill('SIGKILL'),
    restart: launch,
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
