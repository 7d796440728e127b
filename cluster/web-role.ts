/**
 * `pantau start --role web` (ADR 0901): the NOC page, REST API and socket.io of a cluster. Holds
 * no state of its own: alerts and statuses come from the core (snapshot, then its numbered deltas
 * on `<prefix>realtime`), commands and users go to the core over Redis, sessions live in Redis,
 * live metric values are tailed from the bus, and socket.io's Redis Streams adapter joins the web
 * servers (a logout on one closes the session's pages on all).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { EventBus } from '../core/bus.js';
import type { LoadedConfig } from '../core/config/load.js';
import type { Logger } from '../core/logger.js';
import { createRedisBus, type RedisBus } from '../core/redis/bus.js';
import { createRpcClient } from '../core/redis/rpc.js';
import type { HistoryReader } from '../core/services.js';
import type { Inventory } from '../core/inventory/topology.js';
import { PantauError } from '../core/errors.js';
import { createRedisLoginThrottle } from '../server/auth/login-throttle-redis.js';
import { throttlePolicy } from '../server/http/app.js';
import { followInventory, type InventoryFollower } from './inventory-share.js';
import { createTimelineCopy, type TimelinesReply } from './timeline-copy.js';
import type { Clock } from '../core/time.js';
import { createHistoryReader } from '../metrics/pipeline.js';
import { createRedisSessionStore } from '../server/auth/sessions-redis.js';
import type { UserDirectory } from '../server/auth/users.js';
import type { SessionUser } from '../core/realtime.js';
import { createSequencer, type Sequencer } from '../server/realtime/sequencer.js';
import { createServer, loginLimitOf, type PantauServer } from '../server/server.js';
import { ensureWebBuilt } from '../server/web-build.js';
import { createAlertMirror, type AlertMirror } from './alert-mirror.js';

export interface WebRole {
  server: PantauServer;
  mirror: AlertMirror;
  bus: RedisBus;
  /** The core's inventory copy this server follows. */
  inventory: InventoryFollower;
  port: number;
  host: string;
  stop(): Promise<void>;
}

const NO_CORE =
  'inti (core) tidak berjalan, riwayat dan laporan tidak tersedia; coba lagi nanti / no core is running: history and reports are unavailable, try again later';

