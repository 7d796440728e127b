/**
 * The composition roots of `pantau start --role collector|core` (docs/scale.md): the same modules
 * as the single process (server/main.ts), wired to the Redis bus instead of the in-process one.
 * `--role all` never comes here.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../core/config/load.js';
import type { Redis } from 'ioredis';
import { createInProcessBus } from '../core/bus.js';
import { createRpcServer } from '../core/redis/rpc.js';
import { createUserStore } from '../server/auth/users.js';
import { coreCommands } from './core-commands.js';
import { createRealtimeFeed } from './realtime-feed.js';
import { teeBus } from './tee-bus.js';
import { startWebRole } from './web-role.js';
import { collectDefaultMetrics, Registry } from '../server/http/prom.js';
import type { ClusterView } from '../core/realtime.js';
import { clusterView, collectorsSeenKey, sameView } from './health-view.js';
import { createClusterMetrics, serveMetrics } from './metrics.js';
import type { Logger } from '../core/logger.js';
import { openStore } from '../core/store/store.js';
import { systemClock, type Clock } from '../core/time.js';
import type { ProbeResult } from '../core/types.js';
import { createRedisBus, type RedisBus } from '../core/redis/bus.js';
import { connectRedis } from '../core/redis/connect.js';
import { openSpool } from '../core/redis/spool.js';
import { createAlerting } from '../alerting/alerting.js';
import { createCollector } from '../collector/collector.js';
import { intervalFor } from '../collector/scheduler/plan.js';
import { createMetricsPipeline } from '../metrics/pipeline.js';
import { activationTime, nextHandoverAt, ownedBy, zonesOf, type ClusterRole } from './assign.js';
import { createMembership, type Membership } from './membership.js';
import { redisRequired } from './require-redis.js';
import { preflight } from '../server/preflight.js';
import { loadInventory } from '../core/config/load.js';
import type { Inventory } from '../core/inventory/topology.js';
import { changedDeviceIds } from '../collector/collector.js';
import { watchInventory } from '../collector/inventory-watch.js';
import { startArchive } from '../history/start-archive.js';
import { historyRoutes } from '../server/http/routes-history.js';
import { createRouteRunner } from '../server/http/route-forward.js';
import { followInventory, inventoryVersion, shareInventory, versionNumber } from './inventory-share.js';

export const ROLES = ['all', 'collector', 'core', 'web'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleOptions {
  role: Exclude<Role, 'all'>;
  loaded: LoadedConfig;
  logger: Logger;
  clock?: Clock;
  /** Overrides cluster.name / cluster.zones. */
  name?: string;
  zones?: string[];
  /** Web role: overrides config.server.port / host. */
  port?: number;
  host?: string;
}

export interface RunningRole {
  name: string;
  bus: RedisBus;
  membership: Membership;
  /** Web role: the HTTP port it listens on. */
  port?: number;
  stop(): Promise<void>;
}

