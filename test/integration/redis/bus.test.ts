import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createRedisBus, type RedisBus } from '../../../core/redis/bus.js';
import { openSpool } from '../../../core/redis/spool.js';
import { silentLogger } from '../../../core/logger.js';
import type { IcmpResult, ProbeResult } from '../../../core/types.js';
import type { PantauHealth } from '../../../core/bus.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';

const icmp = (deviceId: string, ts: number, ok = true): IcmpResult => ({
  kind: 'icmp',
  deviceId,
  ts,
  durationMs: 5,
  ok,
  sent: 3,
  received: ok ? 3 : 0,
  lossPct: ok ? 0 : 100,
  rttMinMs: ok ? 1 : null,
  rttAvgMs: ok ? 1 : null,
  rttMaxMs: ok ? 1 : null,
  jitterMs: ok ? 0 : null,
});

describe('core/redis/bus (real redis-server)', function () {
  this.timeout(60_000);
  let redis: RedisHandle;
  let admin: Redis;
  const buses: RedisBus[] = [];
  const children: ChildProcess[] = [];
  let prefix: string;
  let n = 0;

  // blockMs 200 / claimIdleMs 1000: the shipped reader blocks 1 s and claims after 30 s; tests
  // shorten both so a takeover is seen in seconds.
  const bus = (o: Partial<Parameters<typeof createRedisBus>[0]> = {}) => {
    const b = createRedisBus({
      connect: (use) =>
        new Redis(
          redis.url,
          use === 'publish' ? { maxRetriesPerRequest: 0, enableOfflineQueue: false } : { maxRetriesPerRequest: null },
        ),
      prefix,
      maxLen: 100_000,
      consumer: `c${n++}`,
      logger: silentLogger(),
      blockMs: 200,
      claimIdleMs: 1000,
      trimEveryMs: 300,
      ...o,
    });
    buses.push(b);
    return b;
  };

  before(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => {});
  });
  after(async () => {
    admin.disconnect();
    await redis.stop();
  });
  beforeEach(() => {
    prefix = `t${Date.now()}${n++}:`;
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  it('delivers probe results through the consumer group in publish order and acknowledges them', async () => {
    const core = bus({ group: 'core' });
    const got: string[] = [];
    core.subscribe('probe.result', (r) => {
      got.push(`${r.deviceId}@${r.ts}`);
    });
    const collector = bus();
    for (let i = 0; i < 300; i++) collector.publish('probe.result', icmp(`dev-${i % 7}`, 1000 + i));
    await collector.flushed();
    await until(() => got.length === 300, 10_000, '300 results');
    expect(got).to.deep.equal(Array.from({ length: 300 }, (_, i) => `dev-${i % 7}@${1000 + i}`));
    await until(
      async () => ((await admin.xpending(`${prefix}stream:probe.result`, 'core')) as [number])[0] === 0,
      5000,
      'no pending',
    );
    // Acknowledged entries are trimmed away: the stream does not keep what the core has.
    await until(async () => (await admin.xlen(`${prefix}stream:probe.result`)) <= 1, 5000, 'trimmed');
  });

  it('a consumer killed -9 mid-stream loses no result: its restart re-reads the unacknowledged ones', async () => {
    const spawnConsumer = () => {
      const c = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/fixtures/redis/consumer.ts', redis.url, prefix, 'core', 'core-1', '5'],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(c);
      const lines: string[] = [];
      let buf = '';
      c.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts);
      });
      return { c, lines };
    };
    const first = spawnConsumer();
    await until(() => first.lines.includes('ready'), 20_000, 'consumer ready');
    const collector = bus();
    const total = 400;
    for (let i = 0; i < total; i++) collector.publish('probe.result', icmp(`dev-${i}`, 5000 + i));
    await collector.flushed();
    await until(() => first.lines.length > 60, 20_000, 'some results handled');
    first.c.kill('SIGKILL');
    await new Promise((r) => first.c.once('exit', r));
    const handledBefore = first.lines.filter((l) => l.startsWith('got ')).length;
    expect(handledBefore).to.be.lessThan(total);

    const second = spawnConsumer();
    const seenIds = () =>
      new Set([...first.lines, ...second.lines].filter((l) => l.startsWith('got ')).map((l) => l.split(' ')[1]));
    await until(() => seenIds().size >= total, 30_000, 'the rest after the restart');
    const seen = seenIds();
    for (let i = 0; i < total; i++) expect(seen.has(`dev-${i}`), `dev-${i}`).to.equal(true);
    await until(
      async () => ((await admin.xpending(`${prefix}stream:probe.result`, 'core')) as [number])[0] === 0,
      10_000,
      'all acknowledged',
    );
  });

  it('another consumer of the group claims the pending entries of one that died', async () => {
    const dead = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/redis/consumer.ts', redis.url, prefix, 'core', 'core-dead', '100000'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(dead);
    await until(
      async () =>
        (await admin.exists(`${prefix}stream:probe.result`)) === 1 &&
        ((await admin.xinfo('GROUPS', `${prefix}stream:probe.result`)) as unknown[]).length === 1,
      20_000,
      'group created',
    );
    const collector = bus();
    for (let i = 0; i < 20; i++) collector.publish('probe.result', icmp(`dev-${i}`, 1 + i));
    await collector.flushed();
    await until(
      async () => ((await admin.xpending(`${prefix}stream:probe.result`, 'core')) as [number])[0] > 0,
      10_000,
      'delivered to the stuck consumer',
    );
    dead.kill('SIGKILL');
    const got = new Set<string>();
    const other = bus({ group: 'core', consumer: 'core-2' });
    other.subscribe('probe.result', (r) => {
      got.add(r.deviceId);
    });
    await until(() => got.size === 20, 15_000, 'claimed and handled');
  });

  it('skips a malformed entry and an entry of an unknown device, and keeps consuming', async () => {
    const got: ProbeResult[] = [];
    const core = bus({
      group: 'core',
      accept: (topic, p) =>
        topic === 'probe.result' && !(p as ProbeResult).deviceId.startsWith('known-') ? 'unknown device' : null,
    });
    core.subscribe('probe.result', (r) => {
      got.push(r);
    });
    const key = `${prefix}stream:probe.result`;
    await admin.xadd(key, '*', 'p', '{not json');
    await admin.xadd(key, '*', 'p', JSON.stringify({ kind: 'icmp', deviceId: 'known-1' }));
    await admin.xadd(key, '*', 'other', 'field');
    const collector = bus();
    collector.publish('probe.result', icmp('stranger-9', 1));
    collector.publish('probe.result', icmp('known-2', 2));
    await collector.flushed();
    await until(() => got.length === 1 && core.stats().skipped === 4, 10_000, 'one valid result, four skipped');
    expect(got[0]!.deviceId).to.equal('known-2');
    await until(
      async () => ((await admin.xpending(key, 'core')) as [number])[0] === 0,
      5000,
      'skipped entries acknowledged too',
    );
  });

  it('a full work stream refuses entries, counts them and raises pantau.health', async () => {
    const collector = bus({ maxLen: 10 });
    for (let i = 0; i < 25; i++) collector.publish('probe.result', icmp(`dev-${i}`, i));
    await collector.flushed();
    expect(await admin.xlen(`${prefix}stream:probe.result`)).to.equal(10);
    expect(collector.stats().refused['probe.result']).to.equal(15);
    expect(await admin.hget(`${prefix}stream-drops`, 'probe.result')).to.equal('15');
    const health = await admin.xrange(`${prefix}stream:pantau.health`, '-', '+');
    expect(health).to.have.length(1);
    const h = JSON.parse(health[0]![1][1]!) as PantauHealth;
    expect(h).to.include({ component: 'bus', status: 'degraded', code: 'PANTAU_BUS_STREAM_FULL' });
  });

  it('buffers in the durable spool while Redis is down and replays in order when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-spool-'));
    try {
      const spool = openSpool(join(dir, 'spool.db'), 10_000);
      const collector = bus({ spool });
      collector.publish('probe.result', icmp('dev-0', 0));
      await collector.flushed();
      await redis.kill('SIGKILL');
      for (let i = 1; i <= 50; i++) collector.publish('probe.result', icmp(`dev-${i}`, i));
      await until(
        () => collector.stats().buffered === 50 && spool.size() === 50,
        10_000,
        'spooled while Redis is down',
      );
      await redis.launch(); // empty: --save '' keeps nothing, like a Redis that lost its data
      const got: number[] = [];
      const core = bus({ group: 'core' });
      core.subscribe('probe.result', (r) => {
        got.push(r.ts);
      });
      await until(() => got.length === 50, 20_000, 'replayed');
      expect(got).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(spool.size()).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('broadcast topics reach every tailing subscriber (web servers)', async () => {
    const a = bus();
    const b = bus();
    const gotA: string[] = [];
    const gotB: string[] = [];
    a.subscribe('device.state', (s) => {
      gotA.push(s.deviceId);
    });
    b.subscribe('device.state', (s) => {
      gotB.push(s.deviceId);
    });
    const core = bus({ group: 'core' });
    const state = (id: string) => ({
      deviceId: id,
      from: 'UP' as const,
      to: 'DOWN' as const,
      at: 1,
      status: { deviceId: id, state: 'DOWN' as const, since: 1 },
    });
    // Tails start at the stream's end: markers go out until both tails have seen one, then the entries.
    await until(
      () => {
        core.publish('device.state', state('marker'));
        return gotA.includes('marker') && gotB.includes('marker');
      },
      10_000,
      'both tails running',
      100,
    );
    for (const id of ['x1', 'x2', 'x3']) core.publish('device.state', state(id));
    const real = (got: string[]) => got.filter((id) => id !== 'marker');
    await until(() => real(gotA).length === 3 && real(gotB).length === 3, 10_000, 'both tails');
    expect(real(gotA)).to.deep.equal(['x1', 'x2', 'x3']);
    expect(real(gotB)).to.deep.equal(real(gotA));
  });
});
