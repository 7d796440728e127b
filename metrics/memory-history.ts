/**
 * The in-memory HistoryReader for `sink: none`: the last N points per device and series in
 * ring buffers, fed from the same points the sinks would write, for sparklines and the
 * availability table. Bounded: devices × 6 series × `pointsPerSeries` entries (columnar, see Ring).
 */
import type { AvailabilityRow, HistoryPoint, HistoryQuery, HistoryReader, HistorySeries } from '../core/services.js';
import type { Point } from './point.js';
import { SERIES, pickStepS } from './history.js';

/** A ring's first size when it grows by time (`windowMs`): an hour of a series polled every minute. */
export const INITIAL_ENTRIES = 64;

/**
 * The newest entries of one device's series, columnar: timestamps in a Float64Array, the series'
 * fields in one Float32Array (NaN = no value): ~32 B per ICMP entry instead of ~150 B for an
 * `{ ts, values: {…} }` object (issue 12). Float32 keeps 7 significant digits; readers round to that.
 *
 * At most `max` entries. With a `windowMs`, a ring starts at INITIAL_ENTRIES and doubles (up to
 * `max`) only while it does not reach `windowMs` back: a series polled every 60 s keeps ~64 entries
 * (an hour) instead of 360 (six hours nobody reads: longer ranges come from the rollups, ADR 0803),
 * an ICMP series every 10 s grows to 360. Without `windowMs`: `max` entries from the start.
 */
class Ring {
  private ts: Float64Array;
  private vals: Float32Array;
  private capacity: number;
  private head = 0;
  private n = 0;
  constructor(
    readonly max: number,
    readonly width: number,
    readonly windowMs?: number,
  ) {
    this.capacity = windowMs === undefined ? max : Math.min(max, INITIAL_ENTRIES);
    this.ts = new Float64Array(this.capacity);
    this.vals = new Float32Array(this.capacity * width).fill(Number.NaN);
  }
  /** `values[k]` is field k of the series (NaN: none). Same timestamp again (several points of one result): merged, like InfluxDB would. */
  push(ts: number, values: ArrayLike<number>): void {
    const last = (this.head - 1 + this.capacity) % this.capacity;
    if (this.n > 0 && this.ts[last] === ts) {
      for (let k = 0; k < this.width; k++) if (!Number.isNaN(values[k]!)) this.vals[last * this.width + k] = values[k]!;
      return;
    }
    // Full, and the entry about to be overwritten is younger than the window: grow instead.
    if (this.n === this.capacity && this.capacity < this.max && ts - this.ts[this.head]! < this.windowMs!) this.grow();
    this.ts[this.head] = ts;
    for (let k = 0; k < this.width; k++) this.vals[this.head * this.width + k] = values[k]!;
    this.head = (this.head + 1) % this.capacity;
    this.n = Math.min(this.n + 1, this.capacity);
  }
  /** Doubles the capacity (at most `max`), entries kept oldest first. */
  private grow(): void {
    const capacity = Math.min(this.max, this.capacity * 2);
    const ts = new Float64Array(capacity);
    const vals = new Float32Array(capacity * this.width).fill(Number.NaN);
    this.forEach((t, slot, i) => {
      ts[i] = t;
      vals.set(this.vals.subarray(slot * this.width, (slot + 1) * this.width), i * this.width);
    });
    this.ts = ts;
    this.vals = vals;
    this.head = this.n;
    this.capacity = capacity;
  }
  /** Oldest first: `fn(ts, slot, i)`; read field k of the entry with `value(slot, k)`. */
  forEach(fn: (ts: number, slot: number, i: number) => void): void {
    for (let i = 0; i < this.n; i++) {
      const slot = (this.head - this.n + i + this.capacity) % this.capacity;
      fn(this.ts[slot]!, slot, i);
    }
  }
  value(slot: number, k: number): number {
    return this.vals[slot * this.width + k]!;
  }
}

/** 7 significant digits: what a Float32 holds (so -18.2 reads back as -18.2, not -18.200000762939453). */
const digits7 = (x: number): number => Number(x.toPrecision(7));

const UP = SERIES.icmp.fields.indexOf('up');
const BY_MEASUREMENT = new Map<string, HistorySeries>(
  Object.entries(SERIES).map(([k, v]) => [v.measurement, k as HistorySeries]),
);

