/**
 * InfluxDB 1.x: writes are line protocol POSTed to /write?precision=ms with node:http
 * (line-post.ts, ADR 0302); setup (database, retention policies, continuous queries) is InfluxQL
 * through node-influx (`influx`). node-influx's own host pool retries and disables hosts; pantau
 * turns that off (maxRetries 0) because writer.ts owns retrying, backoff and the outbox.
 */
import type { InfluxDB } from 'influx';
import type { Logger } from '../core/logger.js';
import type { Secret } from '../core/secret.js';
import { SinkWriteError, isRetryableStatus, type MetricsSink } from './sink.js';
import { createLinePoster } from './line-post.js';
import { RAW_RP, ROLLUP_RP, continuousQueries, influxDurationString } from './retention.js';

export interface Influx1Options {
  url: string;
  database: string;
  username?: string;
  password?: Secret;
  requestTimeoutMs: number;
  retention: { manage: boolean; raw: string; rollup: string };
  logger: Logger;
}

/** Maps node-influx errors (RequestError carries the response; others are network errors) to SinkWriteError. */
export function toSinkError(err: unknown): SinkWriteError {
  if (err instanceof SinkWriteError) return err;
  const e = err as { res?: { statusCode?: number }; message?: string; code?: string };
  const status = typeof e?.res?.statusCode === 'number' ? e.res.statusCode : null;
  const message = e?.message ?? String(err);
  if (status === null)
    return new SinkWriteError(`influx1 unreachable: ${message}`, { retryable: true, status: null, cause: err });
  return new SinkWriteError(`influx1 answered ${status}: ${message}`, {
    retryable: isRetryableStatus(status),
    status,
    body: message,
    cause: err,
  });
}

/** Errors that mean "you may not do this" during setup: pantau then leaves retention alone. */
function isPermissionError(err: unknown): boolean {
  const m = String((err as Error)?.message ?? err);
  return /authoriz|privilege|forbidden|permission|40[13]/i.test(m);
}

export function createInflux1Sink(o: Influx1Options): MetricsSink {
  const log = o.logger.child({ module: 'sink.influx1' });
  const url = new URL(o.url);
  // node-influx (~14 MB of a process) is loaded when setup first runs, not when pantau starts.
  let client: Promise<InfluxDB> | undefined;
  const influxClient = () =>
    (client ??= import('influx').then(
      ({ InfluxDB }) =>
        new InfluxDB({
          host: url.hostname,
          port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
          protocol: url.protocol === 'https:' ? 'https' : 'http',
          database: o.database,
          ...(o.username ? { username: o.username, password: o.password?.reveal() ?? '' } : {}),
          pool: { maxRetries: 0, requestTimeout: o.requestTimeoutMs },
        }),
    ));
  // node-influx disables a host after a network error for a backoff period; reset it so a
  // restarted InfluxDB is used as soon as writer.ts tries again.
  const enableHosts = (influx: InfluxDB) => {
    const pool = (influx as unknown as { _pool: { _hostsDisabled: Set<unknown>; _enableHost(h: unknown): void } })
      ._pool;
    for (const h of [...pool._hostsDisabled]) pool._enableHost(h);
  };
  const base = o.url.replace(/\/+$/, '');
  const writeUrl = new URL(`${base}/write`);
  writeUrl.searchParams.set('db', o.database);
  writeUrl.searchParams.set('precision', 'ms');
  // Basic auth keeps the password out of the URL (and out of any proxy's access log).
  const headers: Record<string, string> = o.username
    ? { authorization: `Basic ${Buffer.from(`${o.username}:${o.password?.reveal() ?? ''}`).toString('base64')}` }
    : {};
  const poster = createLinePoster({
    name: 'influx1',
    writeUrl,
    pingUrl: new URL(`${base}/ping`),
    headers,
    timeoutMs: o.requestTimeoutMs,
  });

  async function setupRetention(influx: InfluxDB): Promise<void> {
    const db = o.database;
    const rps = await influx.showRetentionPolicies(db);
    const want = [
      { name: RAW_RP, duration: o.retention.raw, isDefault: true },
      { name: ROLLUP_RP, duration: o.retention.rollup, isDefault: false },
    ];
    for (const w of want) {
      const have = rps.find((r) => r.name === w.name);
      const duration = influxDurationString(w.duration);
      if (!have) {
        await influx.createRetentionPolicy(w.name, {
          database: db,
          duration: w.duration,
          replication: 1,
          isDefault: w.isDefault,
        });
        log.info({ rp: w.name, duration: w.duration }, 'retention policy created');
      } else if (have.duration !== duration || (w.isDefault && !have.default)) {
        await influx.alterRetentionPolicy(w.name, {
          database: db,
          duration: w.duration,
          replication: 1,
          isDefault: w.isDefault,
        });
        log.info({ rp: w.name, duration: w.duration }, 'retention policy updated');
      }
    }
    const rows = await influx.query<{ name: string }>('SHOW CONTINUOUS QUERIES');
    const groups = (rows as unknown as { groups(): Array<{ name: string; rows: Array<{ name: string }> }> }).groups();
    const existing = new Set((groups.find((g) => g.name === db)?.rows ?? []).map((r) => r.name));
    const wanted = continuousQueries(db);
    for (const cq of wanted) {
      if (existing.has(cq.name)) continue;
      await influx.query(cq.query);
      log.info({ cq: cq.name }, 'continuous query created');
    }
    // Older versions of pantau's own CQs: drop them, never touch anybody else's.
    const names = new Set(wanted.map((c) => c.name));
    for (const name of existing) {
      if (name.startsWith('pantau_') && !names.has(name)) {
        await influx.dropContinuousQuery(name, db);
        log.info({ cq: name }, 'old continuous query dropped');
      }
    }
  }

  return {
    kind: 'influx1',
    async setup() {
      const influx = await influxClient();
      enableHosts(influx);
      try {
        // CREATE DATABASE is idempotent in 1.x; without rights it fails and we assume it exists.
        await influx.createDatabase(o.database);
      } catch (err) {
        const e = toSinkError(err);
        if (e.status === null || e.status >= 500) throw e;
        if (!isPermissionError(err)) throw e;
        log.warn({ err: e.message }, 'no right to create the database; assuming it exists');
      }
      if (!o.retention.manage) return;
      try {
        await setupRetention(influx);
      } catch (err) {
        const e = toSinkError(err);
        if (e.status === null || e.status >= 500) throw e;
        log.warn(
          { err: e.message },
          'retention/continuous queries not set up (no rights?); writing to the default policy',
        );
      }
    },
    async write(lines, opts) {
      await poster.post(lines, opts.signal);
    },
    ping: () => poster.ping(),
    async close() {},
  };
}
