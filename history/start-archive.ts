/**
 * The archive a composition root builds over its store, the same for `pantau start` (server/main.ts)
 * and the core role (cluster/roles.ts): the history API, the state log recording from the bus, the
 * monthly report mailer and, with `metrics.sink: none`, the SQLite rollups fed by the metrics
 * pipeline's in-memory history (ADR 0801, 0803).
 *
 * The caller builds the metrics pipeline (`createMetrics`; history/ does not import metrics/, ADR 0004)
 * and is handed what it must pass on for the rollups. Only the state log's subscription and the
 * rollups' minute timer start here; the caller starts the mailer and the pipeline and stops each part
 * in its own order, with the handles returned.
 */
import type { EventBus } from '../core/bus.js';
import type { Config } from '../core/config/schema.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';
import type { ZoneName } from '../core/period.js';
import type { HistoryReader } from '../core/services.js';
import type { Store } from '../core/store/store.js';
import type { Clock } from '../core/time.js';
import { createMonthlyMailer, type MonthlyMailer } from './monthly-mailer.js';
import { createEmbeddedReader, createRollups, MEMORY_WINDOW_MS, type Rollups } from './rollups.js';
import { createHistoryApi, type HistoryApi } from './service.js';
import { recordStateChanges } from './state-log.js';

type MemoryHistory = Parameters<typeof createEmbeddedReader>[0];

/** sink none: what the metrics pipeline is given (every point of its in-memory history, the rings' reach). */
export interface RollupFeed {
  onMemoryPoints: Rollups['feed'];
  memoryWindowMs: number;
}

export interface StartedArchive<M> {
  /** State log, alert search, reports, test notifications: what the history routes serve. */
  api: HistoryApi;
  /** Null unless reports.monthly is set; not started. */
  mailer: MonthlyMailer | null;
  /** What `createMetrics` built; not started. */
  metrics: M;
  /** The drawer's history: memory + rollups with sink none, else the pipeline's own reader. */
  reader: HistoryReader;
  /**
   * sink none: writes the closed buckets (all with `all`) in slices that yield to the event loop;
   * a failure is logged and the buckets kept for the next flush. Undefined with a sink.
   */
  flushRollups(opts?: { all?: boolean; prune?: boolean }): Promise<void> | undefined;
  /** Ends the minute flush timer. */
  stopRollupTimer(): void;
  /** At stop, after the pipeline stopped: every bucket left, in one synchronous go (failure logged). */
  writeLastRollups(): void;
  /** Ends the state log's subscription to the bus. */
  stopRecording(): void;
}

export function startArchive<M extends { memory: MemoryHistory | null; reader: HistoryReader }>(deps: {
  store: Store;
  bus: EventBus;
  inventory: () => Inventory;
  config: Pick<Config, 'reports' | 'alerting' | 'grafana' | 'metrics'>;
  clock: Clock;
  regionZone: ZoneName;
  logger: Logger;
  /** Builds the metrics pipeline with `feed` spread into its deps (empty unless sink none). */
  createMetrics: (feed: RollupFeed | Record<string, never>) => M;
}): StartedArchive<M> {
  const { store, config, clock, logger: log } = deps;
  // The state log subscribes before anything publishes, so the first UNKNOWN → UP changes are kept.
  const api = createHistoryApi({ store, inventory: deps.inventory, config, clock, regionZone: deps.regionZone });
  const stopRecording = recordStateChanges(deps.bus, api.stateLog, log);
  const mailer = createMonthlyMailer({ config, reports: api.reports, store, clock, logger: log });
  // sink none: 5-minute / hourly rollups in SQLite keep 30 days for the drawer's graphs (ADR 0801).
  const rollups = config.metrics.sink === 'none' ? createRollups(store) : null;
  const metrics = deps.createMetrics(rollups ? { onMemoryPoints: rollups.feed, memoryWindowMs: MEMORY_WINDOW_MS } : {});
  const reader =
    rollups && metrics.memory ? createEmbeddedReader(metrics.memory, rollups, () => clock.now()) : metrics.reader;
  // Closed buckets are written in slices that yield to the event loop: at 10,000 devices one flush
  // writes ~40,000 buckets, which in one transaction blocked the loop for ~1.4 s (ADR 0803).
  const flushRollups = (opts: { all?: boolean; prune?: boolean } = {}) =>
    rollups
      ?.flushInSlices(clock.now(), opts)
      .catch((err: unknown) => log.error({ err }, 'history rollups not written (kept for the next flush)'));
  const rollupTimer = rollups ? setInterval(() => void flushRollups(), 60_000) : undefined;
  rollupTimer?.unref();
  return {
    api,
    mailer,
    metrics,
    reader,
    flushRollups,
    stopRollupTimer: () => {
      if (rollupTimer) clearInterval(rollupTimer);
    },
    writeLastRollups: () => {
      try {
        rollups?.flush(clock.now(), { all: true, prune: false });
      } catch (err) {
        log.error({ err }, 'history rollups not written');
      }
    },
    stopRecording,
  };
}
