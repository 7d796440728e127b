/**
 * The pieces a web server of a cluster is built from (ADR 0901), against a real redis-server:
 * commands to the core (core/redis/rpc.ts), sessions in Redis, and the core's numbered realtime
 * feed mirrored by web servers (the same seq on each, resync on a gap or a core restart).
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createAlertMirror, type AlertMirror } from '../../../cluster/alert-mirror.js';
import { coreCommands } from '../../../cluster/core-commands.js';
import { createRealtimeFeed, type RealtimeFeed } from '../../../cluster/realtime-feed.js';
import { realtimeStreamKey } from '../../../cluster/realtime-wire.js';
import { createInProcessBus, type EventBus } from '../../../core/bus.js';
import { PantauError } from '../../../core/errors.js';
import { silentLogger } from '../../../core/logger.js';
import { createRpcClient, createRpcServer, type RpcClient, type RpcServer } from '../../../core/redis/rpc.js';
import type { AlertingService } from '../../../core/services.js';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import { createRedisSessionStore } from '../../../server/auth/sessions-redis.js';
import type { UserStore } from '../../../server/auth/users.js';
import type { SessionUser } from '../../../core/realtime.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';

const user: SessionUser = { id: 7, username: 'operator', displayName: 'Operator', role: 'operator', groups: ['noc'] };

/** A small alert engine stand-in: the feed and the commands only need the AlertingService contract. */
function fakeAlerting(bus: EventBus) {
  const statuses = new Map<string, DeviceStatus>([
    ['d1', { deviceId: 'd1', state: 'UP', since: 1 }],
    ['d2', { deviceId: 'd2', state: 'UP', since: 1 }],
  ]);
  const alerts = new Map<string, Alert>();
  const svc: AlertingService & { setState(id: string, state: DeviceStatus['state']): void; raise(id: string): Alert } =
    {
      statuses: () => [...statuses.values()],
      listAlerts: (f = {}) => [...alerts.values()].filter((a) => !f.status || f.status.includes(a.status)),
      getAlert: (id) => alerts.get(id),
      acknowledge(id, by, comment) {
        const a = alerts.get(id);
        if (!a) throw new PantauError('PANTAU_NOT_FOUND', `alert ${id} not found`);
        const next: Alert = {
          ...a,
          status: 'acknowledged',
          acknowledgedBy: by,
          ...(comment ? { ackComment: comment } : {}),
          updatedAt: Date.now(),
        };
        alerts.set(id, next);
        bus.publish('alert.changed', next);
        return next;
      },
      routedGroups: () => ['noc'],
      listMaintenance: () => [],
      addMaintenance: (input) => ({ ...input, id: 'M-1' }),
      removeMaintenance: () => false,
      setState(id, state) {
        const from = statuses.get(id)!.state;
        const s = { deviceId: id, state, since: Date.now() };
        statuses.set(id, s);
        bus.publish('device.state', { deviceId: id, from, to: state, at: s.since, status: s });
      },
      raise(id) {
        const a: Alert = {
          id: `A-${id}`,
          key: `k-${id}`,
          rule: 'device_down',
          deviceId: id,
          deviceType: 'fiber',
          kecamatan: 'Baturaja',
          severity: 'critical',
          status: 'open',
          messageKey: 'alert.device_down',
          params: {},
          title: `${id} mati`,
          affected: [],
          openedAt: Date.now(),
          updatedAt: Date.now(),
        };
        alerts.set(a.id, a);
        bus.publish('alert.changed', a);
        return a;
      },
    };
  return svc;
}

