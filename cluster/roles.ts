/**
 * The composition roots of `pantau start --role collector|core` (docs/scale.md): the same modules
 * as the single process (server/main.ts), wired to the Redis bus instead of the in-process one.
 * `--role all` never comes here.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../core/config/load.js';
import { PantauError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { openStore } from '../core/store/store.js';
import { systemClock, type Clock } from '../core/time.js';
import type { ProbeResult } from '../core/types.js';
import { createRedisBus, type RedisBus } from '../core/redis/bus.js';
import { connectRedis } from '../core/redis/connect.js';
import { openSpool } from '../core/redis/spool.js';
import { createAlerting } from '../alerting/alerting.js';
import { createCollector } from '../collector/collector.js';
import { createMetricsPipeline } from '../metrics/pipeline.js';
import { activationTime, nextHandoverAt, ownedBy, zonesOf, type ClusterRole } from './assign.js';
import { createMembership, type Membership } from './membership.js';
import { redisRequired } from './require-redis.js';
import { preflight } from '../server/preflight.js';

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
}

export interface RunningRole {
  name: string;
  bus: RedisBus;
  membership: Membership;
  stop(): Promise<void>;
}

export async function startRole(opts: RoleOptions): Promise<RunningRole> {
  const { config, inventory, configDir } = opts.loaded;
  const redisCfg = config.redis;
  if (!redisCfg) throw redisRequired(opts.role, opts.loaded.configPath);
  // The same checks as `pantau validate` and the single process, before any file is opened.
  preflight(opts.loaded);
  if (opts.role === 'web') {
    throw new PantauError('PANTAU_CONFIG_INVALID', '--role web is not built yet (issue 16, docs/scale.md): run the web server with --role all against its own collector, or wait');
  }
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const name = opts.name ?? config.cluster.name ?? `${hostname()}-${opts.role}`;
  const zonesServed = opts.zones ?? config.cluster.zones;
  const log = opts.logger.child({ role: opts.role, member: name });
  const prefix = redisCfg.keyPrefix;
  const connect = (use: string, failFast: boolean) => connectRedis(redisCfg, configDir, { failFast, name: `pantau:${name}:${use}` });
  const heartbeatMs = config.cluster.heartbeatS * 1000;
  const ttlMs = config.cluster.memberTtlS * 1000;
  const role: ClusterRole = opts.role;

  if (opts.role === 'collector') {
    const spool = openSpool(resolve(configDir, redisCfg.spool.path.replaceAll('{name}', name)), redisCfg.spool.maxEntries);
    const bus = createRedisBus({ connect: (use) => connect(use, use === 'publish'), prefix, maxLen: redisCfg.streamMaxLen, consumer: name, spool, logger: log, now });
    const zones = zonesOf(inventory);
    let owned = new Set<string>();
    const collector = createCollector({ config, inventory, bus, logger: log, clock, configDir, collectorId: name, owns: (d) => owned.has(d.id) });
    let handoverTimer: NodeJS.Timeout | undefined;
    const membership: Membership = createMembership({
      redis: connect('members', true), prefix, heartbeatMs, ttlMs, logger: log, now,
      self: { name, role, zones: zonesServed, activeFrom: activationTime(now(), 2 * heartbeatMs), startedAt: now() },
      stats: () => ({ devices: owned.size, buffered: bus.stats().buffered, bufferDropped: bus.stats().bufferDropped }),
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
    await membership.start();
    recompute();
    await collector.start();
    log.info({ zones: zonesServed.length ? zonesServed : 'all', devices: owned.size }, 'kolektor berjalan / collector running');
    return {
      name, bus, membership,
      async stop() {
        if (handoverTimer) clearTimeout(handoverTimer);
        await membership.stop();
        await collector.stop();
        await bus.close();
        spool.close();
      },
    };
  }

  // core: the alert engine, notifications and the metrics writer; one active instance.
  const store = openStore(config.store.path === ':memory:' ? ':memory:' : resolve(configDir, config.store.path));
  const bus = createRedisBus({
    connect: (use) => connect(use, use === 'publish'), prefix, maxLen: redisCfg.streamMaxLen, consumer: name, group: 'core', logger: log, now, paused: true,
    accept: (topic, payload) => (topic === 'probe.result' && !inventory.byId.has((payload as ProbeResult).deviceId) ? 'perangkat tidak dikenal / unknown device' : null),
  });
  const alerting = createAlerting({ config, inventory, store, bus, logger: log, clock, configDir });
  const metrics = createMetricsPipeline({ config, inventory, bus, logger: log, clock, configDir });
  const membership = createMembership({
    redis: connect('members', true), prefix, heartbeatMs, ttlMs, logger: log, now,
    self: { name, role, zones: [], activeFrom: now(), startedAt: now() },
    stats: () => {
      const s = bus.stats();
      return { lag: s.lag['probe.result'] ?? 0, consumed: s.consumed['probe.result'] ?? 0, skipped: s.skipped };
    },
  });
  alerting.start();
  await metrics.start();
  bus.resume();
  await membership.start();
  log.info({ devices: inventory.devices.length }, 'inti berjalan / core running');
  return {
    name, bus, membership,
    async stop() {
      await membership.stop();
      await bus.close();
      await alerting.stop();
      await metrics.stop();
      store.close();
    },
  };
}
