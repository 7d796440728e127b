/**
 * InfluxDB 1.x retention and downsampling, as data: a raw retention policy (the default, where
 * writes land) and 5-minute rollups kept long, filled by one continuous query per measurement.
 * Pure, so the statements are unit-tested; influx1.ts applies them idempotently.
 */
import type { Measurement } from './points.js';
import { PROBES } from '../collector/probes/list.js';
import { MEASUREMENTS, RAW_RP, ROLLUP_INTERVAL, ROLLUP_RP, type RollupAgg } from '../core/vocabulary/measurements.js';

// The policy names are shared with the dashboards (core/vocabulary/measurements.ts).
export { RAW_RP, ROLLUP_INTERVAL, ROLLUP_RP };
/** Bump when a continuous query changes: old versions are dropped, new ones created. */
export const CQ_VERSION = 1;

type Agg = RollupAgg;

/**
 * How each numeric field rolls up. Fields keep their names in the rollup, so one InfluxQL
 * query works on both policies. String fields (device_state.state, alert text) are not rolled up.
 */
export const ROLLUPS: Record<Measurement, Readonly<Record<string, Agg>>> = {
  // Each probe kind's measurements with their fields' aggregations (collector/probes/<kind>/index.ts).
  ...(Object.assign({}, ...PROBES.map((p) => p.measurements)) as Record<string, Readonly<Record<string, Agg>>>),
  device_state: MEASUREMENTS.device_state.fields,
};

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export interface ContinuousQuery {
  name: string;
  query: string;
}

export function cqName(measurement: string): string {
  return `pantau_${measurement}_${ROLLUP_INTERVAL}_v${CQ_VERSION}`;
}

/** The CREATE CONTINUOUS QUERY statements for a database. */
export function continuousQueries(db: string): ContinuousQuery[] {
  return Object.entries(ROLLUPS).map(([m, fields]) => {
    const select = Object.entries(fields)
      .map(([f, agg]) => `${agg}(${q(f)}) AS ${q(f)}`)
      .join(', ');
    const name = cqName(m);
    return {
      name,
      query:
        `CREATE CONTINUOUS QUERY ${q(name)} ON ${q(db)} BEGIN SELECT ${select} INTO ${q(db)}.${q(ROLLUP_RP)}.${q(m)} ` +
        `FROM ${q(db)}.${q(RAW_RP)}.${q(m)} GROUP BY time(${ROLLUP_INTERVAL}), * END`,
    };
  });
}

/** `30d` → milliseconds. */
export function durationMs(d: string): number {
  const m = /^(\d+)([hdw])$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  const hours = { h: 1, d: 24, w: 168 }[m[2] as 'h' | 'd' | 'w'];
  return Number(m[1]) * hours * 3600_000;
}

/** InfluxDB reports durations as `720h0m0s`; compare in that form. */
export function influxDurationString(d: string): string {
  return `${durationMs(d) / 3600_000}h0m0s`;
}