describe('cluster web pieces (real redis-server): commands, sessions in Redis, the realtime feed', function () {
  this.timeout(60_000);
  let redis: RedisHandle;
  let prefix: string;
  let n = 0;
  const conns: Redis[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  const conn = () => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: null });
    c.on('error', () => undefined);
    conns.push(c);
    return c;
  };
  const client = (timeoutMs?: number): RpcClient => {
    const c = createRpcClient({
      pub: conn(),
      sub: conn(),
      prefix,
      name: `web${n++}`,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    cleanups.push(() => c.close());
    return c;
  };
  const server = (handlers: Parameters<typeof createRpcServer>[0]['handlers']): RpcServer => {
    const s = createRpcServer({ conn: conn(), pub: conn(), prefix, handlers, logger: silentLogger(), blockS: 0.2 });
    cleanups.push(() => s.stop());
    return s;
  };

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });
  beforeEach(() => {
    prefix = `w${Date.now()}${n++}:`;
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    for (const c of conns.splice(0)) c.disconnect();
  });

  it('a command reaches the core and its answer or its error comes back; bad arguments are refused there', async () => {
    const bus = createInProcessBus();
    const alerting = fakeAlerting(bus);
    const a = alerting.raise('d1');
    server(
      coreCommands({
        alerting,
        users: {} as UserStore,
        feed: {
          snapshot: () => ({ epoch: 'e', seq: 0, statuses: [], alerts: [], groups: {} }),
        } as unknown as RealtimeFeed,
      }),
    );
    const rpc = client();
    const acked = await rpc.call<Alert>('acknowledge', { id: a.id, by: 'operator', comment: 'ke lokasi' });
    expect(acked.status).to.equal('acknowledged');
    expect(alerting.getAlert(a.id)?.status).to.equal('acknowledged');
    const err = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('resolved');
        },
        (e: PantauError) => e.code,
      );
    expect(await err(rpc.call('acknowledge', { id: 'A-none', by: 'operator' }))).to.equal('PANTAU_NOT_FOUND');
    expect(await err(rpc.call('acknowledge', { id: a.id }))).to.equal('PANTAU_INVALID_INPUT');
    expect(await err(rpc.call('acknowledge', { id: a.id, by: 'x', extra: 1 }))).to.equal('PANTAU_INVALID_INPUT');
    expect(await err(rpc.call('dropDatabase', {}))).to.equal('PANTAU_INVALID_INPUT');
  });

  it('no core: the caller gets PANTAU_UNAVAILABLE, and a core that starts later drops the expired command', async () => {
    const rpc = client(300);
    let ran = 0;
    const e = await rpc.call('acknowledge', { id: 'A-1', by: 'operator' }).catch((x: PantauError) => x);
    expect((e as PantauError).code).to.equal('PANTAU_UNAVAILABLE');
    const s = server({
      acknowledge: () => {
        ran++;
        return null;
      },
    });
    await until(() => s.expired === 1, 5000, 'expired command dropped');
    expect(ran).to.equal(0);
  });

  it('a session made on one web server is valid on another; a logout on either ends it; a disabled user is out', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    let current: SessionUser | undefined = user;
    const mk = () =>
      createRedisSessionStore({
        redis: conn(),
        prefix,
        clock,
        logger: silentLogger(),
        ttlMs: 3_600_000,
        refreshUser: async () => current,
      });
    const [a, b] = [mk(), mk()];
    const s = await a.create(user);
    const cookie = `pantau_sid=${s.token}`;
    expect((await b.fromCookieHeader(cookie))?.user.username).to.equal('operator');
    expect(await b.fromCookieHeader('pantau_sid=forged')).to.equal(undefined);
    expect(await b.fromCookieHeader(undefined)).to.equal(undefined);
    // The token is never stored: only its hash is a key.
    const keys = await conn().keys(`${prefix}session:*`);
    expect(keys).to.have.length(1);
    expect(keys[0]).to.not.include(s.token);
    // Sliding expiry, refreshed from the core after a minute; a user the core no longer has is logged out.
    now += 120_000;
    expect((await a.fromCookieHeader(cookie))?.user.id).to.equal(7);
    current = undefined;
    now += 120_000;
    expect(await b.fromCookieHeader(cookie)).to.equal(undefined);
    current = user;
    const s2 = await a.create(user);
    await b.destroyHash((await b.fromCookieHeader(`pantau_sid=${s2.token}`))!.tokenHash);
    expect(await a.fromCookieHeader(`pantau_sid=${s2.token}`)).to.equal(undefined);
    // Expiry; and a broken record is no session.
    const s3 = await a.create(user);
    now += 3_600_001;
    expect(await b.fromCookieHeader(`pantau_sid=${s3.token}`)).to.equal(undefined);
    const s4 = await a.create(user);
    for (const k of await conn().keys(`${prefix}session:*`)) await conn().set(k, '{"user":');
    expect(await a.fromCookieHeader(`pantau_sid=${s4.token}`)).to.equal(undefined);
    // Log a user out everywhere.
    const s5 = await a.create(user);
    await b.destroyForUser(7);
    expect(await a.fromCookieHeader(`pantau_sid=${s5.token}`)).to.equal(undefined);
  });

  it('two web servers mirror the core at the same seq; a gap or a core restart makes them take a new snapshot', async () => {
    const bus = createInProcessBus();
    const alerting = fakeAlerting(bus);
    let feed = createRealtimeFeed({ bus, redis: conn(), prefix, alerting, logger: silentLogger() });
    cleanups.push(() => feed.stop());
    server({
      snapshot: () => feed.snapshot(),
      acknowledge: (x) => {
        const q = x as { id: string; by: string };
        return alerting.acknowledge(q.id, q.by);
      },
    });
    const resyncs = [0, 0];
    const mirrors: AlertMirror[] = [0, 1].map((i) =>
      createAlertMirror({
        reader: conn(),
        rpc: client(),
        prefix,
        logger: silentLogger(),
        blockMs: 200,
        onResync: () => {
          resyncs[i]!++;
        },
      }),
    );
    for (const m of mirrors) {
      await m.start();
      cleanups.push(() => m.stop());
    }
    expect(mirrors.map((m) => m.ready)).to.deep.equal([true, true]);
    alerting.setState('d1', 'DOWN');
    const a = alerting.raise('d1');
    alerting.setState('d2', 'UNREACHABLE');
    await until(() => mirrors.every((m) => m.seq === 3), 5000, 'both at seq 3');
    for (const m of mirrors) {
      expect(m.statuses().map((s) => `${s.deviceId}:${s.state}`)).to.deep.equal(['d1:DOWN', 'd2:UNREACHABLE']);
      expect(m.listAlerts({ status: ['open'] }).map((x) => x.id)).to.deep.equal([a.id]);
      expect(m.routedGroups(a)).to.deep.equal(['noc']);
      expect(m.drain().map((d) => `${d.seq}:${d.kind}`)).to.deep.equal(['1:status', '2:alert', '3:status']);
    }
    expect(resyncs).to.deep.equal([1, 1]);
    // A malformed entry is skipped; a gap (seq 10 after 3) makes each take the core's snapshot.
    const key = realtimeStreamKey(prefix);
    await conn().xadd(key, '*', 'p', '{"broken":');
    await conn().xadd(
      key,
      '*',
      'p',
      JSON.stringify({
        epoch: feed.epoch,
        delta: { seq: 10, kind: 'status', status: { deviceId: 'd1', state: 'UP', since: 2 } },
      }),
    );
    await until(() => resyncs.every((r) => r === 2), 5000, 'resync after the gap');
    expect(mirrors.map((m) => m.stats.skipped)).to.deep.equal([1, 1]);
    expect(mirrors.map((m) => m.seq)).to.deep.equal([3, 3]);
    // The core restarts: a new epoch, seq from 0 again.
    feed.stop();
    feed = createRealtimeFeed({ bus, redis: conn(), prefix, alerting, logger: silentLogger() });
    alerting.setState('d2', 'UP');
    await until(
      () => resyncs.every((r) => r === 3) && mirrors.every((m) => m.epoch === feed.epoch),
      5000,
      'resync after the core restart',
    );
    expect(mirrors.map((m) => m.statuses().find((s) => s.deviceId === 'd2')?.state)).to.deep.equal(['UP', 'UP']);
    // An acknowledgement through one mirror reaches the core and comes back to both as a delta.
    await mirrors[0]!.acknowledge(a.id, 'operator');
    await until(() => mirrors.every((m) => m.getAlert(a.id)?.status === 'acknowledged'), 5000, 'ack on both');
    expect(mirrors[0]!.seq).to.equal(mirrors[1]!.seq);
  });
});
