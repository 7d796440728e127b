import { expect } from 'chai';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import type { Job, PolledKind } from '../../../collector/scheduler/plan.js';
import { createRunner } from '../../../collector/scheduler/runner.js';
import { slotsDue, type KindScheduleStats } from '../../../collector/scheduler/accounting.js';
import { assessSchedule, behindMessage, initialScheduleHealth } from '../../../collector/scheduler/health.js';
import { createScheduleMetricsFeed, createServerMetrics } from '../../../server/http/metrics.js';

const job = (kind: PolledKind, id: string, intervalMs = 10_000, offsetMs = 0): Job => ({
  key: `${kind}:${id}`,
  kind,
  deviceId: id,
  intervalMs,
  offsetMs,
});
const flush = () => new Promise((r) => setImmediate(r));

function setup(limits: Record<PolledKind, number>, hang = new Set<string>()) {
  const clock = createManualClock(0);
  const release = new Map<string, () => void>();
  const runner = createRunner({
    clock,
    logger: silentLogger(),
    limits,
    batched: new Set<PolledKind>(['icmp']),
    timeoutMs: () => 60_000,
    execute: (_kind, jobs, signal) => {
      if (!jobs.some((j) => hang.has(j.deviceId))) return Promise.resolve();
      return new Promise<void>((resolve) => {
        release.set(jobs[0]!.deviceId, resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  });
  return { clock, runner, release };
}

describe('collector/scheduler accounting', () => {
  it('slotsDue counts the slots that came due, more than one only after a stall', () => {
    expect(slotsDue(10_000, 9_999, 10_000)).to.equal(0);
    expect(slotsDue(10_000, 10_000, 10_000)).to.equal(1);
    expect(slotsDue(10_000, 19_999, 10_000)).to.equal(1);
    expect(slotsDue(10_000, 40_000, 10_000)).to.equal(4);
  });

  it('counts every due slot as scheduled and each finished run as completed', async () => {
    const { clock, runner } = setup({ icmp: 1, snmp: 4, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 });
    runner.setJobs([job('snmp', 'a'), job('snmp', 'b'), job('icmp', 'a'), job('icmp', 'b')]);
    for (let t = 0; t <= 20_000; t += 10_000) {
      clock.set(t);
      runner.tick();
      await runner.idle();
    }
    const s = runner.takeStats();
    expect(s['snmp']).to.include({ scheduled: 6, completed: 6, skipped: 0, queued: 0, running: 0, intervalMs: 10_000 });
    expect(s['icmp']).to.include({ scheduled: 6, completed: 6, skipped: 0 });
    expect(s['onvif']).to.include({ scheduled: 0, completed: 0, skipped: 0, intervalMs: 0 });
  });

  it('a slot whose previous run is still going is counted skipped, not lost silently', async () => {
    const { clock, runner, release } = setup(
      { icmp: 1, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      new Set(['dead']),
    );
    runner.setJobs([job('snmp', 'dead'), job('snmp', 'ok')]);
    for (let t = 0; t <= 30_000; t += 10_000) {
      clock.set(t);
      runner.tick();
      await flush();
      await flush();
    }
    const s = runner.takeStats()['snmp']!;
    expect(s).to.include({ scheduled: 8, completed: 4, skipped: 3, running: 1 });
    release.get('dead')!();
    await runner.idle();
    expect(runner.takeStats()['snmp']).to.include({ completed: 5 });
  });

  it('a queued job that waits past its next slot is skipped, and the queue wait is the lag', async () => {
    const { clock, runner, release } = setup(
      { icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      new Set(['slow']),
    );
    runner.setJobs([job('snmp', 'slow'), job('snmp', 'waiting')]);
    clock.set(0);
    runner.tick();
    await flush();
    clock.set(7_000);
    expect(runner.takeStats()['snmp']).to.include({ queued: 1, lagMs: 7_000 });
    clock.set(10_000);
    runner.tick();
    await flush();
    const s = runner.takeStats()['snmp']!;
    expect(s).to.include({ scheduled: 4, skipped: 2, completed: 0 });
    release.get('slow')!();
    await runner.idle();
  });

  it('slots slept through (a stalled process) are skipped and the latest one runs', async () => {
    const { clock, runner } = setup({ icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 });
    runner.setJobs([job('snmp', 'a', 10_000, 0)]);
    clock.set(0);
    runner.tick();
    await runner.idle();
    clock.set(35_000);
    runner.tick();
    await runner.idle();
    expect(runner.takeStats()['snmp']).to.include({ scheduled: 4, completed: 2, skipped: 2, lagMs: 5_000 });
  });

  it('a run cut off by stop() is not counted completed', async () => {
    const { runner } = setup({ icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 }, new Set(['dead']));
    runner.setJobs([job('snmp', 'dead')]);
    runner.tick();
    await flush();
    await runner.stop(5);
    expect(runner.takeStats()['snmp']).to.include({ scheduled: 1, completed: 0 });
  });
});

describe('collector/scheduler/health', () => {
  const stats = (
    scheduled: number,
    skipped: number,
    lagMs = 0,
    intervalMs = 10_000,
  ): Record<string, KindScheduleStats> => ({
    icmp: { scheduled, completed: scheduled - skipped, skipped, queued: 0, running: 0, lagMs, intervalMs },
  });

  it('raises a kind that skips over 1 % in the window, and clears it only after a clean window', () => {
    let st = initialScheduleHealth();
    const steps: Array<[number, number, number, boolean | null]> = [
      // at, scheduled, skipped, expected change (null: none)
      [5_000, 500, 0, null],
      [10_000, 1_000, 5, null], // 0.5 %
      [15_000, 1_500, 30, true], // 2 %
      [20_000, 2_000, 30, null], // still 1.5 % in the window
      [70_000, 8_000, 30, null], // baseline 10 s: 25 of 7,000 = 0.36 % → clears
    ];
    const seen: Array<boolean | null> = [];
    for (const [at, sch, sk] of steps) {
      const r = assessSchedule(st, stats(sch, sk), at);
      st = r.state;
      seen.push(r.changes[0]?.behind ?? null);
    }
    expect(seen).to.deep.equal([null, null, true, null, false]);
  });

  /** Feeds one report every 5 s with the given lag per report; returns the changes seen (true raise, false clear). */
  const feed = (lags: number[], start = initialScheduleHealth()) => {
    let st = start;
    const seen: Array<[number, boolean]> = [];
    lags.forEach((lag, i) => {
      const at = 5_000 * (i + 1);
      const r = assessSchedule(st, stats(100 * (i + 1), 0, lag), at);
      st = r.state;
      for (const c of r.changes) seen.push([at, c.behind]);
    });
    return seen;
  };

  it('one slow report (a poll > ½ interval late under load) does not raise BEHIND (issue 11)', () => {
    expect(feed([0, 0, 6_000, 0, 0, 0])).to.deep.equal([]);
    // Short bursts of late reports separated by a punctual one never add up to a sustained run.
    expect(feed([...Array(11).fill(6_000), 0, ...Array(11).fill(6_000), 0])).to.deep.equal([]);
  });

  it('raises a kind whose polls start more than half an interval late in every report for 60 s, with no skips', () => {
    // Late from the first report (5 s) on: the run spans 60 s at the 13th report (65 s).
    expect(feed(Array(13).fill(6_000))).to.deep.equal([[65_000, true]]);
    expect(feed(Array(12).fill(6_000))).to.deep.equal([]);
    // Lag at the limit (4 s of a 10 s interval is not late) never raises.
    expect(feed(Array(20).fill(4_000))).to.deep.equal([]);
  });

  it('a sustained BEHIND clears only once a whole window is punctual', () => {
    // 13 late reports raise at 65 s; then punctual reports: the late ones leave the 60 s window at ~130 s.
    const seen = feed([...Array(13).fill(6_000), ...Array(14).fill(0)]);
    expect(seen[0]).to.deep.equal([65_000, true]);
    expect(seen).to.have.length(2);
    expect(seen[1]![1]).to.equal(false);
    expect(seen[1]![0]).to.be.greaterThanOrEqual(125_000);
  });

  it('says what fell behind in both languages with the figures', () => {
    const r = assessSchedule(initialScheduleHealth(), stats(1000, 560, 12_300), 60_000);
    const msg = behindMessage('icmp', r.kinds['icmp']!);
    expect(msg)
      .to.include('jadwal ICMP tertinggal: 560 dari 1000')
      .and.include('(56 %)')
      .and.include('ICMP behind schedule')
      .and.include('12.3 s');
  });
});

describe('server/http/metrics schedule feed', () => {
  it('turns cumulative reports into counters per kind, restarting collectors count from zero', async () => {
    const m = createServerMetrics();
    const feed = createScheduleMetricsFeed(m);
    const k = (scheduled: number, completed: number, skipped: number, behind = false) => ({
      scheduled,
      completed,
      skipped,
      queued: 2,
      running: 1,
      lagMs: 1500,
      intervalMs: 10_000,
      window: { ms: 60_000, scheduled, skipped, lagMs: 1500 },
      behind,
    });
    feed({ collector: 'a', at: 1, kinds: { icmp: k(100, 90, 10) } });
    feed({ collector: 'a', at: 2, kinds: { icmp: k(150, 130, 20, true) } });
    feed({ collector: 'a', at: 3, kinds: { icmp: k(5, 5, 0, true) } });
    const text = await m.registry.metrics();
    expect(text).to.include('pantau_polls_scheduled_total{kind="icmp"} 155');
    expect(text).to.include('pantau_polls_completed_total{kind="icmp"} 135');
    expect(text).to.include('pantau_polls_skipped_total{kind="icmp"} 20');
    expect(text).to.include('pantau_schedule_lag_seconds{kind="icmp"} 1.5');
    expect(text).to.include('pantau_schedule_behind{kind="icmp"} 1');
    expect(text).to.include('pantau_polls_queued{kind="icmp"} 2');
  });
});

describe('collector/scheduler/runner stop', () => {
  it('abandons a run that ignores its abort after a second grace, so stop() stays bounded', async () => {
    const clock = createManualClock(0);
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 1, snmp: 1, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set(),
      timeoutMs: () => 60_000,
      execute: () => new Promise<void>(() => {}), // never settles, whatever the signal says
    });
    runner.setJobs([job('snmp', 'stuck')]);
    runner.tick();
    const t0 = Date.now();
    await runner.stop(20);
    expect(Date.now() - t0).to.be.lessThan(500);
  });
});
