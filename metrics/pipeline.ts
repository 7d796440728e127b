/**
 * The metrics pipeline: bus → points → sink (with outbox) or the in-memory history.
 * Subscribes to probe.result, device.state and alert.changed; handlers only build points and
 * enqueue them, so a slow or dead InfluxDB never slows the collector.
 */
import { isAbsolute, resolve } from 'node:path';
import type { EventBus } from '../core/bus.js';
import type { Config } from '../core/config/schema.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';
import type { HistoryReader } from '../core/services.js';
import { systemClock, type Clock } from '../core/time.js';
import { PantauError } from '../core/errors.js';
import { alertToPoints, stateToPoints, toPoints, type Point } from './points.js';
import type { MetricsSink } from './sink.js';
import { createInflux1Sink } from './influx1.js';
import { createInflux2Sink } from './influx2.js';
import { openOutbox, type Outbox } from './outbox.js';
import { createBatchWriter, type BatchWriter, type WriterStats } from './writer.js';
import { createInfluxqlReader } from './influxql-reader.js';
import { createMemoryHistory, type MemoryHistory } from './memory-history.js';
import { durationMs } from './retention.js';

export interface MetricsPipelineStats extends WriterStats {
  sink: Config['metrics']['sink'];
  /** Bus messages taken in, by topic. */
  received: { results: number; states: number; alerts: number };
  /** Results or state changes for devices not in the inventory (skipped). */
  unknownDevices: number;
}

export interface MetricsPipeline {
  start(): Promise<void>;
  /** Unsubscribes, writes what is queued (bounded), keeps the rest in the outbox. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  reader: HistoryReader;
  /** sink none: the in-memory history (null with a sink). */
  memory: MemoryHistory | null;
  stats(): MetricsPipelineStats;
  /** After an inventory reload: results of new devices get their tags from here. */
  updateInventory(inventory: Inventory): void;
  /** Quarantined points (newest first), for diagnostics; empty with sink none. */
  quarantined(limit?: number): Array<{ at: number; line: string; status: number | null; error: string }>;
}

export interface MetricsPipelineDeps {
  config: Pick<Config, 'metrics'>;
  inventory: Inventory;
  bus: EventBus;
  logger: Logger;
  clock?: Clock;
  /** Relative outbox paths resolve against this (the config file's folder); default cwd. */
  configDir?: string;
  /** sink none: also gets every point the in-memory history gets (the embedded rollups, history/rollups.ts). */
  onMemoryPoints?: (points: readonly Point[]) => void;
  /** sink none: how far back the in-memory rings must reach (others keep rollups); default: `pointsPerSeries` entries each. */
  memoryWindowMs?: number;
}

const ZERO: WriterStats = {
  produced: 0,
  written: 0,
  replayed: 0,
  outboxed: 0,
  dropped: 0,
  quarantined: 0,
  queued: 0,
  outboxSize: 0,
  failures: 0,
  lastError: null,
  healthy: true,
};

function createSink(m: Config['metrics'], logger: Logger): MetricsSink {
  if (m.sink === 'influx1') {
    const c = m.influx1!;
    return createInflux1Sink({
      url: c.url,
      database: c.database,
      ...(c.username ? { username: c.username } : {}),
      ...(c.password ? { password: c.password } : {}),
      requestTimeoutMs: m.retry.requestTimeoutMs,
      retention: m.retention,
      logger,
    });
  }
  const c = m.influx2!;
  return createInflux2Sink({
    url: c.url,
    token: c.token,
    org: c.org,
    bucket: c.bucket,
    requestTimeoutMs: m.retry.requestTimeoutMs,
    logger,
  });
}

export function createHistoryReader(m: Config['metrics'], clock: Clock): HistoryReader {
  if (m.sink === 'influx1') {
    const c = m.influx1!;
    return createInfluxqlReader({
      url: c.url,
      database: c.database,
      clock,
      timeoutMs: m.retry.requestTimeoutMs,
      ...(c.username ? { auth: { username: c.username, ...(c.password ? { password: c.password } : {}) } } : {}),
      ...(m.retention.manage ? { rollup: { rawMs: durationMs(m.retention.raw) } } : {}),
    });
  }
  const c = m.influx2!;
  return createInfluxqlReader({
    url: c.url,
    database: c.bucket,
    auth: { token: c.token },
    clock,
    timeoutMs: m.retry.requestTimeoutMs,
  });
}

