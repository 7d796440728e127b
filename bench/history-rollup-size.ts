/**
 * Disk size of the embedded 30-day history (history/rollups.ts, ADR 0801) for the OKU network:
 * every device's series (fiber: icmp, traffic, optical, system; cctv: icmp, camera; wifi: icmp,
 * traffic, wifi; village: icmp, traffic) filled for 30 days, one point per series per 5 minutes
 * (the row count depends on buckets, not on the probe rate), flushed as pantau does, then
 * VACUUMed and measured. Run: npx tsx bench/history-rollup-size.ts [days]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../core/config/load.js';
import { openStore } from '../core/store/store.js';
import { createRollups } from '../history/rollups.js';
import type { Point } from '../metrics/point.js';

const FIELDS: Record<string, Array<[string, Record<string, number>]>> = {
  fiber: [
    ['icmp', { rtt_avg_ms: 3.2, rtt_min_ms: 2.9, rtt_max_ms: 4.1, jitter_ms: 0.3, loss_pct: 0, up: 1 }],
    ['interface', { in_bps: 1.2e8, out_bps: 3.4e7 }],
    ['optical', { rx_dbm: -18.4, tx_dbm: 2.1 }],
    ['system', { cpu_load_pct: 12, temperature_c: 41, uptime_s: 1e6 }],
  ],
  cctv: [
    ['icmp', { rtt_avg_ms: 3.2, rtt_min_ms: 2.9, rtt_max_ms: 4.1, jitter_ms: 0.3, loss_pct: 0, up: 1 }],
    ['camera', { reachable: 1, snapshot_ok: 1, snapshot_latency_ms: 120, rtsp_ok: 1, rtsp_latency_ms: 40 }],
  ],
  wifi: [
    ['icmp', { rtt_avg_ms: 3.2, rtt_min_ms: 2.9, rtt_max_ms: 4.1, jitter_ms: 0.3, loss_pct: 0, up: 1 }],
    ['interface', { in_bps: 2.2e7, out_bps: 4e6 }],
    ['wifi', { clients: 17 }],
  ],
  village: [
    ['icmp', { rtt_avg_ms: 3.2, rtt_min_ms: 2.9, rtt_max_ms: 4.1, jitter_ms: 0.3, loss_pct: 0, up: 1 }],
    ['interface', { in_bps: 2.2e7, out_bps: 4e6 }],
  ],
};

export async function measure(
  days = 30,
): Promise<{ devices: number; series: number; rows: number; bytes: number; seconds: number }> {
  const { inventory } = loadConfig(fileURLToPath(new URL('../config/pantau.yaml', import.meta.url)), {});
  const dir = mkdtempSync(join(tmpdir(), 'pantau-rollup-size-'));
  const t0 = performance.now();
  try {
    const store = openStore(join(dir, 'pantau.db'));
    const rollups = createRollups(store);
    const start = Date.UTC(2026, 10, 1);
    let series = 0;
    for (const d of inventory.devices) series += FIELDS[d.type]?.length ?? 0;
    for (let ts = start; ts < start + days * 86_400_000; ts += 300_000) {
      const points: Point[] = [];
      for (const d of inventory.devices) {
        for (const [m, fields] of FIELDS[d.type] ?? []) {
          points.push({
            measurement: m,
            tags: {
              device: d.id,
              type: d.type,
              kecamatan: d.kecamatan,
              ...(m === 'interface' ? { if_name: 'sfp1', uplink: 'true' } : {}),
            },
            fields: { ...fields, ...(m === 'icmp' ? { rtt_avg_ms: 3 + Math.random() } : {}) },
            ts,
          });
        }
      }
      rollups.feed(points);
      rollups.flush(ts + 300_000);
    }
    rollups.flush(start + days * 86_400_000, { all: true });
    const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM history_rollup').get() as { n: number }).n;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.exec('VACUUM');
    store.close();
    return {
      devices: inventory.devices.length,
      series,
      rows,
      bytes: statSync(join(dir, 'pantau.db')).size,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await measure(Number(process.argv[2] ?? 30));
  console.log(JSON.stringify({ ...r, megabytes: +(r.bytes / 1e6).toFixed(1) }));
}
