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
import type { Clock } from '../core/time.js';
import { createHistoryReader } from '../metrics/pipeline.js';
import { createRedisSessionStore } from '../server/auth/sessions-redis.js';
import type { UserDirectory } from '../server/auth/users.js';
import type { SessionUser } from '../core/realtime.js';
import { createSequencer, type Sequencer } from '../server/realtime/sequencer.js';
import { createServer, type PantauServer } from '../server/server.js';
import { ensureWebBuilt } from '../server/web-build.js';
import { createAlertMirror, type AlertMirror } from './alert-mirror.js';

export interface WebRole {
  server: PantauServer;
  mirror: AlertMirror;
  bus: RedisBus;
  port: number;
  host: string;
  stop(): Promise<void>;
}

/** Without InfluxDB (metrics.sink none) the history lives in the core's memory: the web server says so. */
const noHistory: HistoryReader = {
  history: () =>
    Promise.reject(
      new Error("metrics.sink none: history is kept in the core's memory, not reachable from a web server"),
    ),
  availability: () => Promise.reject(new Error('metrics.sink none: availability needs InfluxDB in a cluster')),
};

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
  // The server exists once the mirror is built; the mirror's resync reaches it through this holder.
  const holder: { server?: PantauServer } = {};
  const mirror = createAlertMirror({
    reader: opts.connect('realtime', false),
    rpc,
    prefix,
    logger: log,
    onResync: () => holder.server?.hub?.resnapshotAll(),
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
  const history = config.metrics.sink === 'none' ? noHistory : createHistoryReader(config.metrics, opts.clock);
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
  });
  holder.server = server;
  await mirror.start();
  const addr = await server.listen();
  log.info({ url: `http://${addr.host}:${addr.port}`, seq: mirror.seq }, 'server web berjalan / web server running');
  const running = server;
  return {
    server: running,
    mirror,
    bus,
    port: addr.port,
    host: addr.host,
    async stop() {
      await running.close();
      await mirror.stop();
      await rpc.close();
      await bus.close();
      adapterRedis.disconnect();
    },
  };
}
