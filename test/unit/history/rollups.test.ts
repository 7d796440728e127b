import { expect } from 'chai';
import { openStore } from '../../../core/store/store.js';
import { createMemoryHistory } from '../../../metrics/memory-history.js';
import { createEmbeddedReader, createRollups } from '../../../history/rollups.js';
import type { Point } from '../../../metrics/point.js';

const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const icmp = (ts: number, rtt: number, up: number): Point => ({
  measurement: 'icmp',
  tags: { device: 'fo-core', type: 'fiber', kecamatan: 'Baturaja Timur' },
  fields: { rtt_avg_ms: rtt, loss_pct: up ? 0 : 100, up },
  ts,
});
const iface = (ts: number, name: string, uplink: boolean, bps: number): Point => ({
  measurement: 'interface',
  tags: { device: 'fo-core', if_name: name, uplink: String(uplink) },
  fields: { in_bps: bps, out_bps: bps / 2 },
  ts,
});

describe('history/rollups (embedded 30-day history)', () => {
  it('keeps 10 days of 10 s points as 5-minute and hourly means the reader serves for 6 h, 7 d and 30 d', async () => {
    const store = openStore(':memory:');
    const memory = createMemoryHistory({ pointsPerSeries: 360 });
    const rollups = createRollups(store);
    let now = T0;
    const reader = createEmbeddedReader(memory, rollups, () => now);
    // 10 days every 10 s: rtt = 10 ms, except 2 ms during hour 3 of day 9; down 30 min on day 9 at 12:00.
    for (let ts = T0; ts < T0 + 10 * 86_400_000; ts += 10_000) {
      const day9 = ts >= T0 + 9 * 86_400_000;
      const hourOf = Math.floor((ts - T0) / 3600_000) % 24;
      const down = day9 && hourOf === 12 && (ts - T0) % 3600_000 < 1800_000;
      const pts = [
        icmp(ts, day9 && hourOf === 3 ? 2 : 10, down ? 0 : 1),
        iface(ts, 'sfp1', true, 1e6),
        iface(ts, 'ether2', false, 5e6),
      ];
      memory.feed(pts);
      rollups.feed(pts);
      now = ts;
      if ((ts - T0) % 600_000 === 0) rollups.flush(now);
    }
    now = T0 + 10 * 86_400_000;
    // 6 h on day 9 (02:00–08:00): 2-minute steps are finer than the 5-minute tier, so 5-minute points.
    const six = await reader.history({
      deviceId: 'fo-core',
      series: 'icmp',
      from: T0 + 9 * 86_400_000 + 2 * 3600_000,
      to: T0 + 9 * 86_400_000 + 8 * 3600_000,
    });
    expect(six).to.have.length(72);
    expect(six.filter((p) => p.values['rtt_avg_ms'] === 2)).to.have.length(12);
    expect(six[0]!.values['rtt_avg_ms']).to.equal(10);
    // 24 h of day 9: the outage is up = 0 over 12:00–12:30 (six 5-minute buckets).
    const day = await reader.history({
      deviceId: 'fo-core',
      series: 'icmp',
      from: T0 + 9 * 86_400_000,
      to: T0 + 10 * 86_400_000,
    });
    expect(day).to.have.length(288);
    expect(day.filter((p) => p.values['up'] === 0).map((p) => (p.ts - T0 - 9 * 86_400_000) / 60_000)).to.deep.equal([
      720, 725, 730, 735, 740, 745,
    ]);
    // 7 d (the hourly tier): the up mean of the outage hour is 0.5.
    const week = await reader.history({
      deviceId: 'fo-core',
      series: 'icmp',
      from: T0 + 3 * 86_400_000,
      to: T0 + 10 * 86_400_000,
    });
    expect(week).to.have.length(7 * 24);
    expect(week.find((p) => p.ts === T0 + 9 * 86_400_000 + 12 * 3600_000)!.values['up']).to.be.closeTo(0.5, 1e-9);
    // 30 d reads the hourly tier (only 10 days exist): 3-hour steps.
    const month = await reader.history({
      deviceId: 'fo-core',
      series: 'icmp',
      from: T0 - 20 * 86_400_000,
      to: T0 + 10 * 86_400_000,
    });
    expect(month).to.have.length(80);
    // Traffic = the uplink only (sfp1), never summed with ether2.
    const traffic = await reader.history({
      deviceId: 'fo-core',
      series: 'traffic',
      from: T0 + 9 * 86_400_000,
      to: T0 + 10 * 86_400_000,
    });
    expect(traffic[0]!.values).to.deep.equal({ in_bps: 1e6, out_bps: 5e5 });
    store.close();
  });

  it('prunes 5-minute rows after 2 days and hourly rows after 35 days', () => {
    const store = openStore(':memory:');
    const rollups = createRollups(store);
    rollups.feed([icmp(T0, 5, 1)]);
    rollups.flush(T0 + 600_000);
    expect(rollups.read('fo-core', 'icmp', 300, 0, Infinity)).to.have.length(1);
    rollups.flush(T0 + 3 * 86_400_000);
    expect(rollups.read('fo-core', 'icmp', 300, 0, Infinity)).to.have.length(0);
    expect(rollups.read('fo-core', 'icmp', 3600, 0, Infinity)).to.have.length(1);
    rollups.flush(T0 + 36 * 86_400_000);
    expect(rollups.read('fo-core', 'icmp', 3600, 0, Infinity)).to.have.length(0);
  });

  describe('writing at 10,000 devices: slices, upserts, nothing lost (ADR 0803)', () => {
    const at = (device: string, ts: number, rtt: number): Point => ({ ...icmp(ts, rtt, 1), tags: { device } });
    const devices = ['d0', 'd1', 'd2', 'd3'];
    /** 20 minutes of 10 s points for four devices: four closed 5-minute buckets each at T0 + 20 min. */
    const fill = (r: ReturnType<typeof createRollups>) => {
      for (let ts = T0; ts < T0 + 1200_000; ts += 10_000) for (const d of devices) r.feed([at(d, ts, 10)]);
    };
    const rows = (r: ReturnType<typeof createRollups>) =>
      devices.flatMap((d) => [...r.read(d, 'icmp', 300, 0, Infinity), ...r.read(d, 'icmp', 3600, 0, Infinity)]);

    it('flushInSlices writes what one flush writes, yielding between slices; a point fed meanwhile waits for the next flush', async () => {
      const whole = createRollups(openStore(':memory:'));
      const sliced = createRollups(openStore(':memory:'));
      fill(whole);
      fill(sliced);
      const now = T0 + 1200_000;
      let yields = 0;
      await sliced.flushInSlices(now, {
        sliceBuckets: 3,
        yieldNow: async () => {
          // A late result of d0's first bucket, already written by the first slice.
          if (yields++ === 0) sliced.feed([at('d0', T0 + 5_000, 70)]);
        },
      });
      // 16 closed buckets in slices of 3: six transactions, five yields.
      expect(yields).to.equal(5);
      expect(sliced.read('d0', 'icmp', 300, T0, T0 + 300_000)[0]!.sums['rtt_avg_ms']).to.deep.equal([300, 30]);
      await sliced.flushInSlices(now);
      // The late point is added to the row (upsert), the 5-minute and the hourly tier alike.
      expect(sliced.read('d0', 'icmp', 300, T0, T0 + 300_000)[0]!.sums['rtt_avg_ms']).to.deep.equal([370, 31]);
      expect(sliced.read('d0', 'icmp', 3600, T0, T0 + 3600_000)[0]!.sums['rtt_avg_ms']).to.deep.equal([1270, 121]);
      whole.feed([at('d0', T0 + 5_000, 70)]);
      whole.flush(now);
      expect(rows(sliced)).to.deep.equal(rows(whole));
      expect(rows(whole)).to.have.length(4 * 4 + 4);
    });

    it('a bucket written whole at a stop and continued after the restart is counted once', () => {
      const store = openStore(':memory:');
      const before = createRollups(store);
      for (let ts = T0; ts < T0 + 120_000; ts += 10_000) before.feed([at('d0', ts, 10)]);
      before.flush(T0 + 120_000, { all: true });
      const after = createRollups(store);
      for (let ts = T0 + 130_000; ts < T0 + 300_000; ts += 10_000) after.feed([at('d0', ts, 20)]);
      after.flush(T0 + 300_000);
      expect(after.read('d0', 'icmp', 300, 0, Infinity).map((r) => r.sums['rtt_avg_ms'])).to.deep.equal([
        [12 * 10 + 17 * 20, 29],
      ]);
      expect(after.read('d0', 'icmp', 3600, 0, Infinity).map((r) => r.sums['rtt_avg_ms'])).to.deep.equal([
        [12 * 10 + 17 * 20, 29],
      ]);
    });

    it('a slice that cannot be written (a failing disk) stays queued and is written by the next flush', async () => {
      const store = openStore(':memory:');
      const r = createRollups(store);
      fill(r);
      store.db.exec(
        "CREATE TRIGGER full_disk BEFORE INSERT ON history_rollup BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
      );
      let err: unknown;
      await r.flushInSlices(T0 + 1200_000, { sliceBuckets: 5 }).catch((e: unknown) => (err = e));
      expect(String(err)).to.match(/disk is full/);
      expect(rows(r)).to.have.length(0);
      store.db.exec('DROP TRIGGER full_disk');
      await r.flushInSlices(T0 + 1200_000, { sliceBuckets: 5 });
      expect(rows(r)).to.have.length(16 + 4);
      for (const d of devices)
        expect(r.read(d, 'icmp', 3600, 0, Infinity)[0]!.sums['rtt_avg_ms']).to.deep.equal([1200, 120]);
    });

    it('prunes old rows in slices too', async () => {
      const r = createRollups(openStore(':memory:'));
      fill(r);
      await r.flushInSlices(T0 + 1200_000);
      expect(rows(r)).to.have.length(20);
      await r.flushInSlices(T0 + 3 * 86_400_000);
      expect(rows(r)).to.have.length(4);
    });
  });
});
