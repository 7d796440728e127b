import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ownerOf, type Member } from '../../../cluster/assign.js';
import { readMembers } from '../../../cluster/membership.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';
import { startMember, watchResults, writeClusterNetwork, type Proc, type Seen } from './helpers.js';

/** Per device, its result timestamps in order. */
function byDevice(seen: readonly Seen[], from: number, to = Infinity): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of seen) {
    if (s.ts < from || s.ts >= to) continue;
    let l = out.get(s.deviceId);
    if (!l) out.set(s.deviceId, (l = []));
    l.push(s.ts);
  }
  for (const l of out.values()) l.sort((a, b) => a - b);
  return out;
}

// 3 collectors + 1 core as separate `pantau start --role …` processes, a real redis-server, the
// shipped intervals and cluster timings (ICMP 10 s, heartbeat 3 s, TTL 10 s), at the size:
// 3,000 generated devices in 3 zones (≈ 2 min, the same as 300: the windows are time-bound).
// PANTAU_CLUSTER_DEVICES overrides it for a quick local run.
describe('cluster: collectors share zones and take over (real redis-server, 3 collectors + core)', function () {
  this.timeout(420_000);
  const DEVICES = Number(process.env['PANTAU_CLUSTER_DEVICES'] ?? 3000);
  let redis: RedisHandle;
  let admin: Redis;
  let dir: string;
  let config: string;
  const procs: Proc[] = [];
  let watcher: ReturnType<typeof watchResults>;

  before(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
    dir = mkdtempSync(join(tmpdir(), 'pantau-cluster-'));
    config = writeClusterNetwork(dir, { devices: DEVICES, zones: 3, redisUrl: redis.url });
    const reader = new Redis(redis.url, { maxRetriesPerRequest: null });
    reader.on('error', () => undefined);
    watcher = watchResults(reader, 'pantau:');
    procs.push(startMember(config, 'core', 'core-a'));
    procs.push(startMember(config, 'collector', 'col-1', ['--zones', 'z1,z2']));
    procs.push(startMember(config, 'collector', 'col-2', ['--zones', 'z2,z3']));
    procs.push(startMember(config, 'collector', 'col-3', ['--zones', 'z3,z1']));
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      for (const p of procs) console.log(`--- ${p.child.spawnargs.join(' ')}\n${p.output()}`);
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await watcher?.close();
    admin?.disconnect();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let members: Member[] = [];
  let settledAt = 0;

  it('every device is polled by exactly one collector once per interval', async () => {
    members = await until(
      async () => {
        const gone = procs.find((p) => p.child.exitCode !== null);
        if (gone) throw new Error(`${gone.child.spawnargs.join(' ')} exited:\n${gone.output()}`);
        const m = await readMembers(admin, 'pantau:');
        return m.filter((x) => x.role === 'collector').length === 3 && m.some((x) => x.role === 'core') ? m : undefined;
      },
      240_000,
      'core and 3 collectors registered',
    );
    settledAt = Math.max(...members.map((m) => m.activeFrom)) + 1000;
    const windowEnd = settledAt + 31_000;
    await until(() => Date.now() > windowEnd + 3000, 60_000, 'a 31 s window after the last join', 500);
    const per = byDevice(watcher.seen, settledAt, windowEnd);
    const problems: string[] = [];
    for (const id of [...Array(DEVICES).keys()].map((i) =>
      i === 0 ? 'core-01' : i <= 3 ? `dist-z${i}` : `ont-${String(i - 4).padStart(5, '0')}`,
    )) {
      const ts = per.get(id) ?? [];
      if (ts.length < 3 || ts.length > 4) problems.push(`${id}: ${ts.length} results in 31 s`);
      for (let i = 1; i < ts.length; i++) {
        const gap = ts[i]! - ts[i - 1]!;
        if (gap < 7000 || gap > 13_000) problems.push(`${id}: ${gap} ms between polls`);
      }
    }
    expect(problems.slice(0, 10), `${problems.length} problems`).to.deep.equal([]);
    // Each collector got a share (rendezvous hashing spreads them), and it reports it.
    const now = await readMembers(admin, 'pantau:');
    for (const m of now.filter((x) => x.role === 'collector'))
      expect(m.stats?.['devices'], m.name).to.be.greaterThan(40);
  });

  it('a malformed entry and an entry of an unknown device are skipped; the core keeps consuming', async () => {
    await admin.xadd('pantau:stream:probe.result', '*', 'p', '{"kind":"icmp","deviceId":');
    await admin.xadd(
      'pantau:stream:probe.result',
      '*',
      'p',
      JSON.stringify({
        kind: 'icmp',
        deviceId: 'not-in-inventory',
        ts: Date.now(),
        durationMs: 1,
        ok: false,
        sent: 3,
        received: 0,
        lossPct: 100,
        rttMinMs: null,
        rttAvgMs: null,
        rttMaxMs: null,
        jitterMs: null,
      }),
    );
    const core = await until(
      async () =>
        (await readMembers(admin, 'pantau:')).find((m) => m.role === 'core' && (m.stats?.['skipped'] ?? 0) >= 2),
      20_000,
      'core reports 2 skipped',
    );
    expect(procs[0]!.child.exitCode).to.equal(null);
    const consumed = core.stats?.['consumed'] ?? 0;
    await until(
      async () =>
        ((await readMembers(admin, 'pantau:')).find((m) => m.role === 'core')?.stats?.['consumed'] ?? 0) >
        consumed + 50,
      20_000,
      'core still consuming',
    );
  });

  it('kill -9 of a collector: its devices are polled again within 30 s, with no alert and no DOWN/UNKNOWN', async () => {
    const zoneOf = (id: string) =>
      id === 'core-01' ? 'z1' : id.startsWith('dist-z') ? id.slice(5) : `z${(Number(id.slice(4)) % 3) + 1}`;
    const t = Date.now();
    const ids = [...byDevice(watcher.seen, 0).keys()].filter((id) => id !== 'not-in-inventory');
    const victims = ids.filter((id) => ownerOf(id, zoneOf(id), members, t) === 'col-1');
    expect(victims.length).to.be.greaterThan(40);
    const killedAt = Date.now();
    await procs[1]!.kill('SIGKILL');
    await until(() => Date.now() > killedAt + 40_000, 60_000, '40 s after the kill', 500);
    const per = byDevice(watcher.seen, killedAt);
    // "Polled again within 30 s": the first result of each of its devices after the kill. (The gap
    // between two polls can be longer: the last poll by the dead collector was up to 10 s before.)
    const firstAfter = victims.map((id) => ({ id, ms: (per.get(id)?.[0] ?? Infinity) - killedAt }));
    const late = firstAfter.filter((g) => g.ms > 30_000);
    console.log(
      `      handover: slowest device polled again ${Math.max(...firstAfter.map((g) => g.ms))} ms after the kill (${victims.length} devices)`,
    );
    expect(late.slice(0, 5), `${late.length} of ${victims.length} devices not polled again within 30 s`).to.deep.equal(
      [],
    );
    // Nothing in the alert engine noticed the handover.
    expect(await admin.xlen('pantau:stream:alert.changed')).to.equal(0);
    const states = await admin.xrange('pantau:stream:device.state', '-', '+');
    const bad = states
      .map(([, f]) => JSON.parse(f[1]!) as { deviceId: string; to: string })
      .filter((s) => s.to !== 'UP');
    expect(bad.slice(0, 5)).to.deep.equal([]);
  });
});
