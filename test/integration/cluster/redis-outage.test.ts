/**
 * Redis killed for 60 s (issue 16, tests): two collectors keep polling and buffer on disk, replay in
 * order when Redis is back, and afterwards every scheduled poll of every device is in InfluxDB
 * exactly once: none missing (InfluxQL: one point per 10 s slot, counted per device, the window
 * flanked by points on both sides) and none written twice (a tap between the core and influxd sees
 * every write: InfluxDB itself would silently merge a duplicate of the same point), with no
 * DOWN/UNREACHABLE state change and no alert. Real redis-server,
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
import { pointKeys, startInfluxWriteTap, type InfluxWriteTap } from '../../helpers/influx-write-tap.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';
import { startMember, writeClusterNetwork, type Proc } from './helpers.js';

describe('cluster: Redis killed for 60 s (real redis-server + influxd, core + 2 collectors)', function () {
  this.timeout(420_000);
  const DEVICES = 30;
  let redis: RedisHandle;
  let influxd: InfluxdHandle;
  let tap: InfluxWriteTap;
  let admin: Redis;
  let dir: string;
  const procs: Proc[] = [];

  before(async () => {
    [redis, influxd] = await Promise.all([startRedis(), startInfluxd()]);
    tap = await startInfluxWriteTap(influxd.url);
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
    dir = mkdtempSync(join(tmpdir(), 'pantau-redis-outage-'));
    const config = writeClusterNetwork(dir, { devices: DEVICES, zones: 2, redisUrl: redis.url });
    const cfg = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    // History in InfluxDB, read back with InfluxQL. Retention not managed: the points stay in the
    // default policy, so the count below needs no policy name.
    cfg['metrics'] = {
      sink: 'influx1',
      // Through the tap, which counts every point written (see (2) below).
      influx1: { url: tap.url, database: 'pantau' },
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
    await tap?.close();
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
    // Every device has been polled at least once before `from` (its collector polls from its
    // activeFrom on, each device once per 10 s), so a poll missing just after `from` shows as a gap.
    const joined = Math.max(...members.map((m) => m.activeFrom));
    const from = joined + 14_000;
    await until(() => Date.now() > from + 2000, 60_000, 'normal running into the window', 250);

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
    // Each device has a poll after `to` too (10 s later at most, plus the writer's batching), so
    // a poll missing just before `to` shows as a gap as well.
    const to = Date.now() - 13_000;

    // (1) InfluxQL, per device: the points from the last one before the window to the newest are
    // 7–13 s apart (one per 10 s slot: a missing poll is a ~20 s gap, a second poll of the same
    // slot at another instant a gap under 7 s), and the window is flanked by points on both sides.
    const res = await influxd.query('pantau', `SELECT loss_pct FROM icmp WHERE time >= ${joined}ms GROUP BY device`);
    const series = res.results[0]?.series ?? [];
    const problems: string[] = [];
    expect(series.length, 'devices with ICMP points').to.equal(DEVICES);
    const inWindow = new Map<string, number>();
    for (const s of series) {
      const id = s.tags?.['device'] ?? '?';
      const all = s.values.map((v) => Number(v[0])).sort((a, b) => a - b);
      const start = all.findLastIndex((t) => t < from);
      if (start < 0) problems.push(`${id}: no point before the window (first ${all[0]! - from} ms after its start)`);
      if (!(all.at(-1)! >= to))
        problems.push(`${id}: no point after the window (last ${to - all.at(-1)!} ms before its end)`);
      const ts = all.slice(Math.max(0, start));
      for (let i = 1; i < ts.length; i++) {
        const gap = ts[i]! - ts[i - 1]!;
        if (gap < 7000 || gap > 13_000)
          problems.push(`${id}: ${gap} ms between polls at ${new Date(ts[i]!).toISOString()}`);
      }
      inWindow.set(id, all.filter((t) => t >= from && t < to).length);
    }
    expect(problems.slice(0, 10), `${problems.length} problems`).to.deep.equal([]);
    // The count, with InfluxQL itself: the same per device, and about one per 10 s of the window.
    const counted = await influxd.query(
      'pantau',
      `SELECT count(loss_pct) FROM icmp WHERE time >= ${from}ms AND time < ${to}ms GROUP BY device`,
    );
    const counts = new Map(
      (counted.results[0]?.series ?? []).map((s) => [s.tags?.['device'] ?? '?', Number(s.values[0]?.[1])]),
    );
    expect(Object.fromEntries(counts)).to.deep.equal(Object.fromEntries(inWindow));
    const slots = (to - from) / 10_000;
    for (const [id, n] of counts) expect(n, id).to.be.within(Math.floor(slots) - 1, Math.ceil(slots) + 1);
    const points = [...counts.values()].reduce((a, b) => a + b, 0);

    // (2) Written once: InfluxDB keeps one point per series and instant, so a result written twice
    // (a replay that re-sends what already went through) would not change the count above. The tap
    // between the core and influxd sees every write: each ICMP point is in exactly one write that
    // influxd took and answered to the core. (A retry after a failed or unanswered write would be
    // fine; there was none here: influxd stayed up.)
    const times = new Map<string, number>();
    for (const w of tap.acknowledged())
      for (const p of pointKeys(w.lines, 'icmp')) times.set(p.key, (times.get(p.key) ?? 0) + 1);
    const twice = [...times].filter(([, n]) => n > 1);
    expect(twice.slice(0, 5), `${twice.length} ICMP points written more than once`).to.deep.equal([]);
    // …and every point InfluxDB holds came through the tap (the tap saw the core's writes).
    const tapped = [...times.keys()].filter((k) => {
      const t = Number(k.slice(k.lastIndexOf(' ') + 1));
      return t >= from && t < to;
    }).length;
    expect(tapped, 'ICMP points in the window written through the tap').to.equal(points);
    const retried = tap.writes.length - tap.acknowledged().length;
    console.log(
      `      ${points} ICMP points for ${DEVICES} devices over ${Math.round((to - from) / 1000)} s (Redis down ${Math.round((restartedAt - killedAt) / 1000)} s); ${tap.writes.length} writes to influxd, ${retried} not acknowledged; no point written twice`,
    );
    // The whole outage lies inside the window: its polls went through the spools.
    expect(killedAt).to.be.greaterThan(from);
    expect(restartedAt).to.be.lessThan(to);
    // The alert engine saw no false DOWN: no state change other than to UP, no alert, ever.
    const bad = await influxd.query('pantau', 'SELECT state FROM device_state WHERE state_code > 1');
    expect(bad.results[0]?.series ?? []).to.deep.equal([]);
    const alerts = await influxd.query('pantau', 'SELECT count(title) FROM alert');
    expect(alerts.results[0]?.series ?? []).to.deep.equal([]);
  });
});
