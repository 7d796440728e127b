/**
 * The in-memory HistoryReader for `sink: none`: the last N points per device and series in
 * ring buffers, fed from the same points the sinks would write, for sparklines and the
 * availability table. Bounded: devices × 6 series × `pointsPerSeries` entries.
 */
import type { AvailabilityRow, HistoryPoint, HistoryQuery, HistoryReader, HistorySeries } from '../core/services.js';
import type { Point } from './point.js';
import { SERIES, pickStepS } from './history.js';

interface Entry { ts: number; values: Record<string, number> }

class Ring {
  private readonly buf: Array<Entry | undefined>;
  private head = 0;
  private n = 0;
  constructor(readonly capacity: number) { this.buf = new Array<Entry | undefined>(capacity); }
  push(e: Entry): void {
    // Same timestamp again (several points of one result): merge, like InfluxDB would.
    const last = this.n > 0 ? this.buf[(this.head - 1 + this.capacity) % this.capacity] : undefined;
    if (last && last.ts === e.ts) { Object.assign(last.values, e.values); return; }
    this.buf[this.head] = e;
    this.head = (this.head + 1) % this.capacity;
    this.n = Math.min(this.n + 1, this.capacity);
  }
  *entries(): Generator<Entry> {
    for (let i = 0; i < this.n; i++) {
      const e = this.buf[(this.head - this.n + i + this.capacity) % this.capacity];
      if (e) yield e;
    }
  }
}

const BY_MEASUREMENT = new Map<string, HistorySeries>(Object.entries(SERIES).map(([k, v]) => [v.measurement, k as HistorySeries]));

export interface MemoryHistory extends HistoryReader {
  /** Points of one probe result (or state change); the writer's points, never copied back out. */
  feed(points: readonly Point[]): void;
}

export function createMemoryHistory(opts: { pointsPerSeries: number }): MemoryHistory {
  const rings = new Map<string, Ring>();
  const deviceTags = new Map<string, { type: string; kecamatan: string }>();
  const ring = (device: string, series: HistorySeries) => {
    const key = `${device}\u0000${series}`;
    let r = rings.get(key);
    if (!r) rings.set(key, (r = new Ring(opts.pointsPerSeries)));
    return r;
  };

  function numeric(fields: Point['fields'], names: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of names) { const v = fields[n]; if (typeof v === 'number') out[n] = v; }
    return out;
  }

  return {
    feed(points) {
      // Interfaces and optical ports fold into one entry per device and timestamp.
      const traffic = new Map<string, { ts: number; uplink: Entry['values']; all: Entry['values']; hasUplink: boolean }>();
      const optical = new Map<string, { ts: number; sums: Record<string, number>; counts: Record<string, number> }>();
      for (const p of points) {
        const device = p.tags['device'];
        const series = BY_MEASUREMENT.get(p.measurement);
        if (!device || !series) continue;
        if (p.tags['type'] && p.tags['kecamatan']) deviceTags.set(device, { type: p.tags['type'], kecamatan: p.tags['kecamatan'] });
        const values = numeric(p.fields, SERIES[series].fields);
        const k = `${device}\u0000${p.ts}`;
        if (series === 'traffic') {
          const t = traffic.get(k) ?? { ts: p.ts, uplink: {}, all: {}, hasUplink: false };
          const isUp = p.tags['uplink'] === 'true';
          t.hasUplink ||= isUp;
          for (const [f, v] of Object.entries(values)) {
            t.all[f] = (t.all[f] ?? 0) + v;
            if (isUp) t.uplink[f] = (t.uplink[f] ?? 0) + v;
          }
          traffic.set(k, t);
        } else if (series === 'optical') {
          const o = optical.get(k) ?? { ts: p.ts, sums: {}, counts: {} };
          for (const [f, v] of Object.entries(values)) { o.sums[f] = (o.sums[f] ?? 0) + v; o.counts[f] = (o.counts[f] ?? 0) + 1; }
          optical.set(k, o);
        } else if (Object.keys(values).length > 0) {
          ring(device, series).push({ ts: p.ts, values });
        }
      }
      for (const [k, t] of traffic) ring(k.split('\u0000')[0]!, 'traffic').push({ ts: t.ts, values: t.hasUplink ? t.uplink : t.all });
      for (const [k, o] of optical) {
        const values = Object.fromEntries(Object.entries(o.sums).map(([f, s]) => [f, s / (o.counts[f] ?? 1)]));
        ring(k.split('\u0000')[0]!, 'optical').push({ ts: o.ts, values });
      }
    },
    async history(q: HistoryQuery): Promise<HistoryPoint[]> {
      const r = rings.get(`${q.deviceId}\u0000${q.series}`);
      if (!r) return [];
      const stepMs = (q.stepS ?? pickStepS(q.from, q.to)) * 1000;
      const buckets = new Map<number, { sums: Record<string, number>; counts: Record<string, number> }>();
      for (const e of r.entries()) {
        if (e.ts < q.from || e.ts >= q.to) continue;
        const b = Math.floor(e.ts / stepMs) * stepMs;
        const acc = buckets.get(b) ?? { sums: {}, counts: {} };
        for (const [f, v] of Object.entries(e.values)) { acc.sums[f] = (acc.sums[f] ?? 0) + v; acc.counts[f] = (acc.counts[f] ?? 0) + 1; }
        buckets.set(b, acc);
      }
      const fields = SERIES[q.series].fields;
      return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([ts, acc]) => ({
        ts,
        values: Object.fromEntries(fields.map((f) => [f, acc.counts[f] ? acc.sums[f]! / acc.counts[f]! : null])),
      }));
    },
    async availability(q): Promise<AvailabilityRow[]> {
      const acc = new Map<string, { up: number; n: number }>();
      for (const [key, r] of rings) {
        const [device, series] = key.split('\u0000') as [string, string];
        if (series !== 'icmp') continue;
        const tags = deviceTags.get(device);
        const group = q.groupBy === 'device' ? device : tags?.[q.groupBy];
        if (!group) continue;
        const a = acc.get(group) ?? { up: 0, n: 0 };
        for (const e of r.entries()) {
          const up = e.values['up'];
          if (e.ts < q.from || e.ts >= q.to || up === undefined) continue;
          a.up += up;
          a.n++;
        }
        acc.set(group, a);
      }
      return [...acc.entries()].filter(([, a]) => a.n > 0)
        .map(([key, a]) => ({ key, availabilityPct: (a.up / a.n) * 100, samples: a.n }))
        .sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}
