import { expect } from 'chai';
import { createMemoryHistory } from '../../../metrics/memory-history.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { toPoints } from '../../../metrics/points.js';
import { metricsSection } from '../../../core/config/sections/metrics.js';
import { createInProcessBus } from '../../../core/bus.js';
import { silentLogger } from '../../../core/logger.js';
import { icmpResult, makeInventory, snmpResult } from '../../helpers/metrics-fixtures.js';

const T0 = Date.UTC(2026, 10, 28, 1, 0, 0);

describe('metrics/memory-history', () => {
  const inv = makeInventory(5);
  const dev = inv.devices[1]!;

  it('averages icmp into buckets of stepS and leaves out what has no data', async () => {
    const h = createMemoryHistory({ pointsPerSeries: 100 });
    for (let i = 0; i < 6; i++) h.feed(toPoints(icmpResult(dev.id, T0 + i * 10_000, true, i), dev));
    const pts = await h.history({ deviceId: dev.id, series: 'icmp', from: T0, to: T0 + 60_000, stepS: 30 });
    expect(pts.map((p) => [p.ts, p.values['rtt_avg_ms'], p.values['up']])).to.deep.equal([
      [T0, 1, 1],
      [T0 + 30_000, 4, 1],
    ]);
    expect(await h.history({ deviceId: 'nope', series: 'icmp', from: T0, to: T0 + 60_000 })).to.deep.equal([]);
  });

  it('keeps only the newest pointsPerSeries entries per device and series', async () => {
    const h = createMemoryHistory({ pointsPerSeries: 10 });
    for (let i = 0; i < 25; i++) h.feed(toPoints(icmpResult(dev.id, T0 + i * 1000), dev));
    const pts = await h.history({ deviceId: dev.id, series: 'icmp', from: T0, to: T0 + 60_000, stepS: 1 });
    expect(pts.map((p) => p.ts)).to.deep.equal(Array.from({ length: 10 }, (_, i) => T0 + (15 + i) * 1000));
  });

  it('traffic is the sum over uplink interfaces; optical the mean over ports', async () => {
    const h = createMemoryHistory({ pointsPerSeries: 10 });
    const r = snmpResult(dev.id, T0, { interfaces: 3, optical: true });
    r.interfaces[1]!.isUplink = true; // two uplinks: 1000+2000 in, 500+1000 out
    h.feed(toPoints(r, dev));
    const [t] = await h.history({ deviceId: dev.id, series: 'traffic', from: T0, to: T0 + 1000, stepS: 10 });
    expect(t!.values).to.deep.equal({ in_bps: 3000, out_bps: 1500 });
    const [o] = await h.history({ deviceId: dev.id, series: 'optical', from: T0, to: T0 + 1000, stepS: 10 });
    expect(o!.values).to.deep.equal({ rx_dbm: -18.2, tx_dbm: 2.1 });
  });

  it('points of one timestamp merge into one entry; a field missing from an entry is left out of its mean', async () => {
    const h = createMemoryHistory({ pointsPerSeries: 10 });
    const tags = { device: dev.id, type: dev.type, kecamatan: dev.kecamatan };
    h.feed([
      { measurement: 'system', tags, fields: { cpu_load_pct: 40 }, ts: T0 },
      { measurement: 'system', tags, fields: { temperature_c: 51.25 }, ts: T0 },
    ]);
    h.feed([{ measurement: 'system', tags, fields: { cpu_load_pct: 60, uptime_s: 123456789 }, ts: T0 + 1000 }]);
    const pts = await h.history({ deviceId: dev.id, series: 'system', from: T0, to: T0 + 10_000, stepS: 1 });
    expect(pts.map((p) => p.values)).to.deep.equal([
      { cpu_load_pct: 40, temperature_c: 51.25, uptime_s: null },
      // Float32 storage: 7 significant digits come back (123456789 → 123456800).
      { cpu_load_pct: 60, temperature_c: null, uptime_s: 123456800 },
    ]);
    const [both] = await h.history({ deviceId: dev.id, series: 'system', from: T0, to: T0 + 10_000, stepS: 10 });
    expect(both!.values).to.deep.equal({ cpu_load_pct: 50, temperature_c: 51.25, uptime_s: 123456800 });
  });

  it('with a window, a ring keeps what reaches that far back: a 60 s series an hour, a 10 s series up to pointsPerSeries', async () => {
    const tags = { device: dev.id, type: dev.type, kecamatan: dev.kecamatan };
    const fill = (h: ReturnType<typeof createMemoryHistory>) => {
      // 6 hours: system every 60 s (360 entries), icmp every 10 s (2,160).
      for (let ts = T0; ts < T0 + 6 * 3600_000; ts += 10_000) {
        h.feed([{ measurement: 'icmp', tags, fields: { rtt_avg_ms: 1, up: 1 }, ts }]);
        if (ts % 60_000 === 0) h.feed([{ measurement: 'system', tags, fields: { cpu_load_pct: 5 }, ts }]);
      }
    };
    const end = T0 + 6 * 3600_000;
    const count = async (h: ReturnType<typeof createMemoryHistory>, series: 'icmp' | 'system', fromMs: number) =>
      (await h.history({ deviceId: dev.id, series, from: end - fromMs, to: end, stepS: 10 })).length;
    const windowed = createMemoryHistory({ pointsPerSeries: 360, windowMs: 3660_000 });
    fill(windowed);
    // The last hour is whole in both series.
    expect(await count(windowed, 'system', 3600_000)).to.equal(60);
    expect(await count(windowed, 'icmp', 3600_000)).to.equal(360);
    // Older than the window: the 60 s series kept 64 entries (one hour and 4 minutes), not 360.
    expect(await count(windowed, 'system', 6 * 3600_000)).to.equal(64);
    expect(await count(windowed, 'icmp', 6 * 3600_000)).to.equal(360);
    // Without a window: pointsPerSeries entries whatever their age (six hours of the 60 s series).
    const fixed = createMemoryHistory({ pointsPerSeries: 360 });
    fill(fixed);
    expect(await count(fixed, 'system', 6 * 3600_000)).to.equal(360);
    // A series polled faster for a while (re-checks) grows while it wraps around and still holds
    // its last hour, in order: the same as a ring that never drops anything.
    const burst = createMemoryHistory({ pointsPerSeries: 360, windowMs: 3660_000 });
    const all = createMemoryHistory({ pointsPerSeries: 10_000 });
    const feedBoth = (ts: number, v: number) => {
      for (const h of [burst, all]) h.feed([{ measurement: 'system', tags, fields: { cpu_load_pct: v }, ts }]);
    };
    let ts = T0;
    for (; ts < T0 + 2 * 3600_000; ts += 60_000) feedBoth(ts, (ts - T0) / 1000);
    for (const stop = ts + 1800_000; ts < stop; ts += 10_000) feedBoth(ts, (ts - T0) / 1000);
    const lastHour = { deviceId: dev.id, series: 'system' as const, from: ts - 3600_000, to: ts, stepS: 10 };
    const expected = await all.history(lastHour);
    expect(expected).to.have.length(30 + 180);
    expect(await burst.history(lastHour)).to.deep.equal(expected);
  });

  it('availability from icmp up, grouped by device, type or kecamatan', async () => {
    const h = createMemoryHistory({ pointsPerSeries: 100 });
    const [a, b] = [inv.devices[1]!, inv.devices[2]!];
    for (let i = 0; i < 4; i++) {
      h.feed(toPoints(icmpResult(a.id, T0 + i * 1000, true), a));
      h.feed(toPoints(icmpResult(b.id, T0 + i * 1000, i % 2 === 0), b));
    }
    expect(await h.availability({ from: T0, to: T0 + 10_000, groupBy: 'device' })).to.deep.equal([
      { key: a.id, availabilityPct: 100, samples: 4 },
      { key: b.id, availabilityPct: 50, samples: 4 },
    ]);
    const byType = await h.availability({ from: T0, to: T0 + 10_000, groupBy: 'type' });
    expect(byType.map((r) => r.key).sort()).to.deep.equal([a.type, b.type].sort());
  });

  it('sink none: the pipeline passes its memoryWindowMs to the rings (pantau start: an hour beside the rollups)', async () => {
    const bus = createInProcessBus();
    const p = createMetricsPipeline({
      config: { metrics: metricsSection.parse({}) },
      inventory: inv,
      bus,
      logger: silentLogger(),
      memoryWindowMs: 3660_000,
    });
    await p.start();
    // Three hours of ICMP every 60 s: the ring keeps 64 entries, not pointsPerSeries (360).
    for (let ts = T0; ts < T0 + 3 * 3600_000; ts += 60_000)
      bus.publish('probe.result', icmpResult(dev.id, ts, true, 1));
    await bus.drain();
    const pts = await p.reader.history({
      deviceId: dev.id,
      series: 'icmp',
      from: T0,
      to: T0 + 3 * 3600_000,
      stepS: 60,
    });
    expect(pts).to.have.length(64);
    await p.stop();
  });

  it('sink none: the pipeline feeds the in-memory reader from the bus', async () => {
    const bus = createInProcessBus();
    const p = createMetricsPipeline({
      config: { metrics: metricsSection.parse({}) },
      inventory: inv,
      bus,
      logger: silentLogger(),
    });
    await p.start();
    bus.publish('probe.result', icmpResult(dev.id, T0, true, 7));
    bus.publish('probe.result', icmpResult('not-in-inventory', T0));
    await bus.drain();
    const pts = await p.reader.history({ deviceId: dev.id, series: 'icmp', from: T0 - 1000, to: T0 + 1000 });
    expect(pts[0]?.values['rtt_avg_ms']).to.equal(7);
    expect(p.stats()).to.deep.include({
      sink: 'none',
      unknownDevices: 1,
      received: { results: 2, states: 0, alerts: 0 },
    });
    // After an inventory reload the new device's results count.
    const bigger = makeInventory(8);
    p.updateInventory(bigger);
    const added = bigger.devices[6]!;
    bus.publish('probe.result', icmpResult(added.id, T0, true, 9));
    await bus.drain();
    expect(
      (await p.reader.history({ deviceId: added.id, series: 'icmp', from: T0 - 1000, to: T0 + 1000 }))[0]?.values[
        'rtt_avg_ms'
      ],
    ).to.equal(9);
    await p.stop();
  });
});
