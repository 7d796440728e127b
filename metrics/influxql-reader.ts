/**
 * HistoryReader over InfluxQL on /query: native on InfluxDB 1.x, and on 2.x/3.x through their
 * v1-compatible endpoint (db = bucket via a DBRP mapping, `Authorization: Token …`), so one
 * query layer serves every sink. Long ranges on 1.x read the 5-minute rollups.
 */
import type { AvailabilityRow, HistoryPoint, HistoryQuery, HistoryReader } from '../core/services.js';
import { PantauError } from '../core/errors.js';
import type { Clock } from '../core/time.js';
import type { Secret } from '../core/secret.js';
import { SERIES, pickStepS } from './history.js';
import { RAW_RP, ROLLUP_RP } from './retention.js';

export interface InfluxqlReaderOptions {
  url: string;
  database: string;
  auth?: { username: string; password?: Secret } | { token: Secret };
  /** 1.x with managed retention: ranges older than `rawMs` or longer than two days read the rollup. */
  rollup?: { rawMs: number };
  clock: Clock;
  timeoutMs?: number;
}

interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Array<Array<number | string | null>>;
}
interface InfluxResponse {
  results?: Array<{ series?: InfluxSeries[]; error?: string }>;
  error?: string;
}

const ident = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const TWO_DAYS_MS = 2 * 86400_000;

export function createInfluxqlReader(
  o: InfluxqlReaderOptions,
): HistoryReader & { query(q: string, opts?: { signal?: AbortSignal }): Promise<InfluxSeries[]> } {
  const headers: Record<string, string> = {};
  if (o.auth && 'token' in o.auth) headers['authorization'] = `Token ${o.auth.token.reveal()}`;
  else if (o.auth)
    headers['authorization'] =
      `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password?.reveal() ?? ''}`).toString('base64')}`;

  async function query(q: string, opts: { signal?: AbortSignal } = {}): Promise<InfluxSeries[]> {
    const u = new URL('/query', o.url);
    u.searchParams.set('db', o.database);
    u.searchParams.set('epoch', 'ms');
    u.searchParams.set('q', q);
    const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 10_000), ...(opts.signal ? [opts.signal] : [])]);
    let res: Response;
    try {
      res = await fetch(u, { headers, signal });
    } catch (cause) {
      throw new PantauError('PANTAU_SINK', `InfluxDB query failed: ${(cause as Error).message}`, { cause });
    }
    const body = (await res.json().catch(() => ({}))) as InfluxResponse;
    const err = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || err)
      throw new PantauError('PANTAU_SINK', `InfluxDB query failed (${res.status}): ${err ?? res.statusText}`, {
        details: [q],
      });
    return body.results?.flatMap((r) => r.series ?? []) ?? [];
  }

  // Set when pantau could not create its policies (no rights): read the default policy then.
  let policiesMissing = false;

  function source(measurement: string, from: number, to: number): { from: string; minStepS: number } {
    if (!o.rollup || policiesMissing) return { from: ident(measurement), minStepS: 1 };
    const useRollup = to - from > TWO_DAYS_MS || from < o.clock.now() - o.rollup.rawMs;
    if (!useRollup) return { from: `${ident(o.database)}.${ident(RAW_RP)}.${ident(measurement)}`, minStepS: 1 };
    return { from: `${ident(o.database)}.${ident(ROLLUP_RP)}.${ident(measurement)}`, minStepS: 300 };
  }

  /** Runs `build(source)`; if pantau's policies do not exist, once more on the default policy. */
  async function run(
    measurement: string,
    from: number,
    to: number,
    build: (src: { from: string; minStepS: number }) => string,
    opts: { signal?: AbortSignal },
  ): Promise<InfluxSeries[]> {
    try {
      return await query(build(source(measurement, from, to)), opts);
    } catch (err) {
      if (policiesMissing || !o.rollup || !/retention policy not found/i.test((err as Error).message)) throw err;
      policiesMissing = true;
      return query(build(source(measurement, from, to)), opts);
    }
  }

  function toPoints(series: InfluxSeries[], fields: readonly string[]): HistoryPoint[] {
    const s = series[0];
    if (!s) return [];
    const idx = fields.map((f) => s.columns.indexOf(f));
    return s.values.map((row) => ({
      ts: Number(row[0]),
      values: Object.fromEntries(
        fields.map((f, i) => {
          const v = idx[i]! >= 0 ? row[idx[i]!] : null;
          return [f, typeof v === 'number' ? v : null];
        }),
      ),
    }));
  }

  return {
    query,
    async history(q: HistoryQuery, opts = {}) {
      const spec = SERIES[q.series];
      const time = `time >= ${Math.floor(q.from)}ms AND time < ${Math.ceil(q.to)}ms`;
      const where = `${ident('device')} = ${literal(q.deviceId)} AND ${time}`;
      const stepOf = (src: { minStepS: number }) => Math.max(q.stepS ?? pickStepS(q.from, q.to), src.minStepS);
      if (q.series === 'traffic') {
        const traffic = (uplinkOnly: boolean) => (src: { from: string; minStepS: number }) =>
          `SELECT sum("in_bps") AS "in_bps", sum("out_bps") AS "out_bps" FROM (` +
          `SELECT mean("in_bps") AS "in_bps", mean("out_bps") AS "out_bps" FROM ${src.from} WHERE ${where}` +
          `${uplinkOnly ? ` AND "uplink" = 'true'` : ''} GROUP BY time(${stepOf(src)}s), "if_name") WHERE ${time} GROUP BY time(${stepOf(src)}s) fill(none)`;
        const up = toPoints(await run(spec.measurement, q.from, q.to, traffic(true), opts), spec.fields);
        return up.length > 0
          ? up
          : toPoints(await run(spec.measurement, q.from, q.to, traffic(false), opts), spec.fields);
      }
      const select = spec.fields.map((f) => `mean(${ident(f)}) AS ${ident(f)}`).join(', ');
      const series = await run(
        spec.measurement,
        q.from,
        q.to,
        (src) => `SELECT ${select} FROM ${src.from} WHERE ${where} GROUP BY time(${stepOf(src)}s) fill(none)`,
        opts,
      );
      return toPoints(series, spec.fields);
    },
    async availability(q, opts = {}) {
      const tag = q.groupBy;
      const series = await run(
        'icmp',
        q.from,
        q.to,
        (src) =>
          `SELECT mean("up") AS "up", count("up") AS "n" FROM ${src.from} WHERE time >= ${Math.floor(q.from)}ms AND time < ${Math.ceil(q.to)}ms GROUP BY ${ident(tag)}`,
        opts,
      );
      const rows: AvailabilityRow[] = [];
      for (const s of series) {
        const row = s.values[0];
        const key = s.tags?.[tag];
        if (!row || key === undefined || key === '') continue;
        const up = Number(row[s.columns.indexOf('up')]);
        rows.push({ key, availabilityPct: up * 100, samples: Number(row[s.columns.indexOf('n')]) });
      }
      return rows.sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}
