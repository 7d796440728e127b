import { expect } from 'chai';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import { recheck, recoveryRechecks, SETTLED, type Streak } from '../../../collector/scheduler/recheck.js';
import { deviceSchema } from '../../../core/inventory/schema.js';
import { createRunner } from '../../../collector/scheduler/runner.js';
import type { Job, PolledKind } from '../../../collector/scheduler/plan.js';

describe('collector/scheduler/recheck (Nagios-style retry after a change)', () => {
  const need = { confirmFail: 3, confirmOk: 2 };
  /** Feeds a pattern of results ("1" ok, "0" failed) and returns, per result, whether it re-checks soon. */
  const walk = (pattern: string, start: Streak = SETTLED) => {
    let s = start;
    return [...pattern]
      .map((c) => {
        const d = recheck(s, c === '1', need);
        s = d.streak;
        return `${d.again ? 'R' : '.'}${d.checkUpstream ? 'U' : ''}`;
      })
      .join(' ');
  };
  const cases: [string, string, string][] = [
    ['a healthy device stays on its grid', '1111', '. . . .'],
    [
      'a first failure re-checks and asks upstream; two more confirm DOWN, then back to the grid',
      '00000',
      'RU R . . .',
    ],
    ['recovery: re-check until upAfter successes, then the grid', '000110', 'RU R . R . RU'],
    ['a single lost probe: re-checks until upAfter successes, then the grid', '10111', '. RU R . .'],
    ['a failure during recovery starts a new streak', '000101', 'RU R . R RU R'],
  ];
  for (const [name, pattern, want] of cases) it(name, () => expect(walk(pattern)).to.equal(want));

  it('the runner runs an expedited job at the given time, then returns to its grid', async () => {
    const clock = createManualClock(0);
    const runs: { at: number; keys: string[] }[] = [];
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 2, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set<PolledKind>(['icmp']),
      timeoutMs: () => 60_000,
      execute: (_kind, jobs) => {
        runs.push({ at: clock.now(), keys: jobs.map((j) => j.key) });
        return Promise.resolve();
      },
    });
    const job = (id: string): Job => ({
      key: `icmp:${id}`,
      kind: 'icmp',
      deviceId: id,
      intervalMs: 10_000,
      offsetMs: 0,
    });
    runner.setJobs([job('a'), job('b')]);
    const flush = () => new Promise((r) => setImmediate(r));
    for (let t = 0; t <= 3000; t += 500) {
      clock.set(t);
      if (t === 1000) expect(runner.expedite('icmp:a', 1500)).to.equal(true);
      runner.tick();
      await flush();
    }
    for (let t = 3500; t <= 10_000; t += 500) {
      clock.set(t);
      runner.tick();
      await flush();
    }
    expect(runs).to.deep.equal([
      { at: 0, keys: ['icmp:a', 'icmp:b'] },
      { at: 1500, keys: ['icmp:a'] },
      { at: 10_000, keys: ['icmp:a', 'icmp:b'] },
    ]);
    // Never later than the grid, unknown jobs are ignored.
    expect(runner.expedite('icmp:a', 25_000)).to.equal(false);
    expect(runner.expedite('icmp:nope', 0)).to.equal(false);
  });

  it('a re-check that finds the run still going waits for it and is not counted as a skipped poll', async () => {
    const clock = createManualClock(0);
    const runs: number[] = [];
    let release: (() => void) | undefined;
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 2, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set<PolledKind>(['icmp']),
      timeoutMs: () => 60_000,
      execute: () => {
        runs.push(clock.now());
        return new Promise<void>((r) => {
          release = r;
        });
      },
    });
    runner.setJobs([{ key: 'icmp:a', kind: 'icmp', deviceId: 'a', intervalMs: 10_000, offsetMs: 0 }]);
    const flush = () => new Promise((r) => setImmediate(r));
    runner.tick();
    await flush();
    runner.expedite('icmp:a', 500); // decided while the first run is still in flight
    clock.set(500);
    runner.tick();
    await flush();
    clock.set(550);
    runner.tick();
    await flush();
    expect(runs).to.deep.equal([0]);
    release!();
    await flush();
    clock.set(600);
    runner.tick();
    await flush();
    expect(runs).to.deep.equal([0, 600]);
    expect(runner.takeStats()['icmp']!.skipped).to.equal(0);
    release!();
    await runner.idle();
  });

  it('a grid slot that meets a re-check in flight is served by it, not counted as a skipped poll (fiber cut)', async () => {
    const clock = createManualClock(0);
    let release: (() => void) | undefined;
    const runner = createRunner({
      clock,
      logger: silentLogger(),
      limits: { icmp: 2, snmp: 2, onvif: 1, http: 1, tls: 1, dns: 1, tcp: 1 },
      batched: new Set<PolledKind>(['icmp']),
      timeoutMs: () => 60_000,
      execute: () =>
        new Promise<void>((r) => {
          release = r;
        }),
    });
    runner.setJobs([{ key: 'icmp:a', kind: 'icmp', deviceId: 'a', intervalMs: 2_000, offsetMs: 0 }]);
    const flush = () => new Promise((r) => setImmediate(r));
    runner.tick();
    await flush();
    release!();
    await flush();
    runner.expedite('icmp:a', 1_500); // the re-check of a failed ping
    clock.set(1_500);
    runner.tick();
    await flush(); // re-check running…
    clock.set(2_000);
    runner.tick();
    await flush(); // …when the grid slot comes
    let s = runner.takeStats()['icmp']!;
    expect(s.skipped).to.equal(0);
    release!();
    await flush();
    // A grid slot that meets a GRID run still going is a skipped poll, as before.
    clock.set(4_000);
    runner.tick();
    await flush();
    clock.set(6_000);
    runner.tick();
    await flush();
    s = runner.takeStats()['icmp']!;
    expect(s.skipped).to.equal(1);
    release!();
    await runner.idle();
  });

  describe('recoveryRechecks: the ping answers again after an outage (issue 11)', () => {
    const device = (type: 'fiber' | 'cctv', icmp = true) =>
      deviceSchema.parse({
        id: 'dev',
        name: 'D',
        type,
        role: type === 'cctv' ? 'camera' : 'access',
        kecamatan: 'Lengkiti',
        lat: -4.1,
        lon: 104.1,
        address: '127.20.0.1',
        parent: null,
        probes: {
          icmp: { enabled: icmp },
          ...(type === 'cctv' ? { onvif: { credentials: 'c' } } : { snmp: { credentials: 'x' } }),
        },
      });
    const failed: Streak = { fails: 3, oks: 0, recovering: false };
    it('re-checks SNMP of a switch and ONVIF of a camera at the first success after failures', () => {
      expect(recoveryRechecks(failed, true, true, device('fiber'))).to.deep.equal(['snmp']);
      expect(recoveryRechecks(failed, true, true, device('cctv'))).to.deep.equal(['onvif']);
    });
    it('nothing while the ping still fails, on a steady success, or for a non-reachability result', () => {
      expect(recoveryRechecks(failed, false, true, device('fiber'))).to.deep.equal([]);
      expect(recoveryRechecks(SETTLED, true, true, device('fiber'))).to.deep.equal([]);
      expect(recoveryRechecks({ fails: 0, oks: 1, recovering: true }, true, true, device('fiber'))).to.deep.equal([]);
      expect(recoveryRechecks(failed, true, false, device('fiber'))).to.deep.equal([]);
    });
    it('never re-checks the reachability probe itself (SNMP decides when ICMP is off)', () => {
      expect(recoveryRechecks(failed, true, true, device('fiber', false))).to.deep.equal([]);
    });
  });
});
