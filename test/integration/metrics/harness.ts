/** Shared wiring for the metrics integration tests: config, captured logs, polling. */
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsSection, type MetricsConfig } from '../../../core/config/sections/metrics.js';
import { createLogger, type Logger } from '../../../core/logger.js';
import { startInfluxd, type InfluxdHandle } from '../../helpers/influxd.js';

export function metricsConfig(input: Record<string, unknown>): { metrics: MetricsConfig } {
  return { metrics: metricsSection.parse(input) };
}

/** A pino logger whose JSON lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ level: 'info', destination: dest }), lines };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-sink-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** COUNT(field) per measurement from InfluxQL results (0 when the measurement is absent). */
export function countOf(res: { results: Array<{ series?: Array<{ values: unknown[][] }> }> }): number {
  const v = res.results[0]?.series?.[0]?.values[0]?.[1];
  return typeof v === 'number' ? v : 0;
}

export interface Influx1Suite {
  /** The suite's InfluxDB 1.6.7, started in `before` (use it inside hooks and tests). */
  influxd: InfluxdHandle;
  /** Metrics config writing to `database` on it, through an outbox file of that name in the suite's folder. */
  config(database: string, over?: Influx1Settings): { metrics: MetricsConfig };
}

export interface Influx1Settings {
  batchSize?: number;
  flushIntervalMs?: number;
  /** outbox.maxPoints */
  maxPoints?: number;
  /** retry.maxDelayMs */
  maxDelayMs?: number;
  /** More influx1 settings (credentials). */
  influx1?: Record<string, unknown>;
  retention?: Record<string, unknown>;
}

/**
 * The influx1-* tests' shared preamble: call inside `describe`. One real influxd for the suite (started
 * in `before`, then `setup` once it answers; stopped in `after`) and a temporary folder for the outboxes.
 */
export function influx1Suite(
  opts: { influxd?: Parameters<typeof startInfluxd>[0]; setup?: (influxd: InfluxdHandle) => Promise<void> } = {},
): Influx1Suite {
  const tmp = tempDir();
  let running: InfluxdHandle | undefined;
  const h = (): InfluxdHandle => {
    if (!running) throw new Error('influxd starts in before(): use it inside hooks and tests');
    return running;
  };
  before(async () => {
    running = await startInfluxd(opts.influxd);
    await opts.setup?.(running);
  });
  after(async () => {
    await running?.stop();
    tmp.cleanup();
  });
  const influxd: InfluxdHandle = {
    get url() {
      return h().url;
    },
    get port() {
      return h().port;
    },
    get dir() {
      return h().dir;
    },
    kill: () => h().kill(),
    restart: () => h().restart(),
    running: () => h().running(),
    query: (db, q, auth) => h().query(db, q, auth),
    stop: () => h().stop(),
  };
  return {
    influxd,
    config(database, over = {}) {
      const { batchSize = 100, flushIntervalMs = 50, maxPoints = 10_000, maxDelayMs = 300, influx1, retention } = over;
      return metricsConfig({
        sink: 'influx1',
        influx1: { url: h().url, database, ...influx1 },
        batchSize,
        flushIntervalMs,
        outbox: { path: join(tmp.dir, `${database}.db`), maxPoints },
        retry: { minDelayMs: 50, maxDelayMs, requestTimeoutMs: 3000 },
        ...(retention ? { retention } : {}),
      });
    },
  };
}
