import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './influxd.js';
import { createDaemon } from './daemon.js';

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
  if (!existsSync(bin))
    throw new Error(
      `victoria-metrics not found at ${bin}: install Debian's victoria-metrics (scripts/install-system-deps.sh)`,
    );
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
  const daemon = createDaemon({
    name: 'victoria-metrics',
    bin,
    args: [
      `-storageDataPath=${dir}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      '-loggerLevel=ERROR',
    ],
    readyUrl: `${url}/health`,
    ready: (s) => s === 200,
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
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as ExportedSeries);
    },
    kill: () => kill('SIGKILL'),
    restart: launch,
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