export async function startRole(opts: RoleOptions): Promise<RunningRole> {
  const { config, inventory, configDir } = opts.loaded;
  const redisCfg = config.redis;
  if (!redisCfg) throw redisRequired(opts.role, opts.loaded.configPath);
  // The same checks as `pantau validate` and the single process, before any file is opened.
  preflight(opts.loaded);
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const name = opts.name ?? config.cluster.name ?? `${hostname()}-${opts.role}`;
  const zonesServed = opts.zones ?? config.cluster.zones;
  const log = opts.logger.child({ role: opts.role, member: name });
  const prefix = redisCfg.keyPrefix;
  const connections: Redis[] = [];
  const connect = (use: string, failFast: boolean) => {
    const c = connectRedis(redisCfg, configDir, { failFast, name: `pantau:${name}:${use}` });
    c.on('error', (err: Error) => log.debug({ err: err.message, use }, 'redis error'));
    connections.push(c);
    return c;
  };
  const disconnectAll = () => {
    for (const c of connections) c.disconnect();
  };
  const heartbeatMs = config.cluster.heartbeatS * 1000;
  const ttlMs = config.cluster.memberTtlS * 1000;
  const role: ClusterRole = opts.role;
  // Follows the inventory: the core reloads it, the others take the core's copy (cluster/inventory-share.ts).
  let zones = zonesOf(inventory);
  // /metrics of the collector and the core: their own little listener, when a port is set.
  const metricsPort = opts.port ?? config.cluster.metricsPort;
  const startMetrics = async (membership: Membership, bus: RedisBus) => {
    if (metricsPort === undefined) return undefined;
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'pantau_' });
    const cm = createClusterMetrics(registry);
    return serveMetrics({
      host: opts.host ?? config.cluster.metricsHost,
      port: metricsPort,
      registry,
      logger: log,
      refresh: () => {
        cm.update(membership.members(), zones, now());
        cm.updateBus(bus.stats());
      },
    });
  };

  if (opts.role === 'collector') {
    const spool = openSpool(
      resolve(configDir, redisCfg.spool.path.replaceAll('{name}', name)),
      redisCfg.spool.maxEntries,
    );
    const bus = createRedisBus({
      connect: (use) => connect(use, use === 'publish'),
      prefix,
      maxLen: redisCfg.streamMaxLen,
      consumer: name,
      spool,
      logger: log,
      now,
    });
    let owned = new Set<string>();
    const collector = createCollector({
      config,
      inventory,
      bus,
      logger: log,
      clock,
      configDir,
      collectorId: name,
      owns: (d) => owned.has(d.id),
    });
    let handoverTimer: NodeJS.Timeout | undefined;
    const membership: Membership = createMembership({
      redis: connect('members', true),
      prefix,
      heartbeatMs,
      ttlMs,
      logger: log,
      now,
      self: { name, role, zones: zonesServed, activeFrom: activationTime(now(), 2 * heartbeatMs), startedAt: now() },
      stats: () => ({
        devices: owned.size,
        buffered: bus.stats().buffered,
        bufferDropped: bus.stats().bufferDropped,
        inventory: versionNumber(follower.version),
      }),
      onChange: () => recompute(),
    });
    // Devices change hands when membership changes, and again at each planned handover instant
    // (a joining member's activeFrom), so old and new owner switch at the same moment.
    function recompute() {
      const members = membership.members();
      owned = ownedBy(name, zones, members, now());
      collector.rebalance();
      if (handoverTimer) clearTimeout(handoverTimer);
      const next = nextHandoverAt(members, now());
      if (next !== undefined) handoverTimer = setTimeout(recompute, Math.max(0, next - now()));
    }
    // The core's inventory: new devices are polled, removed ones dropped, zones follow.
    const follower = followInventory({
      redis: connect('inventory', false),
      prefix,
      refs: opts.loaded.refs,
      initial: inventory,
      logger: log,
      apply: (inv: Inventory) => {
        collector.updateInventory(inv);
        zones = zonesOf(inv);
        recompute();
      },
    });
    const unsubscribeInventory = bus.subscribe('inventory.changed', () => void follower.check());
    const inventoryTimer = setInterval(() => void follower.check(), heartbeatMs);
    inventoryTimer.unref();
    await membership.start();
    recompute();
    // Not awaited: a collector starts and polls while Redis is away (it spools).
    void follower.check();
    await collector.start();
    const metricsHttp = await startMetrics(membership, bus);
    log.info(
      { zones: zonesServed.length ? zonesServed : 'all', devices: owned.size },
      'kolektor berjalan / collector running',
    );
    return {
      name,
      bus,
      membership,
      ...(metricsHttp ? { port: metricsHttp.port } : {}),
      async stop() {
        clearInterval(inventoryTimer);
        unsubscribeInventory();
        await metricsHttp?.close();
        if (handoverTimer) clearTimeout(handoverTimer);
        await membership.stop();
        await collector.stop();
        await bus.close();
        spool.close();
        disconnectAll();
      },
    };
  }

  if (opts.role === 'web') {
    // Filled in below, once the member list exists; /metrics calls it.
    const hooks: { metrics?: () => void; coreAlive?: () => boolean } = {};
    const web = await startWebRole({
      loaded: opts.loaded,
      logger: log,
      clock,
      name,
      connect,
      onMetrics: () => hooks.metrics?.(),
      onInventory: (inv) => {
        zones = zonesOf(inv);
      },
      coreAlive: () => hooks.coreAlive?.() ?? true,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.host ? { host: opts.host } : {}),
    });
    const cm = createClusterMetrics(web.server.metricsRegistry);
    // Collectors ever seen (name → last heartbeat), shared by the web servers: a restarted one still knows who is missing.
    const seenKey = collectorsSeenKey(prefix);
    const viewRedis = connect('cluster-view', false);
    let view: ClusterView | undefined;
    let viewing: Promise<void> | null = null;
    const refreshView = async () => {
      const members = membership.members();
      const live = members.filter((m) => m.role === 'collector');
      try {
        if (live.length > 0) await viewRedis.hset(seenKey, Object.fromEntries(live.map((m) => [m.name, String(m.at)])));
        const seen = new Map(
          Object.entries(await viewRedis.hgetall(seenKey))
            .map(([k, v]) => [k, Number(v)] as const)
            .filter(([, v]) => Number.isFinite(v)),
        );
        const next = clusterView(members, zones, seen, now());
        if (!sameView(view, next)) {
          if (next.missingCollectors.length || next.zonesWithoutCollector.length || !next.core)
            log.warn({ view: next }, 'klaster tidak lengkap / cluster incomplete');
          view = next;
          web.server.hub?.setCluster(next);
        }
      } catch (err) {
        log.debug({ err: (err as Error).message }, 'cluster view not refreshed');
      }
    };
    const membership = createMembership({
      redis: connect('members', true),
      prefix,
      heartbeatMs,
      ttlMs,
      logger: log,
      now,
      self: { name, role, zones: [], activeFrom: now(), startedAt: now() },
      stats: () => ({
        seq: web.mirror.seq,
        lagMs: web.mirror.stats.lagMs,
        resyncs: web.mirror.stats.resyncs,
        clients: web.server.hub?.clientCount() ?? 0,
        inventory: versionNumber(web.inventory.version),
      }),
      onChange: () => {
        viewing ??= refreshView().finally(() => {
          viewing = null;
        });
      },
    });
    hooks.coreAlive = () => membership.members().some((m) => m.role === 'core');
    hooks.metrics = () => {
      cm.update(membership.members(), zones, now(), view);
      cm.updateBus(web.bus.stats());
    };
    await membership.start();
    await refreshView();
    const viewTimer = setInterval(() => {
      viewing ??= refreshView().finally(() => {
        viewing = null;
      });
    }, heartbeatMs);
    viewTimer.unref();
    return {
      name,
      bus: web.bus,
      membership,
      port: web.port,
      async stop() {
        clearInterval(viewTimer);
        await viewing;
        await membership.stop();
        await web.stop();
        disconnectAll();
      },
    };
  }

  // core: the alert engine, notifications and the metrics writer; one active instance.
  const store = openStore(config.store.path === ':memory:' ? ':memory:' : resolve(configDir, config.store.path));
  // The inventory the core runs on; it reloads it (file change, SIGHUP) and the other members follow.
  let current = inventory;
  let coreVersion = inventoryVersion(inventory.devices);
  const redisBus = createRedisBus({
    connect: (use) => connect(use, use === 'publish'),
    prefix,
    maxLen: redisCfg.streamMaxLen,
    consumer: name,
    group: 'core',
    logger: log,
    now,
    paused: true,
    accept: (topic, payload) =>
      topic === 'probe.result' && !current.byId.has((payload as ProbeResult).deviceId)
        ? 'perangkat tidak dikenal / unknown device'
        : null,
  });
  // What the core produces reaches its own modules in-process, in publish order (ADR 0901).
  const bus = teeBus(redisBus, createInProcessBus({ logger: log }), new Set(['device.state', 'alert.changed']));
  const alerting = createAlerting({
    config,
    inventory,
    store,
    bus,
    logger: log,
    clock,
    configDir,
    timeZone: opts.loaded.region.timeZone,
    probeIntervalS: (d, kind) => intervalFor(d, kind, config.collector),
    // Redis away: the collectors spool their results, so silence then says nothing (ADR 0406).
    resultsFlowing: () => redisBus.stats().connected,
  });
  // The archive (state log, alert history, reports, test notifications; with sink none the drawer's
  // graphs from memory + SQLite rollups) lives with the store, built as in the single process.
  const archive = startArchive({
    store,
    bus,
    inventory: () => current,
    config,
    clock,
    regionZone: opts.loaded.region.timeZone,
    logger: log,
    createMetrics: (feed) => createMetricsPipeline({ config, inventory, bus, logger: log, clock, configDir, ...feed }),
  });
  const { metrics, mailer } = archive;
  // The archive routes a web server forwards: the same route table as the single process (ADR 0902).
  const runRoute = createRouteRunner(
    historyRoutes({
      inventory: () => current,
      alerting,
      region: opts.loaded.region,
      clock,
      logger: log,
      ui: { language: config.server.language },
      archive: archive.api,
    }),
  );
  // The web servers: numbered deltas on <prefix>realtime, and commands over Redis.
  const feed = createRealtimeFeed({ bus, redis: connect('realtime', false), prefix, alerting, logger: log });
  const users = createUserStore(store, clock);
  const rpc = createRpcServer({
    conn: connect('commands', false),
    pub: connect('replies', false),
    prefix,
    logger: log,
    now,
    handlers: coreCommands({
      alerting,
      users,
      feed,
      route: (args) => runRoute(args),
      timelines: (from, to) => archive.api.stateLog.timelines(from, to),
      history: archive.reader,
      now,
    }),
  });
  // The inventory copy the other members follow, and the core's own reload of the files.
  const shareRedis = connect('inventory', false);
  // One after the other: an older copy never overwrites a newer one.
  let sharing = Promise.resolve();
  const share = (inv: Inventory, changed: string[]) => {
    sharing = sharing.then(async () => {
      try {
        const version = await shareInventory(shareRedis, prefix, inv);
        redisBus.publish('inventory.changed', { deviceIds: changed, version });
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'inventory copy not written to Redis; members keep theirs');
      }
    });
    return sharing;
  };
  void share(inventory, []);
  const unwatch = watchInventory({
    files: opts.loaded.inventoryFiles,
    reload: () => loadInventory(opts.loaded.inventoryFiles, opts.loaded.refs),
    logger: log,
    apply: (inv) => {
      const changed = changedDeviceIds(current, inv);
      alerting.updateInventory(inv);
      metrics.updateInventory(inv);
      current = inv;
      coreVersion = inventoryVersion(inv.devices);
      zones = zonesOf(inv);
      if (changed.length > 0) void share(inv, changed);
    },
  });
  const membership = createMembership({
    redis: connect('members', true),
    prefix,
    heartbeatMs,
    ttlMs,
    logger: log,
    now,
    self: { name, role, zones: [], activeFrom: now(), startedAt: now() },
    stats: () => {
      const s = redisBus.stats();
      return {
        lag: s.lag['probe.result'] ?? 0,
        consumed: s.consumed['probe.result'] ?? 0,
        skipped: s.skipped,
        seq: feed.seq,
        commands: rpc.served,
        inventory: versionNumber(coreVersion),
      };
    },
  });
  alerting.start();
  mailer?.start();
  await metrics.start();
  redisBus.resume();
  await membership.start();
  const metricsHttp = await startMetrics(membership, redisBus);
  log.info({ devices: inventory.devices.length }, 'inti berjalan / core running');
  return {
    name,
    bus: redisBus,
    membership,
    ...(metricsHttp ? { port: metricsHttp.port } : {}),
    async stop() {
      unwatch();
      mailer?.stop();
      await metricsHttp?.close();
      await membership.stop();
      await rpc.stop();
      feed.stop();
      await bus.close();
      await alerting.stop();
      await metrics.stop();
      archive.stopRollupTimer();
      archive.writeLastRollups();
      archive.stopRecording();
      store.close();
      disconnectAll();
    },
  };
}
