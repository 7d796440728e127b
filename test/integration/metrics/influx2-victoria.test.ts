import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { toPoints } from '../../../metrics/points.js';
import { startVictoria, type ExportedSeries, type VictoriaHandle } from '../../helpers/victoria.js';
import { icmpResult, makeInventory, onvifResult, snmpResult } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, metricsConfig, tempDir } from './harness.js';
import { until } from '../../helpers/wait.js';

/**
 * The v2 sink (line protocol to /api/v2/write) against a real implementation of the
 * endpoint: VictoriaMetrics. Read back through /api/v1/export, never its fake /query.
 */
describe('metrics influx2: writes to /api/v2/write (VictoriaMetrics)', function () {
  this.timeout(120_000);
  let vm: VictoriaHandle;
  const tmp = tempDir();

  before(async () => {
    vm = await startVictoria();
  });
  after(async () => {
    await vm?.stop();
    tmp.cleanup();
  });

  const find = (series: ExportedSeries[], name: string, labels: Record<string, string>) =>
    series.find((s) => s.metric['__name__'] === name && Object.entries(labels).every(([k, v]) => s.metric[k] === v));

  it('delivers every point with measurement_field names, device/type/kecamatan tags and the probe timestamps', async () => {
    const inventory = makeInventory(6);
    const bus = createInProcessBus();
    const { logger } = capturedLogger();
    const config = metricsConfig({
      sink: 'influx2',
      influx2: { url: vm.url, token: 'lab-token', org: 'pantau', bucket: 'pantau' },
      batchSize: 50,
      flushIntervalMs: 100,
      outbox: { path: `${tmp.dir}/v2.db`, maxPoints: 10_000 },
      retry: { minDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 3000 },
    });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    await pipeline.start();
    const base = Date.UTC(2026, 10, 28, 1, 0, 0);
    const cam = inventory.devices.find((d) => d.type === 'cctv')!;
    const fiber = inventory.devices.find((d) => d.type === 'fiber' && d.id !== 'dev-core')!;
    let expectedPoints = 0;
    for (let r = 0; r < 5; r++) {
      const ts = base + r * 10_000 + 123; // ms precision must survive
      for (const d of inventory.devices) {
        const res = [
          icmpResult(d.id, ts, true, 2 + r),
          d.id === cam.id ? onvifResult(d.id, ts) : snmpResult(d.id, ts, { optical: d.id === fiber.id }),
        ];
        for (const x of res) {
          expectedPoints += toPoints(x, d).length;
          bus.publish('probe.result', x);
        }
      }
    }
    await bus.drain();
    await until(
      () => pipeline.stats().written === expectedPoints,
      30_000,
      'all points written',
      25,
      () => pipeline.stats(),
    );
    await pipeline.stop();
    expect(pipeline.stats().failures).to.equal(0);

    const series = await vm.export('{__name__=~"(icmp|interface|optical|system|camera)_.*"}');
    const rtt = find(series, 'icmp_rtt_avg_ms', { device: fiber.id });
    expect(rtt, 'icmp_rtt_avg_ms series').to.not.equal(undefined);
    expect(rtt!.metric).to.include({ device: fiber.id, type: 'fiber', kecamatan: fiber.kecamatan });
    expect(rtt!.timestamps).to.deep.equal([0, 1, 2, 3, 4].map((r) => base + r * 10_000 + 123));
    expect(rtt!.values).to.deep.equal([2, 3, 4, 5, 6]);
    // One icmp_up series per device, five samples each.
    const up = series.filter((s) => s.metric['__name__'] === 'icmp_up');
    expect(up.map((s) => s.metric['device']).sort()).to.deep.equal(inventory.devices.map((d) => d.id).sort());
    expect(up.every((s) => s.timestamps.length === 5)).to.equal(true);

    const ifIn = find(series, 'interface_in_bps', { device: fiber.id, if_name: 'ether1', uplink: 'true' });
    expect(ifIn?.values).to.deep.equal([1000, 1000, 1000, 1000, 1000]);
    expect(find(series, 'optical_rx_dbm', { device: fiber.id, port: 'sfp1' })?.values).to.deep.equal([
      -18.2, -18.2, -18.2, -18.2, -18.2,
    ]);
    expect(find(series, 'system_cpu_load_pct', { device: fiber.id })?.timestamps).to.have.length(5);
    const snap = find(series, 'camera_snapshot_latency_ms', { device: cam.id, type: 'cctv' });
    expect(snap?.values).to.deep.equal([85, 85, 85, 85, 85]);
    expect(find(series, 'camera_reachable', { device: cam.id })?.values).to.deep.equal([1, 1, 1, 1, 1]);
  });

  it('keeps points in the outbox while the v2 endpoint is down and delivers them once it is back', async () => {
    const inventory = makeInventory(3);
    const bus = createInProcessBus();
    const { logger } = capturedLogger();
    const config = metricsConfig({
      sink: 'influx2',
      influx2: { url: vm.url, token: 'lab-token', org: 'pantau', bucket: 'pantau' },
      batchSize: 50,
      flushIntervalMs: 50,
      outbox: { path: `${tmp.dir}/v2-outage.db`, maxPoints: 10_000 },
      retry: { minDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 3000 },
    });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    await pipeline.start();
    await vm.kill();
    const base = Date.UTC(2026, 10, 28, 4, 0, 0);
    const dev = inventory.devices[2]!;
    for (let i = 0; i < 20; i++) bus.publish('probe.result', icmpResult(dev.id, base + i * 1000, true, 10 + i));
    await bus.drain();
    await until(
      () => pipeline.stats().failures > 0 && pipeline.stats().outboxSize === 20,
      30_000,
      'points in the outbox',
      25,
      () => pipeline.stats(),
    );
    await vm.restart();
    await until(
      () => pipeline.stats().outboxSize === 0,
      30_000,
      'the outbox to drain',
      25,
      () => pipeline.stats(),
    );
    await pipeline.stop();
    const all = await vm.export('{__name__="icmp_rtt_avg_ms"}');
    const rtt = find(all, 'icmp_rtt_avg_ms', { device: dev.id });
    expect(rtt?.timestamps).to.deep.equal(Array.from({ length: 20 }, (_, i) => base + i * 1000));
    expect(rtt?.values).to.deep.equal(Array.from({ length: 20 }, (_, i) => 10 + i));
  });
});