export function createMetricsPipeline(deps: MetricsPipelineDeps): MetricsPipeline {
  const m = deps.config.metrics;
  const clock = deps.clock ?? systemClock;
  const log = deps.logger.child({ module: 'metrics' });
  const received = { results: 0, states: 0, alerts: 0 };
  let unknownDevices = 0;
  const unsubscribe: Array<() => void> = [];
  let inventory = deps.inventory;

  const memory =
    m.sink === 'none'
      ? createMemoryHistory({
          pointsPerSeries: m.memory.pointsPerSeries,
          ...(deps.memoryWindowMs !== undefined ? { windowMs: deps.memoryWindowMs } : {}),
        })
      : null;
  let outbox: Outbox | null = null;
  let writer: BatchWriter | null = null;
  let sink: MetricsSink | null = null;
  const reader: HistoryReader = memory ?? createHistoryReader(m, clock);

  const emit = (points: Point[]) => {
    if (points.length === 0) return;
    if (memory) {
      memory.feed(points);
      deps.onMemoryPoints?.(points);
    } else writer?.enqueue(points);
  };

  const device = (id: string) => {
    const d = inventory.byId.get(id);
    if (!d) {
      unknownDevices++;
      log.debug({ device: id }, 'metrics for a device not in the inventory: skipped');
    }
    return d;
  };

  return {
    reader,
    memory,
    async start() {
      if (m.sink !== 'none') {
        const path = isAbsolute(m.outbox.path)
          ? m.outbox.path
          : resolve(deps.configDir ?? process.cwd(), m.outbox.path);
        try {
          outbox = openOutbox(path, m.outbox.maxPoints);
        } catch (cause) {
          throw new PantauError('PANTAU_SINK', `cannot open the metrics outbox ${path}`, { cause });
        }
        sink = createSink(m, deps.logger);
        writer = createBatchWriter({
          sink,
          outbox,
          batchSize: m.batchSize,
          flushIntervalMs: m.flushIntervalMs,
          concurrency: m.concurrency,
          retry: m.retry,
          logger: deps.logger,
          clock,
          onHealth: (status, message) =>
            deps.bus.publish('pantau.health', {
              component: 'metrics',
              status,
              code: 'PANTAU_SINK_OUTBOX_FULL',
              message,
              at: clock.now(),
            }),
        });
        if (outbox.size() > 0)
          log.info({ outboxSize: outbox.size() }, 'metrics outbox has points from before: replaying them first');
        // Setup (database, retention, CQs) runs in the writer loop: an unreachable InfluxDB at
        // start-up must not stop pantau from starting.
        writer.start();
      }
      unsubscribe.push(
        deps.bus.subscribe('probe.result', (r) => {
          received.results++;
          const d = device(r.deviceId);
          if (d) emit(toPoints(r, d));
        }),
        deps.bus.subscribe('device.state', (c) => {
          // Same state, new detail (a probe error for the page): not a state change for history.
          if (c.from === c.to) return;
          received.states++;
          const d = device(c.deviceId);
          if (d) emit(stateToPoints(c, d));
        }),
        deps.bus.subscribe('alert.changed', (a) => {
          received.alerts++;
          emit(alertToPoints(a));
        }),
      );
      log.info({ sink: m.sink }, 'metrics pipeline started');
    },
    async stop(opts = {}) {
      for (const u of unsubscribe.splice(0)) u();
      if (writer) await writer.stop(opts);
      await sink?.close();
      outbox?.close();
      outbox = null;
      log.info({ ...(writer?.stats() ?? {}) }, 'metrics pipeline stopped');
    },
    stats: () => ({ ...(writer?.stats() ?? ZERO), sink: m.sink, received: { ...received }, unknownDevices }),
    updateInventory: (inv) => {
      inventory = inv;
    },
    quarantined: (limit) => outbox?.quarantined(limit) ?? [],
  };
}
