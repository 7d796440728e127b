/**
 * Metrics sink throughput against a local influxd 1.6.7 (Debian), through the whole pipeline:
 * bus → point builder → writer → node-influx. Three numbers:
 *   raw     node-influx alone, same points, batches of 5,000, sequential (the ceiling, same moment)
 *   direct  points/s while InfluxDB is up (batches of metrics.batchSize, sequential writes)
 *   replay  points/s draining the SQLite outbox after an outage (write outbox + read + write)
 * Run: npx tsx bench/sink-throughput.ts [points=200000]   (writes bench/results/sink-throughput.json)
 * BENCH_RETENTION=off skips the raw/rollup policies and CQs; BENCH_CQ_INTERVAL=10m slows influxd's CQ checks.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { InfluxDB } from 'influx';
import { createInProcessBus } from '../core/bus.js';
import { silentLogger } from '../core/logger.js';
import { metricsSection } from '../core/config/sections/metrics.js';
import { createMetricsPipeline, type MetricsPipeline } from '../metrics/pipeline.js';
import { toPoints } from '../metrics/points.js';
import { startInfluxd } from '../test/helpers/influxd.js';
import { makeInventory, snmpResult } from '../test/helpers/metrics-fixtures.js';

const target = Number(process.argv[2] ?? 200_000);
const inventory = makeInventory(1000);
const devices = inventory.devices;
// 8 interfaces + system per SNMP result = 9 points, ~13 fields each on interfaces.
const perResult = toPoints(snmpResult(devices[1]!.id, 0, { interfaces: 8 }), devices[1]!).length;
const rounds = Math.ceil(target / (perResult * devices.length));

async function waitFor(cond: () => boolean, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function publishAll(bus: ReturnType<typeof createInProcessBus>, base: number): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (const d of devices) bus.publish('probe.result', snmpResult(d.id, base + r * 60_000, { interfaces: 8 }));
    await bus.drain();
  }
}

const influxd = await startInfluxd(
  process.env['BENCH_CQ_INTERVAL'] ? { cqRunInterval: process.env['BENCH_CQ_INTERVAL'] } : {},
);
const dir = influxd.dir;

// The ceiling: the same points straight through node-influx into another database.
const rawPoints = [];
for (let r = 0; r < rounds; r++)
  for (const d of devices)
    rawPoints.push(...toPoints(snmpResult(d.id, Date.now() - 6 * 3600_000 + r * 60_000, { interfaces: 8 }), d));
const influx = new InfluxDB({ host: '127.0.0.1', port: influxd.port, database: 'raw' });
await influx.createDatabase('raw');
const tr = performance.now();
for (let k = 0; k < rawPoints.length; k += 5000) {
  await influx.writePoints(
    rawPoints
      .slice(k, k + 5000)
      .map((p) => ({ measurement: p.measurement, tags: p.tags, fields: p.fields, timestamp: p.ts })),
    { precision: 'ms' },
  );
}
const rawMs = performance.now() - tr;

const bus = createInProcessBus();
const config = {
  metrics: metricsSection.parse({
    sink: 'influx1',
    influx1: { url: influxd.url, database: 'bench' },
    batchSize: 5000,
    flushIntervalMs: 200,
    outbox: { path: `${dir}/outbox.db`, maxPoints: 5_000_000 },
    retry: { minDelayMs: 50, maxDelayMs: 500 },
    retention: { manage: process.env['BENCH_RETENTION'] !== 'off' },
  }),
};
const p: MetricsPipeline = createMetricsPipeline({ config, inventory, bus, logger: silentLogger() });
await p.start();

const base = Date.now() - 6 * 3600_000;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await publishAll(bus, base);
const published = performance.now() - t0;
await waitFor(() => p.stats().written === p.stats().produced);
const direct = performance.now() - t0;
const cpuDirect = process.cpuUsage(cpu0);
const n = p.stats().produced;

// Outage: everything to the outbox, then measure the drain.
await influxd.kill();
await publishAll(bus, base + 3 * 3600_000);
await waitFor(() => p.stats().queued === 0 && p.stats().outboxSize >= n);
const spilled = p.stats().outboxSize;
await influxd.restart();
const t1 = performance.now();
await waitFor(() => p.stats().outboxSize === 0 && p.stats().written === p.stats().produced);
const replay = performance.now() - t1;
await p.stop();
await influxd.stop();

const result = {
  at: new Date().toISOString(),
  influxd: '1.6.7 (Debian)',
  points: n,
  pointsPerResult: perResult,
  batchSize: 5000,
  rawNodeInfluxPointsPerS: Math.round(rawPoints.length / (rawMs / 1000)),
  directPointsPerS: Math.round(n / (direct / 1000)),
  directMs: Math.round(direct),
  publishMs: Math.round(published),
  pipelineCpuMsPerKPoint: Math.round(((cpuDirect.user + cpuDirect.system) / 1000 / n) * 1000 * 100) / 100,
  replayPoints: spilled,
  replayPointsPerS: Math.round(spilled / (replay / 1000)),
  replayMs: Math.round(replay),
};
const load = (await import('node:os')).loadavg()[0]!;
Object.assign(result, {
  loadAvg1m: Math.round(load * 100) / 100,
  note: 'shared 2-core machine: compare raw vs direct from the same run',
});
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sink-throughput.json', `${JSON.stringify(result, null, 2)}\n`);