export interface MemoryHistory extends HistoryReader {
  /** Points of one probe result (or state change); the writer's points, never copied back out. */
  feed(points: readonly Point[]): void;
}

/**
 * `pointsPerSeries`: at most this many entries per device and series. `windowMs` (the embedded
 * history's reach, see Ring): keep no more than needed to reach that far back.
 */
export function createMemoryHistory(opts: { pointsPerSeries: number; windowMs?: number }): MemoryHistory {
  const rings = new Map<string, Ring>();
  const deviceTags = new Map<string, { type: string; kecamatan: string }>();
  const ring = (device: string, series: HistorySeries) => {
    const key = `${device}\u0000${series}`;
    let r = rings.get(key);
    if (!r) rings.set(key, (r = new Ring(opts.pointsPerSeries, SERIES[series].fields.length, opts.windowMs)));
    return r;
  };
  /** A series' fields in its order (NaN where a value is missing) from a name → value record. */
  const row = (series: HistorySeries, values: Record<string, number>): number[] =>
    SERIES[series].fields.map((f) => values[f] ?? Number.NaN);

  function numeric(fields: Point['fields'], names: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of names) {
      const v = fields[n];
      if (typeof v === 'number') out[n] = v;
    }
    return out;
  }

  return {
    feed(points) {
      // Interfaces and optical ports fold into one entry per device and timestamp.
      const traffic = new Map<
        string,
        { ts: number; uplink: Record<string, number>; all: Record<string, number>; hasUplink: boolean }
      >();
      const optical = new Map<string, { ts: number; sums: Record<string, number>; counts: Record<string, number> }>();
      for (const p of points) {
        const device = p.tags['device'];
        const series = BY_MEASUREMENT.get(p.measurement);
        if (!device || !series) continue;
        const type = p.tags['type'];
        const kecamatan = p.tags['kecamatan'];
        if (type && kecamatan) {
          const known = deviceTags.get(device);
          if (known?.type !== type || known.kecamatan !== kecamatan) deviceTags.set(device, { type, kecamatan });
        }
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
          for (const [f, v] of Object.entries(values)) {
            o.sums[f] = (o.sums[f] ?? 0) + v;
            o.counts[f] = (o.counts[f] ?? 0) + 1;
          }
          optical.set(k, o);
        } else if (Object.keys(values).length > 0) {
          ring(device, series).push(p.ts, row(series, values));
        }
      }
      for (const [k, t] of traffic)
        ring(k.split('\u0000')[0]!, 'traffic').push(t.ts, row('traffic', t.hasUplink ? t.uplink : t.all));
      for (const [k, o] of optical) {
        const values = Object.fromEntries(Object.entries(o.sums).map(([f, s]) => [f, s / (o.counts[f] ?? 1)]));
        ring(k.split('\u0000')[0]!, 'optical').push(o.ts, row('optical', values));
      }
    },
    async history(q: HistoryQuery): Promise<HistoryPoint[]> {
      const r = rings.get(`${q.deviceId}\u0000${q.series}`);
      if (!r) return [];
      const stepMs = (q.stepS ?? pickStepS(q.from, q.to)) * 1000;
      const fields = SERIES[q.series].fields;
      const buckets = new Map<number, { sums: number[]; counts: number[] }>();
      r.forEach((ts, slot) => {
        if (ts < q.from || ts >= q.to) return;
        const b = Math.floor(ts / stepMs) * stepMs;
        let acc = buckets.get(b);
        if (!acc) buckets.set(b, (acc = { sums: fields.map(() => 0), counts: fields.map(() => 0) }));
        for (let k = 0; k < fields.length; k++) {
          const v = r.value(slot, k);
          if (!Number.isNaN(v)) {
            acc.sums[k]! += v;
            acc.counts[k]!++;
          }
        }
      });
      return [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([ts, acc]) => ({
          ts,
          values: Object.fromEntries(
            fields.map((f, k) => [f, acc.counts[k] ? digits7(acc.sums[k]! / acc.counts[k]!) : null]),
          ),
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
        r.forEach((ts, slot) => {
          const up = r.value(slot, UP);
          if (ts < q.from || ts >= q.to || Number.isNaN(up)) return;
          a.up += up;
          a.n++;
        });
        acc.set(group, a);
      }
      return [...acc.entries()]
        .filter(([, a]) => a.n > 0)
        .map(([key, a]) => ({ key, availabilityPct: (a.up / a.n) * 100, samples: a.n }))
        .sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}
