/**
 * HistoryReader over InfluxQL on /query: native on InfluxDB 1.x, and on 2.x/3.x through their
 * v1-compatible endpoint (db = bucket via a DBRP mapping, `Authorization: Token …`), so one
 * query layer serves every sink. Long ranges on 1.x read the 5-minute rollups.
 */
import type { AvailabilityRow, HistoryPoint, HistoryQuery, HistoryReader } from '../../core/services.js';
import { PantauError } from '../../core/errors.js';
import type { Clock } from '../../core/time.js';
import type { Secret } from '../../core/secret.js';
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

interface InfluxSeries { name: string; tags?: Record<string, string>; columns: string[]; values: Array<Array<number | string | null>> }
interface InfluxResponse { results?: Array<{ series?: InfluxSeries[]; error?: string }>; error?: string }

const ident = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const TWO_DAYS_MS = 2 * 86400_000;

export function createInfluxqlReader(o: InfluxqlReaderOptions): HistoryReader & { query(q: string, opts?: { signal?: AbortSignal }): Promise<InfluxSeries[]> } {
  const headers: Record<string, string> = {};
  if (o.auth && 'token' in o.auth) headers['authorization'] = `Token ${o.auth.token.reveal()}`;
  else if (o.auth) headers['authorization'] = `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password?.reveal() ?? ''}`).toString('base64')}`;

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
    if (!res.ok || err) throw new PantauError('PANTAU_SINK', `InfluxDB query failed (${res.status}): ${err ?? res.statusText}`, { details: [q] });
    return body.results?.flatMap((r) => r.series ?? []) ?? [];
  }

  function source(measurement: string, from: number, to: number): { from: string; minStepS: number } {
    const useRollup = o.rollup !== undefined && (to - from > TWO_DAYS_MS || from < o.clock.now() - o.rollup.rawMs);
    if (!useRollup) return { from: `${ident(o.database)}.${ident(RAW_RP)}.${ident(measurement)}`, minStepS: 1 };
    return { from: `${ident(o.database)}.${ident(ROLLUP_RP)}.${ident(measurement)}`, minStepS: 300 };
  }

  function toPoints(series: InfluxSeries[], fields: readonly string[]): HistoryPoint[] {
    const s = series[0];
    if (!s) return [];
    const idx = fields.map((f) => s.columns.indexOf(f));
    return s.values.map((row) => ({
      ts: Number(row[0]),
      values: Object.fromEntries(fields.map((f, i) => {
        const v = idx[i]! >= 0 ? row[idx[i]!] : null;
        return [f, typeof v === 'number' ? v : null];
      })),
    }));
  }

  return {
    query,
    async history(q: HistoryQuery, opts = {}) {
      const spec = SERIES[q.series];
      const src = source(spec.measurement, q.from, q.to);
      // Without managed retention (2.x, or no rights on 1.x) there is only the default policy.
      const fromClause = o.rollup ? src.from : ident(spec.measurement);
      const step = Math.max(q.stepS ?? pickStepS(q.from, q.to), src.minStepS);
      const time = `time >= ${Math.floor(q.from)}ms AND time < ${Math.ceil(q.to)}ms`;
      const where = `${ident('device')} = ${literal(q.deviceId)} AND ${time}`;
      if (q.series === 'traffic') {
        const inner = (uplinkOnly: boolean) =>
          `SELECT sum("in_bps") AS "in_bps", sum("out_bps") AS "out_bps" FROM (` +
          `SELECT mean("in_bps") AS "in_bps", mean("out_bps") AS "out_bps" FROM ${fromClause} WHERE ${where}` +
          `${uplinkOnly ? ` AND "uplink" = 'true'` : ''} GROUP BY time(${step}s), "if_name") WHERE ${time} GROUP BY time(${step}s) fill(none)`;
        const up = toPoints(await query(inner(true), opts), spec.fields);
        return up.length > 0 ? up : toPoints(await query(inner(false), opts), spec.fields);
      }
      const select = spec.fields.map((f) => `mean(${ident(f)}) AS ${ident(f)}`).join(', ');
      return toPoints(await query(`SELECT ${select} FROM ${fromClause} WHERE ${where} GROUP BY time(${step}s) fill(none)`, opts), spec.fields);
    },
    async availability(q, opts = {}) {
      const tag = q.groupBy === 'device' ? 'device' : q.groupBy;
      const src = source('icmp', q.from, q.to);
      const fromClause = o.rollup ? src.from : ident('icmp');
      const series = await query(
        `SELECT mean("up") AS "up", count("up") AS "n" FROM ${fromClause} WHERE time >= ${Math.floor(q.from)}ms AND time < ${Math.ceil(q.to)}ms GROUP BY ${ident(tag)}`,
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
