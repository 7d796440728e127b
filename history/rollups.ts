/**
 * Embedded long history for `metrics.sink: none` (docs/adr/0801): the points the in-memory
 * history gets are also folded into 5-minute buckets (kept 2 days) and 1-hour buckets (kept
 * 35 days) in SQLite, so the drawer's 6 h / 24 h / 7 d / 30 d graphs work without InfluxDB.
 * Buckets are accumulated in memory and written when they close (one write per series per
 * 5 minutes); the hour buckets are merged from them. A reader combines these with the
 * in-memory ring for the newest minutes.
 */
import type { Store } from '../core/store/store.js';
import type { HistoryPoint, HistoryQuery, HistoryReader, HistorySeries } from '../core/services.js';
import type { MemoryHistory } from '../metrics/memory-history.js';
import { SERIES, pickStepS } from '../metrics/history.js';
import type { Point } from '../metrics/point.js';
import { HISTORY_MIGRATIONS } from './migrations.js';

export const TIERS = [
  { stepS: 300, keepMs: 2 * 86_400_000 + 3_600_000 },
  { stepS: 3600, keepMs: 35 * 86_400_000 },
] as const;

/** field → [sum, count] */
type Sums = Record<string, [number, number]>;

const BY_MEASUREMENT = new Map<string, HistorySeries>(
  Object.entries(SERIES).map(([k, v]) => [v.measurement, k as HistorySeries]),
);

function add(into: Sums, from: Sums): void {
  for (const [f, [s, n]] of Object.entries(from)) {
    const cur = into[f];
    if (cur) {
      cur[0] += s;
      cur[1] += n;
    } else into[f] = [s, n];
  }
}

export interface Rollups {
  /** The same points the in-memory history is fed (one probe result's points at a time). */
  feed(points: readonly Point[]): void;
  /** Writes closed buckets (all buckets with `all`), prunes old ones. */
  flush(now: number, opts?: { all?: boolean }): void;
  /** Rows of one tier in [from, to). */
  read(
    deviceId: string,
    series: HistorySeries,
    stepS: number,
    from: number,
    to: number,
  ): { bucket: number; sums: Sums }[];
  /** Where written history ends (the newest flushed 5-minute bucket's end), per device and series. */
  flushedUntil(deviceId: string, series: HistorySeries): number;
}

