import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import type { Device } from '../../../core/types.js';
import {
  intervalFor,
  nextSlot,
  offsetFor,
  planJobs,
  type Job,
  type PolledKind,
} from '../../../collector/scheduler/plan.js';
import { createRunner } from '../../../collector/scheduler/runner.js';

const dev = (id: string, extra: Partial<Device> = {}): Device => ({
  id,
  name: id,
  type: 'fiber',
  role: 'access',
  kecamatan: 'Lengkiti',
  lat: -4.1,
  lon: 104.1,
  address: '127.0.0.1',
  parent: null,
  vendor: 'generic',
  tags: [],
  probes: { icmp: { enabled: true }, snmp: { enabled: true, version: 'v2c', credentials: 'c', port: 161 } },
  ...extra,
});
const cfg = {
  intervals: { icmp: 10, snmp: 60, onvif: 60, http: 60, tls: 60, dns: 60, tcp: 60 },
  intervalsByType: { cctv: { icmp: 30 } },
};

describe('collector/scheduler/plan', () => {
  it('interval: device override > per type > per kind', () => {
    expect(intervalFor(dev('a'), 'icmp', cfg)).to.equal(10);
    expect(intervalFor(dev('a', { type: 'cctv' }), 'icmp', cfg)).to.equal(30);
    expect(
      intervalFor(dev('a', { type: 'cctv', probes: { icmp: { enabled: true, intervalS: 5 } } }), 'icmp', cfg),
    ).to.equal(5);
  });

  it('offsets are deterministic and spread over the interval', () => {
    expect(offsetFor('fo-core', 'snmp', 60_000)).to.equal(offsetFor('fo-core', 'snmp', 60_000));
    const offsets = Array.from({ length: 600 }, (_, i) => offsetFor(`dev-${i}`, 'snmp', 60_000));
    const buckets = new Array(6).fill(0) as number[];
    for (const o of offsets) buckets[Math.floor(o / 10_000)]!++;
    // 100 expected per 10 s bucket: a flat load, not a thundering herd.
    for (const b of buckets) expect(b).to.be.within(60, 140);
  });

  it('ICMP offsets fall on whole seconds so one fping run takes every device due in that second', () => {
    const offsets = Array.from({ length: 227 }, (_, i) => offsetFor(`dev-${i}`, 'icmp', 10_000));
    for (const o of offsets) expect(o % 1000).to.equal(0);
    expect(new Set(offsets).size).to.equal(10);
  });

  it('plans only enabled probes, filtered by device or type', () => {
    const devices = [dev('a'), dev('b', { type: 'wifi', probes: { icmp: { enabled: false } } })];
    expect(planJobs(devices, cfg).map((j) => j.key)).to.deep.equal(['icmp:a', 'snmp:a']);
    expect(planJobs(devices, cfg, { type: 'wifi' })).to.deep.equal([]);
    expect(planJobs(devices, cfg, { deviceId: 'a' })).to.have.length(2);
  });

  it('nextSlot is the first grid point after the given time', () => {
    const j = { intervalMs: 10_000, offsetMs: 3_000 };
    expect(nextSlot(j, 0)).to.equal(3_000);
    expect(nextSlot(j, 3_000)).to.equal(13_000);
    expect(nextSlot(j, 12_999)).to.equal(13_000);
  });
});

