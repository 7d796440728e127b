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
  /**
   * Writes closed buckets (all buckets with `all`) and prunes old ones (unless `prune: false`), in one
   * synchronous go: tests, tools, and the last few buckets at stop. At 10,000 devices use flushInSlices.
   */
  flush(now: number, opts?: { all?: boolean; prune?: boolean }): void;
  /**
   * The same writes in slices of `sliceBuckets` buckets, one transaction each, yielding to the event
   * loop between slices (the periodic flush: one bucket per device and series closes every 5 minutes,
   * 40,000 at 10,000 devices). Points fed meanwhile are kept for the next flush, never lost. Resolves
   * when everything taken is written; a failed slice stays queued for the next flush and rejects.
   */
  flushInSlices(
    now: number,
    opts?: { all?: boolean; prune?: boolean; sliceBuckets?: number; yieldNow?: () => Promise<void> },
  ): Promise<void>;
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

interface Bucket {
  device: string;
  series: HistorySeries;
  /** Start (ms) of the 5-minute bucket. */
  bucket: number;
  sums: Sums;
}

/** Buckets per transaction in flushInSlices: ~10–20 ms of the event loop each (docs/adr/0803). */
export const SLICE_BUCKETS = 1000;
/** Rows per DELETE when pruning in slices. */
const PRUNE_SLICE = 5000;

const immediate = () => new Promise<void>((r) => setImmediate(r));