export function createRollups(store: Store): Rollups {
  store.migrate('history', HISTORY_MIGRATIONS);
  const db = store.db;
  const q = {
    get: db.prepare('SELECT sums FROM history_rollup WHERE device_id = ? AND series = ? AND step_s = ? AND bucket = ?'),
    put: db.prepare(
      'INSERT OR REPLACE INTO history_rollup (device_id, series, step_s, bucket, n, sums) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    range: db.prepare(
      'SELECT bucket, sums FROM history_rollup WHERE device_id = ? AND series = ? AND step_s = ? AND bucket >= ? AND bucket < ? ORDER BY bucket',
    ),
    prune: db.prepare('DELETE FROM history_rollup WHERE step_s = ? AND bucket < ?'),
    last: db.prepare('SELECT MAX(bucket) AS b FROM history_rollup WHERE device_id = ? AND series = ? AND step_s = 300'),
  };
  // device \0 series \0 bucket(ms, 5-min) → sums (traffic: summed over uplinks first, per timestamp)
  const open = new Map<string, Sums>();
  const STEP = TIERS[0].stepS * 1000;

  function accumulate(device: string, series: HistorySeries, ts: number, values: Record<string, number>): void {
    const key = `${device}\u0000${series}\u0000${Math.floor(ts / STEP) * STEP}`;
    let s = open.get(key);
    if (!s) open.set(key, (s = {}));
    for (const [f, v] of Object.entries(values)) {
      const c = s[f];
      if (c) {
        c[0] += v;
        c[1] += 1;
      } else s[f] = [v, 1];
    }
  }

  return {
    feed(points) {
      // As in memory-history: interfaces sum per timestamp (uplinks when marked), optical ports average.
      const traffic = new Map<
        string,
        { device: string; ts: number; up: Record<string, number>; all: Record<string, number>; hasUp: boolean }
      >();
      for (const p of points) {
        const device = p.tags['device'];
        const series = BY_MEASUREMENT.get(p.measurement);
        if (!device || !series) continue;
        const values: Record<string, number> = {};
        for (const f of SERIES[series].fields) {
          const v = p.fields[f];
          if (typeof v === 'number' && Number.isFinite(v)) values[f] = v;
        }
        if (Object.keys(values).length === 0) continue;
        if (series === 'traffic') {
          const k = `${device}\u0000${p.ts}`;
          const t = traffic.get(k) ?? { device, ts: p.ts, up: {}, all: {}, hasUp: false };
          const isUp = p.tags['uplink'] === 'true';
          t.hasUp ||= isUp;
          for (const [f, v] of Object.entries(values)) {
            t.all[f] = (t.all[f] ?? 0) + v;
            if (isUp) t.up[f] = (t.up[f] ?? 0) + v;
          }
          traffic.set(k, t);
        } else {
          accumulate(device, series, p.ts, values);
        }
      }
      for (const t of traffic.values()) accumulate(t.device, 'traffic', t.ts, t.hasUp ? t.up : t.all);
    },
    flush(now, opts = {}) {
      const closedBefore = Math.floor(now / STEP) * STEP;
      const hours = new Map<string, Sums>();
      db.transaction(() => {
        for (const [key, sums] of open) {
          const [device, series, b] = key.split('\u0000') as [string, HistorySeries, string];
          const bucket = Number(b);
          if (!opts.all && bucket >= closedBefore) continue;
          open.delete(key);
          const prev = q.get.get(device, series, 300, bucket) as { sums: string } | undefined;
          const merged: Sums = prev ? (JSON.parse(prev.sums) as Sums) : {};
          add(merged, sums);
          q.put.run(device, series, 300, bucket, 1, JSON.stringify(merged));
          const hk = `${device}\u0000${series}\u0000${Math.floor(bucket / 3600_000) * 3600_000}`;
          const h = hours.get(hk) ?? {};
          add(h, sums);
          hours.set(hk, h);
        }
        for (const [key, sums] of hours) {
          const [device, series, b] = key.split('\u0000') as [string, HistorySeries, string];
          const prev = q.get.get(device, series, 3600, Number(b)) as { sums: string } | undefined;
          const merged: Sums = prev ? (JSON.parse(prev.sums) as Sums) : {};
          add(merged, sums);
          q.put.run(device, series, 3600, Number(b), 1, JSON.stringify(merged));
        }
        for (const t of TIERS) q.prune.run(t.stepS, now - t.keepMs);
      })();
    },
    read(deviceId, series, stepS, from, to) {
      return (q.range.all(deviceId, series, stepS, from, to) as { bucket: number; sums: string }[]).map((r) => ({
        bucket: r.bucket,
        sums: JSON.parse(r.sums) as Sums,
      }));
    },
    flushedUntil(deviceId, series) {
      const r = q.last.get(deviceId, series) as { b: number | null };
      return r.b === null ? 0 : r.b + STEP;
    },
  };
}

/**
 * The HistoryReader for `sink: none`: ranges up to the ring's reach come from memory; longer ones
 * from the rollups (5-minute rows up to 2 days, hourly beyond), topped up with memory for the
 * minutes not flushed yet (6 h and 24 h read 5-minute rows, 7 d and 30 d hourly ones).
 * Availability stays the in-memory reader's.
 */
export function createEmbeddedReader(memory: MemoryHistory, rollups: Rollups, now: () => number): HistoryReader {
  return {
    async history(q: HistoryQuery): Promise<HistoryPoint[]> {
      if (q.to - q.from <= 3600_000) return memory.history(q);
      const tier = q.to - q.from <= TIERS[0].keepMs && q.from >= now() - TIERS[0].keepMs ? TIERS[0] : TIERS[1];
      const stepS = Math.max(q.stepS ?? pickStepS(q.from, q.to), tier.stepS);
      const stepMs = stepS * 1000;
      const fields = SERIES[q.series].fields;
      const buckets = new Map<number, Sums>();
      for (const r of rollups.read(
        q.deviceId,
        q.series,
        tier.stepS,
        Math.floor(q.from / (tier.stepS * 1000)) * tier.stepS * 1000,
        q.to,
      )) {
        const b = Math.floor(r.bucket / stepMs) * stepMs;
        const s = buckets.get(b) ?? {};
        add(s, r.sums);
        buckets.set(b, s);
      }
      const out: HistoryPoint[] = [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([ts, s]) => ({
          ts,
          values: Object.fromEntries(fields.map((f) => [f, s[f] && s[f][1] > 0 ? s[f][0] / s[f][1] : null])),
        }));
      const since = Math.max(
        q.from,
        rollups.flushedUntil(q.deviceId, q.series),
        out.length ? out[out.length - 1]!.ts + stepMs : 0,
      );
      if (since < q.to) out.push(...(await memory.history({ ...q, from: since, stepS })));
      return out;
    },
    availability: (q, opts) => memory.availability(q, opts),
  };
}