describe('collector/scheduler/runner', () => {
  function setup(limits: Record<PolledKind, number>, opts: { hang?: Set<string>; timeoutMs?: number } = {}) {
    const clock = createManualClock(0);
    const runs: { kind: PolledKind; keys: string[] }[] = [];
    const release = new Map<string, () => void>();
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits,
      batched: new Set<PolledKind>(['icmp']),
      timeoutMs: () => opts.timeoutMs ?? 60_000,
      execute: (kind, jobs, signal) => {
        runs.push({ kind, keys: jobs.map((j) => j.key) });
        if (jobs.some((j) => opts.hang?.has(j.deviceId))) {
          return new Promise<void>((resolve) => {
            release.set(jobs[0]!.deviceId, resolve);
            signal.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        return Promise.resolve();
      },
    });
    return { clock, runs, runner, release };
  }
  const job = (kind: PolledKind, id: string, intervalMs = 10_000, offsetMs = 0): Job => ({
    key: `${kind}:${id}`,
    kind,
    deviceId: id,
    intervalMs,
    offsetMs,
  });
  const flush = () => new Promise((r) => setImmediate(r));

  it('batches every due ICMP job into one run', async () => {
    const { runs, runner } = setup({ icmp: 1, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 });
    runner.setJobs([job('icmp', 'a'), job('icmp', 'b'), job('icmp', 'c')]);
    runner.tick();
    await runner.idle();
    expect(runs).to.deep.equal([{ kind: 'icmp', keys: ['icmp:a', 'icmp:b', 'icmp:c'] }]);
  });

  it('splits a big ICMP batch into even runs of at most maxBatch, in parallel within the limit', async () => {
    const clock = createManualClock(0);
    const runs: number[] = [];
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 2, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set<PolledKind>(['icmp']),
      maxBatch: { icmp: 4 },
      timeoutMs: () => 1000,
      execute: async (_k, jobs) => {
        runs.push(jobs.length);
        await new Promise((r) => setImmediate(r));
      },
    });
    runner.setJobs(Array.from({ length: 9 }, (_, i) => job('icmp', `d${i}`)));
    runner.tick();
    expect(runs).to.deep.equal([3, 3]);
    await runner.idle();
    await runner.idle();
    expect(runs).to.deep.equal([3, 3, 3]);
    expect(runner.takeStats()['icmp']).to.include({ scheduled: 9, completed: 9, skipped: 0 });
  });

  it('fires each job on its own grid', async () => {
    const { clock, runs, runner } = setup({ icmp: 1, snmp: 4, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 });
    runner.setJobs([job('snmp', 'a', 10_000, 2_000), job('snmp', 'b', 10_000, 7_000)]);
    for (let t = 0; t <= 20_000; t += 1_000) {
      clock.set(t);
      runner.tick();
      await flush();
    }
    expect(runs.map((r) => r.keys[0])).to.deep.equal(['snmp:a', 'snmp:b', 'snmp:a', 'snmp:b']);
  });

  it('never runs one probe twice at once on a device, and a hung device does not delay others', async () => {
    const { clock, runs, runner, release } = setup(
      { icmp: 1, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      { hang: new Set(['dead']) },
    );
    runner.setJobs([job('snmp', 'dead', 10_000, 0), job('snmp', 'ok1', 10_000, 0), job('snmp', 'ok2', 10_000, 0)]);
    for (let t = 0; t <= 30_000; t += 10_000) {
      clock.set(t);
      runner.tick();
      await flush();
      await flush();
    }
    const dead = runs.filter((r) => r.keys[0] === 'snmp:dead').length;
    const ok2 = runs.filter((r) => r.keys[0] === 'snmp:ok2').length;
    expect(dead).to.equal(1);
    expect(ok2).to.equal(4);
    expect(runner.running()).to.deep.equal(['snmp:dead']);
    release.get('dead')!();
    await runner.idle();
    expect(runner.running()).to.deep.equal([]);
  });

  it('respects the per-kind concurrency limit', async () => {
    const hang = new Set(['a', 'b', 'c']);
    const { runs, runner, release } = setup({ icmp: 1, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 }, { hang });
    runner.setJobs([job('snmp', 'a'), job('snmp', 'b'), job('snmp', 'c')]);
    runner.tick();
    await flush();
    expect(runs).to.have.length(2);
    release.get('a')!();
    await flush();
    await flush();
    expect(runs).to.have.length(3);
    release.get('b')!();
    release.get('c')!();
    await runner.idle();
  });

  it('inventory changes add and remove jobs without restarting the rest', async () => {
    const { clock, runs, runner } = setup({ icmp: 1, snmp: 4, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 });
    expect(runner.setJobs([job('snmp', 'a', 10_000, 5_000), job('snmp', 'b', 10_000, 5_000)])).to.deep.equal({
      added: 2,
      removed: 0,
    });
    expect(runner.setJobs([job('snmp', 'a', 10_000, 5_000), job('snmp', 'c', 10_000, 5_000)])).to.deep.equal({
      added: 1,
      removed: 1,
    });
    clock.set(5_000);
    runner.tick();
    await runner.idle();
    expect(runs.map((r) => r.keys[0]).sort()).to.deep.equal(['snmp:a', 'snmp:c']);
  });

  it("changing a running job's interval keeps it schedulable once the run ends", async () => {
    const { clock, runs, runner, release } = setup(
      { icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      { hang: new Set(['a']) },
    );
    runner.setJobs([job('snmp', 'a', 10_000, 0)]);
    runner.tick();
    await flush();
    runner.setJobs([job('snmp', 'a', 20_000, 0)]);
    release.get('a')!();
    await runner.idle();
    expect(runner.running()).to.deep.equal([]);
    clock.set(20_000);
    runner.tick();
    await flush();
    expect(runs).to.have.length(2);
    release.get('a')!();
    await runner.idle();
  });

  it('stop() aborts hung runs after the grace period and waits for them', async () => {
    const { runner } = setup(
      { icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      { hang: new Set(['dead']) },
    );
    runner.setJobs([job('snmp', 'dead')]);
    runner.tick();
    await flush();
    expect(runner.running()).to.deep.equal(['snmp:dead']);
    await runner.stop(10);
    expect(runner.running()).to.deep.equal([]);
  });

  it('a run that throws is contained (logged) and the job runs again next slot', async () => {
    const clock = createManualClock(0);
    let calls = 0;
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set(),
      timeoutMs: () => 1000,
      execute: () => {
        calls++;
        throw new Error('bug');
      },
    });
    runner.setJobs([job('snmp', 'x')]);
    runner.tick();
    await runner.idle();
    clock.set(10_000);
    runner.tick();
    await runner.idle();
    expect(calls).to.equal(2);
  });

  it('uses the inventory tree type', () => {
    expect(buildInventory([dev('a')]).byId.has('a')).to.equal(true);
  });
});