export async function startWebRole(opts: {
  loaded: LoadedConfig;
  logger: Logger;
  clock: Clock;
  name: string;
  connect: (use: string, failFast: boolean) => Redis;
  port?: number;
  host?: string;
  /** Before /metrics renders (the role adds its cluster gauges). */
  onMetrics?: () => void;
  /** The core's inventory was taken (the role's zones follow it). */
  onInventory?: (inv: Inventory) => void;
  /** Whether a core has a live heartbeat: without one, archive requests get 503 at once instead of after the deadline. */
  coreAlive?: () => boolean;
}): Promise<WebRole> {
  const { config, inventory, region } = opts.loaded;
  const redisCfg = config.redis!;
  const prefix = redisCfg.keyPrefix;
  const log = opts.logger;
  const webDist = await ensureWebBuilt(log);
  const rpc = createRpcClient({
    pub: opts.connect('rpc', false),
    sub: opts.connect('rpc-replies', false),
    prefix,
    name: opts.name,
  });
  // What only the core has (ADR 0902): refused at once when no core has a live heartbeat.
  const toCore = <T>(method: string, args: unknown, timeoutMs: number): Promise<T> =>
    opts.coreAlive && !opts.coreAlive()
      ? Promise.reject(new PantauError('PANTAU_UNAVAILABLE', NO_CORE))
      : rpc.call<T>(method, args, timeoutMs);
  // The server exists once the mirror is built; the mirror's resync reaches it through this holder.
  const holder: { server?: PantauServer } = {};
  // The public status page's day bars: a copy of the core's state log timelines (cluster/timeline-copy.ts).
  const timelines = createTimelineCopy({
    fetch: (from) => toCore<TimelinesReply>('status.timelines', { from }, 30_000),
    onUpdate: () => holder.server?.statusPage?.invalidate(),
    logger: log,
  });
  const mirror = createAlertMirror({
    reader: opts.connect('realtime', false),
    rpc,
    prefix,
    logger: log,
    onResync: () => {
      holder.server?.hub?.resnapshotAll();
      void timelines.refresh();
    },
  });
  // Tail only (no consumer group): live metric values for open drawers, schedule reports for /metrics.
  const bus = createRedisBus({
    connect: (use) => opts.connect(use, use === 'publish'),
    prefix,
    maxLen: redisCfg.streamMaxLen,
    consumer: opts.name,
    logger: log,
    now: () => opts.clock.now(),
  });
  const orNone = <T>(v: T | null) => v ?? undefined;
  const users: UserDirectory & { count(): Promise<number> } = {
    verify: async (username, password) =>
      orNone(await rpc.call<SessionUser | null>('users.verify', { username, password })),
    list: () => rpc.call<SessionUser[]>('users.list'),
    add: (input) => rpc.call<SessionUser>('users.add', input),
    count: () => rpc.call<number>('users.count'),
  };
  const sessions = createRedisSessionStore({
    redis: opts.connect('sessions', false),
    prefix,
    clock: opts.clock,
    logger: log,
    ttlMs: config.server.sessionTtlHours * 3600_000,
    ...(config.server.sessionSecret ? { secret: config.server.sessionSecret } : {}),
    refreshUser: async (id) => orNone(await rpc.call<SessionUser | null>('users.get', { id })),
  });
  const adapterRedis = opts.connect('socket.io', false);
  adapterRedis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis (socket.io adapter) error'));
  const adapter = createAdapter(adapterRedis, {
    streamName: `${prefix}socket.io`,
    sessionKeyPrefix: `${prefix}sio:session:`,
    maxLen: 10_000,
  });
  // The page's numbered deltas are the core's; only metric samples are gathered here.
  const samplesOnly: EventBus = {
    ...bus,
    subscribe: (topic, handler) =>
      topic === 'device.state' || topic === 'alert.changed' ? () => undefined : bus.subscribe(topic, handler),
  };
  const makeSequencer = ({ isWatched }: { isWatched: (id: string) => boolean }): Sequencer => {
    const samples = createSequencer(samplesOnly, { isWatched });
    return {
      get seq() {
        return mirror.seq;
      },
      drain: () => mirror.drain(),
      drainSamples: () => samples.drainSamples(),
      latestOf: (ids) => samples.latestOf(ids),
      pushDevices: () => holder.server?.hub?.resnapshotAll(),
      stop: () => samples.stop(),
    };
  };
  // Without InfluxDB (metrics.sink none) the history lives in the core (memory + SQLite rollups).
  const history: HistoryReader =
    config.metrics.sink === 'none'
      ? {
          history: (q) => toCore('history.history', q, 10_000),
          availability: (q) => toCore('history.availability', q, 10_000),
        }
      : createHistoryReader(config.metrics, opts.clock);
  const unsubscribeTimelines = bus.subscribe('device.state', (c) => timelines.onChange(c));
  // Every web server counts login failures in the same place (ADR 0902).
  const loginThrottle = createRedisLoginThrottle({
    redis: opts.connect('login-throttle', false),
    prefix,
    policy: throttlePolicy(loginLimitOf(config.server)),
  });
  const server = createServer({
    config,
    inventory,
    region,
    bus,
    alerting: mirror,
    history,
    logger: log,
    clock: opts.clock,
    webDist,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ready: () => mirror.ready,
    ...(opts.onMetrics ? { onMetrics: opts.onMetrics } : {}),
    auth: { users, sessions },
    realtime: { makeSequencer, serverId: () => mirror.epoch, adapter },
    // The archive routes (alert history, reports, test notifications) run on the core (ADR 0902).
    forward: (input) => toCore('http.route', input, 30_000),
    loginThrottle,
    statusTimelines: (from) => timelines.get(from),
  });
  holder.server = server;
  const follower = followInventory({
    redis: opts.connect('inventory', false),
    prefix,
    refs: opts.loaded.refs,
    initial: inventory,
    logger: log,
    apply: (inv) => {
      server.updateInventory(inv);
      opts.onInventory?.(inv);
    },
  });
  const unsubscribeInventory = bus.subscribe('inventory.changed', () => void follower.check());
  await follower.check();
  const inventoryTimer = setInterval(() => void follower.check(), config.cluster.heartbeatS * 1000);
  inventoryTimer.unref();
  await mirror.start();
  const addr = await server.listen();
  log.info({ url: `http://${addr.host}:${addr.port}`, seq: mirror.seq }, 'server web berjalan / web server running');
  const running = server;
  return {
    server: running,
    mirror,
    bus,
    inventory: follower,
    port: addr.port,
    host: addr.host,
    async stop() {
      clearInterval(inventoryTimer);
      unsubscribeInventory();
      unsubscribeTimelines();
      timelines.stop();
      await running.close();
      await mirror.stop();
      await rpc.close();
      await bus.close();
      adapterRedis.disconnect();
    },
  };
}
