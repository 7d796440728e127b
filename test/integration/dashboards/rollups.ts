/**
 * The sink's retention policies and 5-minute rollups, for tests that cannot wait for InfluxDB's
 * continuous-query scheduler (it only rolls up completed 5-minute windows): the same CQ statements
 * (metrics/retention.ts) run once by hand over a time window.
 */
import { continuousQueries, RAW_RP, ROLLUP_RP } from '../../../metrics/retention.js';

type Run = (q: string) => Promise<unknown>;

/** What the influx1 sink sets up on start: `raw` (default) and `rollup_5m`. */
export async function createPolicies(run: Run, db: string): Promise<void> {
  await run(`CREATE RETENTION POLICY "${RAW_RP}" ON "${db}" DURATION 30d REPLICATION 1 DEFAULT`);
  await run(`CREATE RETENTION POLICY "${ROLLUP_RP}" ON "${db}" DURATION 104w REPLICATION 1`);
}

/** Runs every pantau continuous query's SELECT … INTO over [from, to). Returns how many ran. */
export async function runRollups(run: Run, db: string, from: number, to: number): Promise<number> {
  let n = 0;
  for (const cq of continuousQueries(db)) {
    const m = /BEGIN (SELECT .*) (GROUP BY time\(5m\), \*) END$/.exec(cq.query);
    if (!m) throw new Error(`unexpected continuous query shape: ${cq.query}`);
    await run(`${m[1]} WHERE time >= ${from}ms AND time < ${to}ms ${m[2]}`);
    n++;
  }
  return n;
}
