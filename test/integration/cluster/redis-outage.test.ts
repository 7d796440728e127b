/**
 * Redis killed for 60 s (issue 16, tests): two collectors keep polling and buffer on disk, replay in
 * order when Redis is back, and afterwards every scheduled poll of every device is in InfluxDB
 * exactly once (InfluxQL), with no DOWN/UNREACHABLE state change and no alert. Real redis-server,
 * real influxd, `pantau start --role core|collector` processes, the shipped intervals (ICMP 10 s)
 * and cluster timings. 30 devices in 2 zones: the outage itself takes 60 s, and the 3,000
 * devices would add minutes of start-up on CI's 2 shared cores without testing anything more about
 * buffering (the spool holds results, not devices); bench/cluster.ts measures at size.
 * Redis restarts EMPTY (no AOF in the test): streams, groups and heartbeats are re-created, the
 * harder case.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import { readMembers } from '../../../cluster/membership.js';
import { startInfluxd, type InfluxdHandle } from '../../helpers/influxd.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';
import { startMember, writeClusterNetwork, type Proc } from './helpers.js';

describe('cluster: Redis killed for 60 s (real redis-server + influxd, core + 2 collectors)', function () {
  this.timeout(420_000);
  const DEVICES = 30;
  let redis: RedisHandle;
  let influxd: InfluxdHandle;
  let admin: Redis;
  let dir: string;
  const procs: Proc[] = [];

  before(async () => {
    [redis, influxd] = await Promise.all([startRedis(), startInfluxd()]);
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
    dir = mkdtempSync(join(tmpdir(), 'pantau-redis-outage-'));
    const config = writeClusterNetwork(dir, { devices: DEVICES, zones: 2, redisUrl: redis.url });
    const cfg = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    // History in InfluxDB, read back with InfluxQL. Retention not managed: the points stay in the
    // default policy, so the count below needs no policy name.
    cfg['metrics'] = {
      sink: 'influx1',
      influx1: { url: influxd.url, database: 'pantau' },
      retention: { manage: false },
      outbox: { path: join(dir, 'outbox.db') },
    };
    writeFileSync(config, stringify(cfg));
    procs.push(startMember(config, 'core', 'core-a'));
    procs.push(startMember(config, 'collector', 'col-1', ['--zones', 'z1']));
    procs.push(startMember(config, 'collector', 'col-2', ['--zones', 'z2']));
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      for (const p of procs) console.log(`--- ${p.child.spawnargs.slice(2).join(' ')}\n${p.output()}`);
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    admin?.disconnect();
    await redis?.stop();
    await influxd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('collectors buffer while Redis is away and replay: every poll in InfluxDB exactly once, no false DOWN, no alert', async () => {
    const members = await until(
      async () => {
        const gone = procs.find((p) => p.child.exitCode !== null);
        if (gone) throw new Error(`${gone.child.spawnargs.join(' ')} exited:\n${gone.output()}`);
        const m = await readMembers(admin, 'pantau:');
        return m.filter((x) => x.role === 'collector').length === 2 && m.some((x) => x.role === 'core') ? m : undefined;
      },
      240_000,
      'core and 2 collectors registered',
      250,
    );
    const from = Math.max(...members.map((m) => m.activeFrom)) + 1000;
    await until(() => Date.now() > from + 15_000, 60_000, '15 s of normal running', 250);

    const killedAt = Date.now();
    await redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 60_000));
    // Both collectors held results meanwhile (their logs say so; the heartbeat could not be written).
    await redis.launch();
    const restartedAt = Date.now();
    // Replayed: both collectors report an empty buffer again, and the core consumes.
    await until(
      async () => {
        const m = await readMembers(admin, 'pantau:').catch(() => []);
        const cols = m.filter((x) => x.role === 'collector');
        return (
          cols.length === 2 &&
          cols.every((c) => (c.stats?.['buffered'] ?? 1) === 0) &&
          m.some((x) => x.role === 'core' && (x.stats?.['consumed'] ?? 0) > 0)
        );
      },
      60_000,
      'buffers replayed',
      250,
    );
    for (const p of procs) expect(p.output()).to.not.match(/FATAL|unhandled/i);
    expect(procs.map((p) => p.child.exitCode)).to.deep.equal([null, null, null]);
    await new Promise((r) => setTimeout(r, 15_000));
    const to = Date.now() - 10_000;

    // Every device: one point per 10 s slot from `from` to `to`, none missing, none twice.
    const res = await influxd.query(
      'pantau',
      `SELECT loss_pct FROM icmp WHERE time >= ${from}ms AND time < ${to}ms GROUP BY device`,
    );
    const series = res.results[0]?.series ?? [];
    const problems: string[] = [];
    expect(series.length, 'devices with ICMP points').to.equal(DEVICES);
    let points = 0;
    for (const s of series) {
      const ts = s.values.map((v) => Number(v[0])).sort((a, b) => a - b);
      points += ts.length;
      if (ts[0]! - from > 13_000)
        problems.push(`${s.tags?.['device']}: first point ${ts[0]! - from} ms after the start`);
      if (to - ts.at(-1)! > 13_000)
        problems.push(`${s.tags?.['device']}: last point ${to - ts.at(-1)!} ms before the end`);
      for (let i = 1; i < ts.length; i++) {
        const gap = ts[i]! - ts[i - 1]!;
        if (gap < 7000 || gap > 13_000)
          problems.push(`${s.tags?.['device']}: ${gap} ms between polls at ${new Date(ts[i]!).toISOString()}`);
      }
    }
    expect(problems.slice(0, 10), `${problems.length} problems`).to.deep.equal([]);
    console.log(
      `      ${points} ICMP points for ${DEVICES} devices over ${Math.round((to - from) / 1000)} s (Redis down ${Math.round((restartedAt - killedAt) / 1000)} s)`,
    );
    // The outage covered polls that went through the spool.
    expect(points).to.be.greaterThan(DEVICES * Math.floor((to - from) / 10_000) - DEVICES);
    // The alert engine saw no false DOWN: no state change other than to UP, no alert, ever.
    const bad = await influxd.query('pantau', 'SELECT state FROM device_state WHERE state_code > 1');
    expect(bad.results[0]?.series ?? []).to.deep.equal([]);
    const alerts = await influxd.query('pantau', 'SELECT count(title) FROM alert');
    expect(alerts.results[0]?.series ?? []).to.deep.equal([]);
  });
});
