/**
 * Cluster benchmark (issue 16): pantau split into roles over a real redis-server, everything on
 * this machine as separate processes.
 *
 * 1. Results per second through the Redis bus with 1, 2 and 3 collectors, and the core's CPU per
 *    10,000 results: synthetic collectors (bench/cluster-publisher.ts: the real bus client, no
 *    probing) publish ICMP results of a 3,000-device inventory as fast as Redis takes them; the
 *    real core (`pantau start --role core`, alert engine + metrics pipeline, sink none) consumes.
 *    Rate = what the core consumed (its heartbeat counter) over the window; CPU from /proc.
 * 2. Handover over 10 kills: 3,000 generated devices in 3 zones, 3 real collectors (zones z1,z2 /
 *    z2,z3 / z3,z1) with the shipped intervals and cluster timings; each round kills one collector
 *    with SIGKILL and measures, for its devices, the time from the kill to their first result from
 *    another collector (the slowest device is the round's handover time); then the collector is
 *    started again and allowed to rejoin.
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/cluster.ts [--quick]'
 * Root, in a private network namespace (the generated devices answer ping on 127.3.x.y).
 * Writes bench/results/cluster.json. Hold /work/notes/quiet while it runs (TEAM.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { ownerOf, zonesOf, type Member } from '../cluster/assign.js';
import { readMembers } from '../cluster/membership.js';
import { loadConfig } from '../core/config/load.js';
import { startRedis } from '../test/helpers/redis.js';
import { startMember, watchResults, writeClusterNetwork, type Proc } from '../test/integration/cluster/helpers.js';
import { load1, median, round, type BenchFigure, type BenchOptions } from './figure.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(250);
  }
}

function publisher(
  url: string,
  first: number,
  devices: number,
  seconds: number,
  name: string,
): { child: ChildProcess; done: Promise<{ published: number; refused: number }> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/cluster-publisher.ts', url, String(first), String(devices), String(seconds), name],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<{ published: number; refused: number }>((resolve, reject) =>
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as { published: number; refused: number });
      } catch {
        reject(new Error(`publisher ${name} exited ${code}: ${out}`));
      }
    }),
  );
  return { child, done };
}

export async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  const log = (m: string) => opts.log.info(m);
  const DEVICES = opts.quick ? 300 : 3000;
  const WINDOW_S = opts.quick ? 8 : 20;
  const KILLS = opts.quick ? 2 : 10;
  const figures: BenchFigure[] = [];
  const redis = await startRedis();
  const admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  admin.on('error', () => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-cluster-'));
  const procs: Proc[] = [];
  try {
    const config = writeClusterNetwork(dir, { devices: DEVICES, zones: 3, redisUrl: redis.url });
    const core = startMember(config, 'core', 'core-a');
    procs.push(core);
    const coreMember = async () => (await readMembers(admin, 'pantau:')).find((m) => m.role === 'core');
    await waitFor('core registered', coreMember, 120_000);

    // ---- 1. results/s through the bus, core CPU per 10,000 results ----
    const leaves = DEVICES - 4;
    for (const k of [1, 2, 3]) {
      const share = Math.floor(leaves / k);
      const before = await coreMember();
      const consumed0 = before?.stats?.['consumed'] ?? 0;
      const cpu0 = cpuMsOf(core.child.pid!);
      const t0 = Date.now();
      const pubs = Array.from({ length: k }, (_, i) =>
        publisher(redis.url, i * share, share, WINDOW_S, `pub-${k}-${i}`),
      );
      const sent = await Promise.all(pubs.map((p) => p.done));
      // Let the core drain what was published, then read its counter (heartbeat every 3 s).
      await waitFor('core drained', async () => ((await coreMember())?.stats?.['lag'] ?? 1) === 0, 120_000).catch(
        () => undefined,
      );
      await sleep(3500);
      const after = await coreMember();
      const consumed = (after?.stats?.['consumed'] ?? 0) - consumed0;
      const seconds = (Date.now() - t0) / 1000;
      const cpu = cpuMsOf(core.child.pid!) - cpu0;
      const published = sent.reduce((a, s) => a + s.published, 0);
      const refused = sent.reduce((a, s) => a + s.refused, 0);
      log(
        `bus with ${k} collector(s): published ${published} (refused ${refused}), core consumed ${consumed} in ${seconds.toFixed(1)} s, core CPU ${Math.round(cpu)} ms, load ${load1()}`,
      );
      figures.push({
        id: `cluster.bus.results-per-s.${k}`,
        title: `Results/s through the Redis bus, ${k} collector(s) → core`,
        pantau: round(consumed / seconds, 0),
        unit: 'results/s',
        better: 'higher',
        note: `${k} synthetic publisher(s) (real bus client) over ${WINDOW_S} s, ${DEVICES}-device inventory; consumed by the real core incl. drain; published ${published}, refused ${refused}; load ${load1()}`,
      });
      figures.push({
        id: `cluster.core.cpu-ms-per-10k.${k}`,
        title: `Core CPU per 10,000 results (${k} collector(s))`,
        pantau: round((cpu / Math.max(1, consumed)) * 10_000, 0),
        unit: 'ms CPU',
        better: 'lower',
        note: 'user+system CPU of the core process (/proc) while it consumed the window: alert engine + metrics pipeline (sink none) + bus',
      });
    }

    // ---- 2. handover over KILLS kills ----
    const reader = new Redis(redis.url, { maxRetriesPerRequest: null });
    reader.on('error', () => undefined);
    const watcher = watchResults(reader, 'pantau:');
    const zonesFor = ['z1,z2', 'z2,z3', 'z3,z1'];
    const collectors = zonesFor.map((z, i) => startMember(config, 'collector', `col-${i + 1}`, ['--zones', z]));
    procs.push(...collectors);
    const zones = zonesOf(loadConfig(config, {}).inventory);
    const settled = async (): Promise<Member[]> =>
      waitFor(
        '3 collectors active',
        async () => {
          const m = await readMembers(admin, 'pantau:');
          const cols = m.filter((x) => x.role === 'collector');
          return cols.length === 3 && cols.every((c) => c.activeFrom + 12_000 < Date.now()) ? m : undefined;
        },
        240_000,
      );
    const handovers: number[] = [];
    for (let round_ = 0; round_ < KILLS; round_++) {
      const members = await settled();
      const i = round_ % 3;
      const name = `col-${i + 1}`;
      const t = Date.now();
      const victims = [...zones].filter(([id, z]) => ownerOf(id, z, members, t) === name).map(([id]) => id);
      const killedAt = Date.now();
      await collectors[i]!.kill('SIGKILL');
      const firstAfter = new Map<string, number>();
      await waitFor(
        `handover of ${victims.length} devices`,
        async () => {
          for (const s of watcher.seen)
            if (s.ts > killedAt && !firstAfter.has(s.deviceId)) firstAfter.set(s.deviceId, s.ts);
          return victims.every((id) => firstAfter.has(id));
        },
        90_000,
      );
      const worst = Math.max(...victims.map((id) => firstAfter.get(id)! - killedAt));
      handovers.push(worst);
      log(
        `kill ${round_ + 1}/${KILLS} (${name}, ${victims.length} devices): slowest device polled again after ${worst} ms, load ${load1()}`,
      );
      watcher.seen.splice(0, watcher.seen.length);
      collectors[i] = startMember(config, 'collector', name, ['--zones', zonesFor[i]!]);
      procs.push(collectors[i]!);
    }
    await watcher.close();
    reader.disconnect();
    figures.push({
      id: 'cluster.handover.ms',
      title: `Handover after kill -9 of a collector (slowest device, median of ${KILLS})`,
      pantau: median(handovers),
      unit: 'ms',
      better: 'lower',
      goal: { op: '<=', value: 30_000, of: 'value' },
      samples: handovers,
      note: `${DEVICES} devices, 3 zones, 3 collectors, shipped timings (ICMP 10 s, heartbeat 3 s, TTL 10 s); max ${Math.max(...handovers)} ms; load ${load1()}`,
    });
    return figures;
  } finally {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    admin.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const t0 = Date.now();
  const loadStart = load1();
  const figures = await run({ quick, log: { info: (m) => console.log(m) } });
  const out = {
    quick,
    startedAt: new Date(t0).toISOString(),
    seconds: Math.round((Date.now() - t0) / 1000),
    loadavgStart: loadStart,
    loadavgEnd: load1(),
    figures,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cluster.json', `${JSON.stringify(out, null, 2)}\n`);
  for (const f of figures)
    console.log(`${f.id}: ${f.pantau} ${f.unit}${f.samples ? ` (samples ${f.samples.join(', ')})` : ''}`);
  process.exit(0);
}
