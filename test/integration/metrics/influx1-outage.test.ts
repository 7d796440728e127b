import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { alertToPoints, stateToPoints, toPoints, type Point } from '../../../metrics/points.js';
import type { Alert, DeviceStateChange, ProbeResult } from '../../../core/types.js';
import { icmpResult, makeInventory, onvifResult, snmpResult } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, countOf, influx1Suite } from './harness.js';
import { until } from '../../helpers/wait.js';

describe('metrics influx1: influxd killed mid-run', function () {
  this.timeout(180_000);
  const { influxd, config: influx1 } = influx1Suite();

  it('has every produced point in InfluxDB exactly once after a SIGKILL and a later restart', async () => {
    const inventory = makeInventory(24);
    const bus = createInProcessBus();
    const { logger } = capturedLogger();
    const config = influx1('pantau', { batchSize: 250, flushIntervalMs: 100, maxPoints: 1_000_000, maxDelayMs: 400 });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    await pipeline.start();

    const expected = new Map<string, number>();
    const base = Date.UTC(2026, 10, 28, 1, 0, 0);
    const rounds = 60;
    const publishRound = (r: number) => {
      for (const d of inventory.devices) {
        const ts = base + r * 1000;
        const results: ProbeResult[] = [icmpResult(d.id, ts, r % 7 !== 3)];
        if (d.type !== 'cctv')
          results.push(snmpResult(d.id, ts, { interfaces: 3, optical: d.type === 'fiber', wifi: d.type === 'wifi' }));
        else results.push(onvifResult(d.id, ts));
        for (const res of results) {
          for (const p of toPoints(res, d) as Point[])
            expected.set(p.measurement, (expected.get(p.measurement) ?? 0) + 1);
          bus.publish('probe.result', res);
        }
      }
      // State changes and alerts ride the same path.
      const d = inventory.devices[r % inventory.devices.length]!;
      const at = base + r * 1000 + 500;
      const change: DeviceStateChange = {
        deviceId: d.id,
        from: r % 2 ? 'UP' : 'DOWN',
        to: r % 2 ? 'DOWN' : 'UP',
        at,
        status: { deviceId: d.id, state: r % 2 ? 'DOWN' : 'UP', since: at },
      };
      const alert: Alert = {
        id: `a${r}`,
        key: `device_down:${d.id}`,
        rule: 'device_down',
        deviceId: d.id,
        deviceType: d.type,
        kecamatan: d.kecamatan,
        severity: 'critical',
        status: 'open',
        messageKey: 'device_down',
        params: {},
        title: `Perangkat ${d.id} mati`,
        affected: [],
        openedAt: at,
        updatedAt: at,
      };
      for (const p of [...stateToPoints(change, d), ...alertToPoints(alert)])
        expected.set(p.measurement, (expected.get(p.measurement) ?? 0) + 1);
      bus.publish('device.state', change);
      bus.publish('alert.changed', alert);
    };

    for (let r = 0; r < rounds; r++) {
      if (r === 20) {
        await until(() => pipeline.stats().written > 0, 60_000, 'first writes', 25);
        await influxd.kill();
      }
      if (r === 40) {
        // Down long enough that writes failed and the outbox holds points.
        await until(
          () => pipeline.stats().failures > 0 && pipeline.stats().outboxSize > 0,
          30_000,
          'writes to fail while influxd is down',
          25,
          () => pipeline.stats(),
        );
        await influxd.restart();
      }
      publishRound(r);
      await bus.drain();
      await new Promise((res) => setTimeout(res, 20));
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    await until(
      () => {
        const s = pipeline.stats();
        return s.written === total && s.outboxSize === 0 && s.queued === 0;
      },
      90_000,
      'everything written',
      25,
      () => pipeline.stats(),
    );
    const s = pipeline.stats();
    await pipeline.stop();

    expect(s.produced).to.equal(total);
    expect(s.outboxed, 'the outage sent points through the outbox').to.be.greaterThan(0);
    expect(s.replayed).to.be.greaterThan(0);
    expect(s.dropped).to.equal(0);
    expect(s.quarantined).to.equal(0);

    // An always-present field per measurement: COUNT() is the number of points, duplicates impossible
    // (same series + timestamp overwrites) and missing points show as a smaller count.
    const probeField: Record<string, string> = {
      icmp: 'up',
      interface: 'oper_up',
      optical: 'rx_dbm',
      system: 'snmp_ok',
      wifi: 'clients',
      camera: 'reachable',
      device_state: 'state_code',
      alert: 'title',
    };
    for (const [m, n] of expected) {
      const got = countOf(await influxd.query('pantau', `SELECT COUNT("${probeField[m]}") FROM "${m}"`));
      expect(got, `points in ${m}`).to.equal(n);
    }
    expect([...expected.keys()].sort()).to.deep.equal([
      'alert',
      'camera',
      'device_state',
      'icmp',
      'interface',
      'optical',
      'system',
      'wifi',
    ]);
  });
});
