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
import { startArchive } from '../history/start-archive.js';
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
  // The archive: state log (subscribed before anything publishes), reports, monthly mail, rollups.
  const archive = startArchive({
    store,
    bus,
    inventory: () => currentInventory,
    config,
    clock,
    regionZone: loaded.region.timeZone,
    logger: log,
    createMetrics: (feed) => createMetricsPipeline({ config, inventory, bus, logger: log, clock, configDir, ...feed }),
  });
  const { metrics, mailer } = archive;
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
    history: archive.reader,
    store,
    logger: log,
    clock,
    webDist,
    region: loaded.region,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.socketPath !== undefined ? { socketPath: opts.socketPath } : {}),
    ready: () => collecting || !collector,
    archive: archive.api,
  });

  // No collector on purpose (a server over an existing store): silence is expected, not "no data" (ADR 0406).
  if (opts.noCollector) alerting.holdNoData();
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
      const rollupsWritten = archive.flushRollups({ all: true, prune: false });
      // The collector's silence from here on is ours, not the devices' (ADR 0406).
      alerting.holdNoData();
      await collector?.stop();
      mailer?.stop();
      await server.close();
      await alerting.stop();
      await metrics.stop();
      archive.stopRollupTimer();
      await rollupsWritten;
      archive.writeLastRollups();
      await bus.close();
      archive.stopRecording();
      store.close();
    },
  };
}
