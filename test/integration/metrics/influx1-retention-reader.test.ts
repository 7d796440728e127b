import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { createManualClock } from '../../../core/time.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { continuousQueries } from '../../../metrics/retention.js';
import { createInfluxqlReader } from '../../../metrics/influxql-reader.js';
import { icmpResult, makeInventory, snmpResult } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, influx1Suite } from './harness.js';
import { until } from '../../helpers/wait.js';

describe('metrics influx1: retention, continuous queries and the InfluxQL reader', function () {
  this.timeout(120_000);
  const { influxd, config: influx1 } = influx1Suite();

  it('sets up raw + 5-minute rollup policies and CQs idempotently, and reads history and availability back', async () => {
    const inventory = makeInventory(4);
    const [a, b] = [inventory.devices[1]!, inventory.devices[2]!];
    // Recent timestamps (raw keeps 30 days), on an hour boundary (so hourly buckets do not split them).
    const t0 = Math.floor((Date.now() - 3 * 3600_000) / 3600_000) * 3600_000;
    const clock = createManualClock(t0 + 3600_000);
    const config = influx1('ret', { batchSize: 1000, flushIntervalMs: 100 });
    const runOnce = async (publish: (bus: ReturnType<typeof createInProcessBus>) => void) => {
      const bus = createInProcessBus();
      const { logger, lines } = capturedLogger();
      const p = createMetricsPipeline({ config, inventory, bus, logger, clock });
      await p.start();
      publish(bus);
      await bus.drain();
      await until(
        () => p.stats().written === p.stats().produced && p.stats().produced > 0,
        30_000,
        'written',
        25,
        () => p.stats(),
      );
      return { p, lines };
    };

    const first = await runOnce((bus) => {
      for (let i = 0; i < 30; i++) {
        const ts = t0 + i * 20_000; // 10 minutes of data
        bus.publish('probe.result', icmpResult(a.id, ts, true, 10 + (i < 15 ? 0 : 10)));
        bus.publish('probe.result', icmpResult(b.id, ts, i % 3 !== 0, 5));
        bus.publish('probe.result', snmpResult(a.id, ts, { interfaces: 3 }));
      }
    });
    await first.p.stop();
    expect(first.lines.filter((l) => l['msg'] === 'continuous query created')).to.have.length(
      continuousQueries('ret').length,
    );

    const rps = await influxd.query('ret', 'SHOW RETENTION POLICIES ON "ret"');
    const rows = rps.results[0]!.series![0]!.values.map((v) => [v[0], v[1], v[4]]);
    expect(rows).to.deep.include.members([
      ['raw', '720h0m0s', true],
      ['rollup_5m', '17472h0m0s', false],
    ]);
    const cqs = await influxd.query('ret', 'SHOW CONTINUOUS QUERIES');
    const ours = cqs.results[0]!.series!.find((s) => s.name === 'ret')!.values.map((v) => v[0]);
    expect(ours.sort()).to.deep.equal(
      continuousQueries('ret')
        .map((c) => c.name)
        .sort(),
    );

    // Second start: nothing created or altered.
    const second = await runOnce((bus) => bus.publish('probe.result', icmpResult(a.id, t0 + 3000_000, true)));
    expect(second.lines.filter((l) => /created|updated|dropped/.test(String(l['msg'])))).to.deep.equal([]);
    const cqs2 = await influxd.query('ret', 'SHOW CONTINUOUS QUERIES');
    expect(cqs2.results[0]!.series!.find((s) => s.name === 'ret')!.values).to.have.length(ours.length);

    // Reads over the raw policy.
    const r = second.p.reader;
    const icmp = await r.history({ deviceId: a.id, series: 'icmp', from: t0, to: t0 + 600_000, stepS: 300 });
    expect(icmp.map((p) => [p.ts, p.values['rtt_avg_ms']])).to.deep.equal([
      [t0, 10],
      [t0 + 300_000, 20],
    ]);
    const traffic = await r.history({ deviceId: a.id, series: 'traffic', from: t0, to: t0 + 600_000, stepS: 300 });
    expect(traffic.map((p) => p.values)).to.deep.equal([
      { in_bps: 1000, out_bps: 500 },
      { in_bps: 1000, out_bps: 500 },
    ]);
    const avail = await r.availability({ from: t0, to: t0 + 600_000, groupBy: 'device' });
    expect(avail.map((x) => [x.key, Math.round(x.availabilityPct * 100) / 100, x.samples])).to.deep.equal([
      [a.id, 100, 30],
      [b.id, 66.67, 30],
    ]);

    // The rollup: run each CQ's SELECT … INTO over the data (what InfluxDB does every 5 minutes),
    // then a long range reads the rollup policy with the same field names.
    for (const cq of continuousQueries('ret')) {
      const select = /BEGIN (SELECT .*) GROUP BY time\(5m\), \* END$/.exec(cq.query)![1]!;
      await influxd.query('ret', `${select} WHERE time >= ${t0}ms AND time < ${t0 + 600_000}ms GROUP BY time(5m), *`);
    }
    const long = await r.history({ deviceId: a.id, series: 'icmp', from: t0 - 3 * 86400_000, to: t0 + 3600_000 });
    expect(long.map((p) => p.values['rtt_avg_ms'])).to.deep.equal([15]);
    await second.p.stop();
  });

  it('reads the default policy when pantau could not create its own (no rights)', async () => {
    const ts = Math.floor((Date.now() - 3600_000) / 60_000) * 60_000;
    await influxd.query('plain', 'CREATE DATABASE "plain"');
    const w = await fetch(`${influxd.url}/write?db=plain&precision=ms`, {
      method: 'POST',
      body: `icmp,device=x,type=fiber,kecamatan=Lengkiti up=1,rtt_avg_ms=4 ${ts}`,
    });
    expect(w.status).to.equal(204);
    const reader = createInfluxqlReader({
      url: influxd.url,
      database: 'plain',
      rollup: { rawMs: 30 * 86400_000 },
      clock: createManualClock(ts + 60_000),
    });
    const pts = await reader.history({ deviceId: 'x', series: 'icmp', from: ts, to: ts + 60_000, stepS: 60 });
    expect(pts).to.have.length(1);
    expect(pts[0]!.values['rtt_avg_ms']).to.equal(4);
    expect(await reader.availability({ from: ts, to: ts + 60_000, groupBy: 'kecamatan' })).to.deep.equal([
      { key: 'Lengkiti', availabilityPct: 100, samples: 1 },
    ]);
  });
});
