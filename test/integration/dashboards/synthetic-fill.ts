/**
 * Fills InfluxDB with points in exactly the pantau metrics schema (docs/metrics.md) for the OKU
 * inventory: the stand-in for "lab + collector + sink" while those are being built. A few devices
 * are down, a few fibers have high attenuation, some alerts are open, so every panel has data.
 */
import { InfluxDB, type IPoint } from 'influx';
import type { Device } from '../../../core/types.js';
import { createPolicies } from './rollups.js';

const STATE_CODE = { UP: 0, DEGRADED: 1, DOWN: 2, UNREACHABLE: 3, MAINTENANCE: 4, UNKNOWN: 5 } as const;

export interface FillOptions {
  url: string;
  database: string;
  devices: readonly Device[];
  now: number;
  /** Minutes of 1-minute history to write (plus sparse optical history back to 25 h). */
  minutes?: number;
}

/** Deterministic pseudo-random in [0,1) so a failing run can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function fillSynthetic(opts: FillOptions): Promise<{ points: number; down: string[] }> {
  const influx = new InfluxDB({
    host: new URL(opts.url).hostname,
    port: Number(new URL(opts.url).port),
    database: opts.database,
  });
  await influx.createDatabase(opts.database);
  // The sink's policies: writes land in `raw` (default); `rollup_5m` is filled by runRollups().
  await createPolicies((q) => influx.queryRaw(q), opts.database);
  const rand = rng(42);
  const minutes = opts.minutes ?? 60;
  const start = opts.now - minutes * 60_000;
  // Every 25th device is down for the whole window: "tidak UP" panels and open alerts have rows.
  const down = opts.devices.filter((_, i) => i % 25 === 7).map((d) => d.id);
  const downSet = new Set(down);
  const points: IPoint[] = [];
  for (const d of opts.devices) {
    const tags = { device: d.id, type: d.type, kecamatan: d.kecamatan };
    const isDown = downSet.has(d.id);
    // High attenuation on some fibers: −26 (warning) and −29 (critical) dBm.
    const idx = opts.devices.indexOf(d);
    const rxBase = idx % 17 === 3 ? -29 : idx % 11 === 5 ? -26 : -18 - rand() * 5;
    for (let t = start; t <= opts.now; t += 60_000) {
      const ts = new Date(t);
      const rtt = 1 + rand() * 20;
      points.push({
        measurement: 'icmp',
        tags,
        timestamp: ts,
        fields: isDown
          ? { loss_pct: 100, up: 0 }
          : {
              rtt_min_ms: rtt * 0.8,
              rtt_avg_ms: rtt,
              rtt_max_ms: rtt * 1.5,
              jitter_ms: rand() * 3,
              loss_pct: rand() < 0.1 ? 33.3 : 0,
              up: 1,
            },
      });
      if (isDown) continue;
      if (d.type === 'service') {
        // An e-government application (issue 14): its http/tls/dns checks, as the probe kinds write them.
        const total = 40 + rand() * 400;
        const ok = rand() < 0.97 ? 1 : 0;
        points.push({
          measurement: 'http',
          tags,
          timestamp: ts,
          fields: {
            total_ms: total,
            dns_ms: total * 0.05,
            connect_ms: total * 0.1,
            tls_ms: total * 0.2,
            ttfb_ms: total * 0.6,
            status: ok ? 200 : 500,
            ok,
            bytes: 5_000 + rand() * 20_000,
          },
        });
        points.push({
          measurement: 'tls',
          tags,
          timestamp: ts,
          fields: { days_left: 20 + (idx % 12) * 15, ok: 1, handshake_ms: total * 0.2 },
        });
        points.push({ measurement: 'dns', tags, timestamp: ts, fields: { ms: 1 + rand() * 10, ok: 1 } });
        continue;
      }
      if (d.type === 'cctv') {
        points.push({
          measurement: 'camera',
          tags,
          timestamp: ts,
          fields: {
            reachable: 1,
            authenticated: 1,
            clock_drift_s: (rand() - 0.5) * 4,
            snapshot_ok: rand() < 0.95 ? 1 : 0,
            snapshot_latency_ms: 80 + rand() * 200,
            snapshot_bytes: 40_000 + rand() * 20_000,
            rtsp_ok: 1,
            rtsp_latency_ms: 20 + rand() * 50,
          },
        });
        continue;
      }
      const uptime = 86_400 + (t - start) / 1000;
      points.push({
        measurement: 'system',
        tags,
        timestamp: ts,
        fields: {
          uptime_s: uptime,
          cpu_load_pct: rand() * 60,
          temperature_c: 40 + rand() * 15,
          rebooted: 0,
          snmp_ok: 1,
        },
      });
      points.push({
        measurement: 'interface',
        tags: { ...tags, if_name: 'sfp1', uplink: 'true' },
        timestamp: ts,
        fields: {
          in_bps: 1e6 + rand() * 5e7,
          out_bps: 1e6 + rand() * 2e7,
          in_errors: rand() < 0.05 ? 1 : 0,
          out_errors: 0,
          in_discards: 0,
          out_discards: rand() < 0.05 ? 2 : 0,
          oper_up: 1,
          speed_bps: 1e9,
        },
      });
      if (d.type === 'fiber') {
        points.push({
          measurement: 'interface',
          tags: { ...tags, if_name: 'ether2', uplink: 'false' },
          timestamp: ts,
          fields: {
            in_bps: rand() * 1e7,
            out_bps: rand() * 1e7,
            in_errors: 0,
            out_errors: 0,
            in_discards: 0,
            out_discards: 0,
            oper_up: 1,
            speed_bps: 1e8,
          },
        });
        points.push({
          measurement: 'optical',
          tags: { ...tags, port: 'sfp1' },
          timestamp: ts,
          fields: { rx_dbm: rxBase + rand() * 0.3, tx_dbm: 2 + rand() * 0.2 },
        });
      }
      if (d.type === 'wifi')
        points.push({ measurement: 'wifi', tags, timestamp: ts, fields: { clients: Math.floor(rand() * 40) } });
    }
    // device_state is written on change only (metrics/points.ts): every device came UP two
    // days ago, long before the dashboards' range; the down ones went DOWN in the window, and one
    // is in MAINTENANCE (no `up` field, like the sink writes it).
    points.push({
      measurement: 'device_state',
      tags,
      timestamp: new Date(opts.now - 2 * 86_400_000),
      fields: { state: 'UP', up: 1, state_code: STATE_CODE.UP },
    });
    if (isDown)
      points.push({
        measurement: 'device_state',
        tags,
        timestamp: new Date(start + 60_000),
        fields: { state: 'DOWN', up: 0, state_code: STATE_CODE.DOWN },
      });
    else if (idx === 1)
      points.push({
        measurement: 'device_state',
        tags,
        timestamp: new Date(start + 60_000),
        fields: { state: 'MAINTENANCE', state_code: STATE_CODE.MAINTENANCE },
      });
    // Sparse optical history a day back, 0.5–2 dB better than now: the 24 h change.
    if (d.type === 'fiber' && !isDown) {
      for (let t = opts.now - 25 * 3600_000; t < start; t += 30 * 60_000) {
        points.push({
          measurement: 'optical',
          tags: { ...tags, port: 'sfp1' },
          timestamp: new Date(t),
          fields: { rx_dbm: rxBase + 0.5 + rand() * 1.5, tx_dbm: 2 },
        });
      }
    }
  }
  // Alerts: an open one per down device, and a resolved one elsewhere.
  for (const id of down) {
    const d = opts.devices.find((x) => x.id === id);
    if (!d) continue;
    const tags = { device: d.id, type: d.type, kecamatan: d.kecamatan, severity: 'critical', rule: 'device_down' };
    points.push({
      measurement: 'alert',
      tags: { ...tags, status: 'open' },
      timestamp: new Date(start + 120_000),
      fields: { title: `${d.name} DOWN`, text: 'Tidak ada balasan ICMP' },
    });
  }
  const first = opts.devices[0];
  if (first) {
    const tags = {
      device: first.id,
      type: first.type,
      kecamatan: first.kecamatan,
      severity: 'warning',
      rule: 'high_latency',
    };
    points.push({
      measurement: 'alert',
      tags: { ...tags, status: 'open' },
      timestamp: new Date(start + 300_000),
      fields: { title: `${first.name} latensi tinggi`, text: 'RTT > 100 ms' },
    });
    points.push({
      measurement: 'alert',
      tags: { ...tags, status: 'resolved' },
      timestamp: new Date(start + 900_000),
      fields: { title: `${first.name} latensi tinggi`, text: 'pulih' },
    });
  }
  for (let i = 0; i < points.length; i += 5000)
    await influx.writePoints(points.slice(i, i + 5000), { precision: 'ms' });
  return { points: points.length, down };
}
