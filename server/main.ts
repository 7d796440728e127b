/**
 * The composition root of `pantau start`: one bus, one store, and collector → alerting →
 * metrics → server wired together. The only file that builds the big modules.
 */
import { resolve } from 'node:path';
import { createInProcessBus } from '../core/bus.js';
import { loadConfig, loadInventory, type LoadedConfig } from '../core/config/load.js';
import type { Logger } from '../core/logger.js';
import { openStore } from '../core/store/store.js';
import { systemClock, type Clock } from '../core/time.js';
import { createAlerting } from '../alerting/alerting.js';
import { createCollector } from '../collector/collector.js';
import { intervalFor } from '../collector/scheduler/plan.js';
import { createMetricsPipeline } from '../metrics/pipeline.js';
import { createMonthlyMailer } from '../history/monthly-mailer.js';
import { createEmbeddedReader, createRollups, MEMORY_WINDOW_MS } from '../history/rollups.js';
import { createHistoryApi } from '../history/service.js';
import { recordStateChanges } from '../history/state-log.js';
import { createServer, type PantauServer } from './server.js';
import { ensureWebBuilt } from './web-build.js';
import { preflight } from './preflight.js';

export interface StartOptions {
  configPath: string;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  clock?: Clock;
  /** Overrides of config.server (the demo binds its own port). */
  port?: number;
  host?: string;
  socketPath?: string;
  /** Do not probe (a server over an existing store, for UI work). */
  noCollector?: boolean;
  loaded?: LoadedConfig;
}

export interface RunningPantau {
  server: PantauServer;
  port: number;
  host: string;
  loaded: LoadedConfig;
  stop(): Promise<void>;
}

export async function startPantau(opts: StartOptions): Promise<RunningPantau> {
  const log = opts.logger;
  const clock = opts.clock ?? systemClock;
  const loaded = opts.loaded ?? loadConfig(opts.configPath, opts.env ?? process.env);
  // Everything start loads is checked before any file is opened or created (issue 13).
  preflight(loaded);
  const { config, inventory, configDir } = loaded;
  const webDist = await ensureWebBuilt(log);

  const store = openStore(config.store.path === ':memory:' ? ':memory:' : resolve(configDir, config.store.path));
  const bus = createInProcessBus({ logger: log });
  let currentInventory = inventory;
  const alerting = createAlerting({
    config,
    inventory,
    store,
    bus,
    logger: log,
    clock,
    configDir,
    timeZone: loaded.region.timeZone,
    probeIntervalS: (d, kind) => intervalFor(d, kind, config.collector),
  });
  // The state log subscribes before anything publishes, so the first UNKNOWN → UP changes are kept.
  const archive = createHistoryApi({
    store,
    inventory: () => currentInventory,
    config,
    clock,
    regionZone: loaded.region.timeZone,
  });
  const stopRecording = recordStateChanges(bus, archive.stateLog, log);
  const mailer = createMonthlyMailer({ config, reports: archive.reports, store, clock, logger: log });
  // sink none: 5-minute / hourly rollups in SQLite keep 30 days for the drawer's graphs (ADR 0801).
  const rollups = config.metrics.sink === 'none' ? createRollups(store) : null;
  const metrics = createMetricsPipeline({
    config,
    inventory,
    bus,
    logger: log,
    clock,
    configDir,
    ...(rollups ? { onMemoryPoints: rollups.feed, memoryWindowMs: MEMORY_WINDOW_MS } : {}),
  });
  const historyReader =
    rollups && metrics.memory ? createEmbeddedReader(metrics.memory, rollups, () => clock.now()) : metrics.reader;
  // Closed buckets are written in slices that yield to the event loop: at 10,000 devices one flush
  // writes ~40,000 buckets, which in one transaction blocked the loop for ~1.4 s (ADR 0803).
  const flushRollups = (opts: { all?: boolean; prune?: boolean } = {}) =>
    rollups
      ?.flushInSlices(clock.now(), opts)
      .catch((err: unknown) => log.error({ err }, 'history rollups not written (kept for the next flush)'));
  const rollupTimer = rollups ? setInterval(() => void flushRollups(), 60_000) : undefined;
  rollupTimer?.unref();
  if (config.metrics.sink === 'none') {
    log.info(
      'metrics.sink none: tanpa InfluxDB, metrik terbaru disimpan di memori untuk grafik halaman NOC / no InfluxDB: recent metrics are kept in memory for the NOC sparklines (set metrics.sink to keep history)',
    );
  }
  // An edited inventory file (or SIGHUP) reaches the collector, the alert engine, the metrics
  // pipeline and the server (REST + connected pages) together; an invalid edit throws here and
  // everything keeps the old inventory. The alert engine goes first so the server's views and the
  // statuses it serves describe the same devices. (`server` is created below; the collector only
  // calls this after collector.start(), which comes after it.)
  const reloadInventory = () => {
    const inv = loadInventory(loaded.inventoryFiles, loaded.refs);
    alerting.updateInventory(inv);
    metrics.updateInventory(inv);
    server.updateInventory(inv);
    currentInventory = inv;
    return inv;
  };
  const collector = opts.noCollector
    ? undefined
    : createCollector({
        config,
        inventory,
        bus,
        logger: log,
        clock,
        configDir,
        inventoryFiles: loaded.inventoryFiles,
        reloadInventory,
      });
  let collecting = false;
  const server = createServer({
    config,
    inventory,
    bus,
    alerting,
    history: historyReader,
    store,
    logger: log,
    clock,
    webDist,
    region: loaded.region,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.socketPath !== undefined ? { socketPath: opts.socketPath } : {}),
    ready: () => collecting || !collector,
    archive,
  });

  alerting.start();
  mailer?.start();
  await metrics.start();
  const addr = await server.listen();
  if (collector) {
    await collector.start();
    collecting = true;
  }
  log.info(
    { devices: inventory.devices.length, url: `http://${addr.host}:${addr.port}` },
    'pantau berjalan / pantau is running',
  );

  let stopped = false;
  return {
    server,
    port: addr.port,
    host: addr.host,
    loaded,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The open buckets are written while the collector gives its last probes their second;
      // whatever those probes add is written below (nothing is lost, ADR 0803).
      const rollupsWritten = flushRollups({ all: true, prune: false });
      // The collector's silence from here on is ours, not the devices' (ADR 0406).
      alerting.holdNoData();
      await collector?.stop();
      mailer?.stop();
      await server.close();
      await alerting.stop();
      await metrics.stop();
      if (rollupTimer) clearInterval(rollupTimer);
      await rollupsWritten;
      try {
        rollups?.flush(clock.now(), { all: true, prune: false });
      } catch (err) {
        log.error({ err }, 'history rollups not written');
      }
      await bus.close();
      stopRecording();
      store.close();
    },
  };
}
