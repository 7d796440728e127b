import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { icmpResult, makeInventory } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, countOf, influx1Suite } from './harness.js';
import { until } from '../../helpers/wait.js';

describe('metrics influx1: a user without admin rights', function () {
  this.timeout(120_000);
  const admin = { username: 'admin', password: 'admin-pw' };
  const { influxd, config: influx1 } = influx1Suite({
    influxd: { authEnabled: true },
    setup: async (db) => {
      // The first user may be created without credentials; then everything needs them.
      await db.query('', `CREATE USER "admin" WITH PASSWORD 'admin-pw' WITH ALL PRIVILEGES`);
      await db.query('', 'CREATE DATABASE "oku"', admin);
      await db.query('', `CREATE USER "pantau" WITH PASSWORD 'pantau-pw'`, admin);
      await db.query('', 'GRANT ALL ON "oku" TO "pantau"', admin);
    },
  });

  it('skips database/retention setup with a warning, writes to the default policy and reads it back', async () => {
    const inventory = makeInventory(3);
    const bus = createInProcessBus();
    const { logger, lines } = capturedLogger();
    const config = influx1('oku', { maxPoints: 1000, influx1: { username: 'pantau', password: 'pantau-pw' } });
    const p = createMetricsPipeline({ config, inventory, bus, logger });
    await p.start();
    const dev = inventory.devices[1]!;
    const ts = Math.floor((Date.now() - 600_000) / 60_000) * 60_000;
    for (let i = 0; i < 10; i++) bus.publish('probe.result', icmpResult(dev.id, ts + i * 1000, true, 3));
    await bus.drain();
    await until(
      () => p.stats().written === 10,
      30_000,
      'written',
      25,
      () => p.stats(),
    );
    expect(lines.map((l) => l['msg'])).to.include.members([
      'no right to create the database; assuming it exists',
      'retention/continuous queries not set up (no rights?); writing to the default policy',
    ]);
    expect(countOf(await influxd.query('oku', 'SELECT COUNT("up") FROM "icmp"', admin))).to.equal(10);
    const rps = await influxd.query('oku', 'SHOW RETENTION POLICIES ON "oku"', admin);
    expect(rps.results[0]!.series![0]!.values.map((v) => v[0])).to.deep.equal(['autogen']);
    // The reader asks for pantau's policies first and falls back to the default one.
    const hist = await p.reader.history({ deviceId: dev.id, series: 'icmp', from: ts, to: ts + 60_000, stepS: 60 });
    expect(hist.map((h) => h.values['rtt_avg_ms'])).to.deep.equal([3]);
    await p.stop();
  });
});
