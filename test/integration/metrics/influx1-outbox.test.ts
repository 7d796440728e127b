import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import type { PantauHealth } from '../../../core/bus.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { icmpResult, makeInventory, snmpResult } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, countOf, influx1Suite } from './harness.js';
import { until } from '../../helpers/wait.js';

describe('metrics influx1: outbox bound and quarantine', function () {
  this.timeout(180_000);
  const { influxd, config: influx1 } = influx1Suite();

  it('holds the outbox bound while InfluxDB is down, counts and logs the drop, publishes pantau.health, replays the newest in order', async () => {
    const inventory = makeInventory(10);
    const bus = createInProcessBus();
    const health: PantauHealth[] = [];
    bus.subscribe('pantau.health', (h) => {
      health.push(h);
    });
    const { logger, lines } = capturedLogger();
    const config = influx1('bound', { maxPoints: 1000 });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    await pipeline.start();

    const base = Date.UTC(2026, 10, 28, 2, 0, 0);
    const dev = inventory.devices[1]!;
    bus.publish('probe.result', icmpResult(dev.id, base - 60_000));
    await until(() => pipeline.stats().written === 1, 60_000, 'the first point', 25);
    await influxd.kill();

    // 1,500 points into a 1,000-point outbox while InfluxDB is down: the 500 oldest must go.
    for (let i = 0; i < 1500; i++) {
      bus.publish('probe.result', icmpResult(dev.id, base + i * 1000, true, 1 + i / 1000));
      if (i % 100 === 99) {
        await bus.drain();
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    await bus.drain();
    await until(
      () => pipeline.stats().queued === 0 && pipeline.stats().outboxed >= 1500,
      30_000,
      'all points in the outbox',
      25,
      () => pipeline.stats(),
    );
    const s = pipeline.stats();
    expect(s.outboxSize).to.equal(1000);
    expect(s.dropped).to.equal(500);
    const dropLines = lines.filter((l) => l['msg'] === 'metrics outbox full: oldest points dropped');
    expect(dropLines.length).to.be.greaterThan(0);
    expect(dropLines.at(-1)!['droppedTotal']).to.equal(500);
    await bus.drain();
    expect(health.map((h) => [h.component, h.status, h.code])).to.deep.equal([
      ['metrics', 'degraded', 'PANTAU_SINK_OUTBOX_FULL'],
    ]);

    await influxd.restart();
    await until(
      () => pipeline.stats().outboxSize === 0,
      60_000,
      'the outbox to drain',
      25,
      () => pipeline.stats(),
    );
    await bus.drain();
    expect(health.map((h) => h.status)).to.deep.equal(['degraded', 'ok']);
    await pipeline.stop();

    const rows = await influxd.query('bound', `SELECT "rtt_avg_ms" FROM "icmp" WHERE time >= ${base}ms`);
    const values = rows.results[0]?.series?.[0]?.values ?? [];
    expect(values.length).to.equal(1000);
    // The newest 1,000 survived: timestamps base+500s … base+1499s, each once.
    expect(values[0]![0]).to.equal(base + 500_000);
    expect(values.at(-1)![0]).to.equal(base + 1_499_000);
    expect(countOf(await influxd.query('bound', 'SELECT COUNT("up") FROM "icmp"'))).to.equal(1001);
  });

  it('quarantines a type-conflicting point with its line logged while the rest of the batch is written', async () => {
    const inventory = makeInventory(40);
    const bus = createInProcessBus();
    const { logger, lines } = capturedLogger();
    const ts = Date.UTC(2026, 10, 28, 3, 0, 0);
    // Another writer (say telegraf) already made system.temperature_c a string in this shard.
    await fetch(`${influxd.url}/query?q=${encodeURIComponent('CREATE DATABASE "conflict"')}`, { method: 'POST' });
    const pre = await fetch(`${influxd.url}/write?db=conflict&precision=ms`, {
      method: 'POST',
      body: `system,device=legacy temperature_c="hot" ${ts - 1000}`,
    });
    expect(pre.status).to.equal(204);

    // The pre-written point lives in the default policy: keep writing there.
    const config = influx1('conflict', { batchSize: 5000, flushIntervalMs: 300, retention: { manage: false } });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    await pipeline.start();
    const bad = inventory.devices[7]!;
    for (const d of inventory.devices) {
      bus.publish('probe.result', icmpResult(d.id, ts));
      bus.publish('probe.result', snmpResult(d.id, ts, { interfaces: 2, temperature: d.id === bad.id }));
    }
    await bus.drain();
    const produced = pipeline.stats().produced;
    await until(
      () => pipeline.stats().written + pipeline.stats().quarantined === produced && pipeline.stats().queued === 0,
      30_000,
      'the batch to settle',
      25,
      () => pipeline.stats(),
    );
    const s = pipeline.stats();
    expect(s.quarantined).to.equal(1);
    expect(s.written).to.equal(produced - 1);
    const q = pipeline.quarantined();
    expect(q).to.have.length(1);
    expect(q[0]!.line).to.match(new RegExp(`^system,device=${bad.id},.* .*temperature_c=41.* ${ts}$`));
    expect(q[0]!.status).to.equal(400);
    expect(q[0]!.error).to.match(/field type conflict/);
    const logged = lines.find((l) => l['msg'] === 'metrics point rejected by the sink and quarantined (not retried)');
    expect(logged?.['line']).to.equal(q[0]!.line);
    expect(String(logged?.['reason'])).to.match(/temperature_c/);
    await pipeline.stop();

    expect(countOf(await influxd.query('conflict', 'SELECT COUNT("up") FROM "icmp"'))).to.equal(40);
    expect(countOf(await influxd.query('conflict', 'SELECT COUNT("snmp_ok") FROM "system"'))).to.equal(39);
    expect(countOf(await influxd.query('conflict', 'SELECT COUNT("oper_up") FROM "interface"'))).to.equal(80);
  });

  it('keeps what it could not write across a restart of pantau: the next start replays the outbox first', async () => {
    const inventory = makeInventory(3);
    const dev = inventory.devices[1]!;
    const config = influx1('restart');
    const base = Date.UTC(2026, 10, 28, 2, 30, 0);
    await influxd.kill();
    const bus1 = createInProcessBus();
    const first = createMetricsPipeline({ config, inventory, bus: bus1, logger: capturedLogger().logger });
    await first.start();
    for (let i = 0; i < 50; i++) bus1.publish('probe.result', icmpResult(dev.id, base + i * 1000));
    await bus1.drain();
    await first.stop({ timeoutMs: 1000 });
    expect(first.stats()).to.include({ produced: 50, written: 0, outboxSize: 50 });

    await influxd.restart();
    const bus2 = createInProcessBus();
    const second = createMetricsPipeline({ config, inventory, bus: bus2, logger: capturedLogger().logger });
    await second.start();
    for (let i = 50; i < 60; i++) bus2.publish('probe.result', icmpResult(dev.id, base + i * 1000));
    await bus2.drain();
    await until(
      () => second.stats().outboxSize === 0 && second.stats().written === 60,
      30_000,
      'outbox from the first run + new points',
      25,
      () => second.stats(),
    );
    await second.stop();
    const rows = await influxd.query('restart', `SELECT "up" FROM "icmp"`);
    expect(rows.results[0]?.series?.[0]?.values.map((v) => v[0])).to.deep.equal(
      Array.from({ length: 60 }, (_, i) => base + i * 1000),
    );
  });
});