export function createRollups(store: Store): Rollups {
  store.migrate('history', HISTORY_MIGRATIONS);
  const db = store.db;
  // A row written again (a late point of a bucket already written, or a bucket written whole at a
  // stop and continued after the restart; the hour rows every 5 minutes) adds its sums to the row's:
  // one upsert per row, no read first.
  db.function('pantau_merge_sums', { deterministic: true }, (into: unknown, from: unknown) => {
    const merged = JSON.parse(String(into)) as Sums;
    add(merged, JSON.parse(String(from)) as Sums);
    return JSON.stringify(merged);
  });
  const q = {
    upsert: db.prepare(
      `INSERT INTO history_rollup (device_id, series, step_s, bucket, n, sums) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (device_id, series, step_s, bucket) DO UPDATE SET sums = pantau_merge_sums(sums, excluded.sums)`,
    ),
    range: db.prepare(
      'SELECT bucket, sums FROM history_rollup WHERE device_id = ? AND series = ? AND step_s = ? AND bucket >= ? AND bucket < ? ORDER BY bucket',
    ),
    prune: db.prepare('DELETE FROM history_rollup WHERE step_s = ? AND bucket < ?'),
    pruneSome: db.prepare(
      `DELETE FROM history_rollup WHERE (device_id, series, step_s, bucket) IN
       (SELECT device_id, series, step_s, bucket FROM history_rollup WHERE step_s = ? AND bucket < ? LIMIT ?)`,
    ),
    last: db.prepare('SELECT MAX(bucket) AS b FROM history_rollup WHERE device_id = ? AND series = ? AND step_s = 300'),
  };
  // device \0 series \0 bucket(ms, 5-min) → open bucket (traffic: summed over uplinks first, per timestamp)
  const open = new Map<string, Bucket>();
  // Buckets taken out of `open` to be written, oldest first; `done` of them are written.
  let queue: Bucket[] = [];
  let done = 0;
  const STEP = TIERS[0].stepS * 1000;
  const HOUR = TIERS[1].stepS * 1000;

  function accumulate(device: string, series: HistorySeries, ts: number, values: Record<string, number>): void {
    const bucket = Math.floor(ts / STEP) * STEP;
    const key = `${device}\u0000${series}\u0000${bucket}`;
    let b = open.get(key);
    if (!b) open.set(key, (b = { device, series, bucket, sums: {} }));
    const s = b.sums;
    for (const [f, v] of Object.entries(values)) {
      const c = s[f];
      if (c) {
        c[0] += v;
        c[1] += 1;
      } else s[f] = [v, 1];
    }
  }

  /** Moves the buckets to write (closed ones, or all) from `open` to the queue. */
  function take(now: number, all: boolean): void {
    const closedBefore = Math.floor(now / STEP) * STEP;
    for (const [key, b] of open) {
      if (!all && b.bucket >= closedBefore) continue;
      open.delete(key);
      queue.push(b);
    }
  }

  /** Writes up to `max` queued buckets (and their hour rows) in one transaction; false when none is left. */
  const writeSlice = db.transaction((slice: Bucket[]) => {
    const hours = new Map<string, Bucket>();
    for (const b of slice) {
      q.upsert.run(b.device, b.series, TIERS[0].stepS, b.bucket, JSON.stringify(b.sums));
      const hour = Math.floor(b.bucket / HOUR) * HOUR;
      const hk = `${b.device}\u0000${b.series}\u0000${hour}`;
      const h = hours.get(hk);
      if (h) add(h.sums, b.sums);
      else hours.set(hk, { device: b.device, series: b.series, bucket: hour, sums: structuredSums(b.sums) });
    }
    for (const h of hours.values()) q.upsert.run(h.device, h.series, TIERS[1].stepS, h.bucket, JSON.stringify(h.sums));
  });
  function writeSome(max: number): boolean {
    if (done >= queue.length) return false;
    const end = Math.min(queue.length, done + max);
    // Committed first, then counted: a slice that throws (disk full) stays queued for the next flush.
    writeSlice(queue.slice(done, end));
    done = end;
    if (done >= queue.length) {
      queue = [];
      done = 0;
      return false;
    }
    return true;
  }

  let slicing: Promise<void> | null = null;

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
      take(now, opts.all ?? false);
      // Also whatever a slicing flush still has queued (its next slice then finds nothing left).
      while (writeSome(Number.MAX_SAFE_INTEGER));
      if (opts.prune ?? true) for (const t of TIERS) q.prune.run(t.stepS, now - t.keepMs);
    },
    flushInSlices(now, opts = {}) {
      const run = async () => {
        const yieldNow = opts.yieldNow ?? immediate;
        const size = Math.max(1, opts.sliceBuckets ?? SLICE_BUCKETS);
        take(now, opts.all ?? false);
        while (writeSome(size)) await yieldNow();
        if (opts.prune ?? true)
          for (const t of TIERS)
            while (q.pruneSome.run(t.stepS, now - t.keepMs, PRUNE_SLICE).changes >= PRUNE_SLICE) await yieldNow();
      };
      // One slicing flush at a time: a second call waits for the first, then takes what closed since.
      const next = (slicing ?? Promise.resolve()).catch(() => undefined).then(run);
      const mine = next.finally(() => {
        if (slicing === mine) slicing = null;
      });
      slicing = mine;
      return mine;
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

/** A copy of a bucket's sums (the hour row adds further buckets into it; the 5-minute one stays as written). */
function structuredSums(s: Sums): Sums {
  const out: Sums = {};
  for (const [f, [sum, n]] of Object.entries(s)) out[f] = [sum, n];
  return out;
}

/** Ranges up to this long are read from the in-memory ring alone (createEmbeddedReader). */
export const MEMORY_REACH_MS = 3600_000;
/**
 * How far back the in-memory rings must reach beside these rollups: the ring's hour plus a minute
 * of slack (late polls). Rings of series polled every 60 s then keep ~64 entries, not 360 (ADR 0803).
 */
export const MEMORY_WINDOW_MS = MEMORY_REACH_MS + 60_000;

/**
 * The HistoryReader for `sink: none`: ranges up to the ring's reach come from memory; longer ones
 * from the rollups (5-minute rows up to 2 days, hourly beyond), topped up with memory for the
 * minutes not flushed yet (6 h and 24 h read 5-minute rows, 7 d and 30 d hourly ones).
 * Availability stays the in-memory reader's.
 */
export function createEmbeddedReader(memory: MemoryHistory, rollups: Rollups, now: () => number): HistoryReader {
  return {
    async history(q: HistoryQuery): Promise<HistoryPoint[]> {
      if (q.to - q.from <= MEMORY_REACH_MS) return memory.history(q);
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
