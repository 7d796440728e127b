import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createInProcessBus } from '../../../core/bus.js';
import { configSchema } from '../../../core/config/schema.js';
import { createLogger, silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { MEMORY_WINDOW_MS } from '../../../history/rollups.js';
import { startArchive, type RollupFeed } from '../../../history/start-archive.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { icmpResult, makeInventory } from '../../helpers/metrics-fixtures.js';

/** A 5-minute bucket boundary (and an hour's). */
const T0 = Date.UTC(2026, 10, 20, 1, 0, 0);
const MIN = 60_000;
const inventory = makeInventory(3);
const dev = inventory.devices[1]!;

const configWith = (extra: Record<string, unknown> = {}) =>
  configSchema.parse({
    inventory: ['inventory/oku.yaml'],
    alerting: {
      notifications: {
        email: { host: '127.0.0.1', port: 2525, secure: false, from: 'pantau <pantau@okukab.go.id>' },
        groups: { noc: { email: ['noc@okukab.go.id'] } },
      },
    },
    ...extra,
  });

/** The archive as the composition roots build it (server/main.ts, the core role), over a store in memory. */
function build(config: ReturnType<typeof configWith>, logger = silentLogger()) {
  const store = openStore(':memory:');
  const bus = createInProcessBus();
  const clock = createManualClock(T0);
  const feeds: Array<RollupFeed | Record<string, never>> = [];
  const archive = startArchive({
    store,
    bus,
    inventory: () => inventory,
    config,
    clock,
    regionZone: 'WIB',
    logger,
    createMetrics: (feed) => {
      feeds.push(feed);
      return createMetricsPipeline({ config, inventory, bus, logger, clock, ...feed });
    },
  });
  const buckets = () =>
    (
      store.db.prepare('SELECT bucket FROM history_rollup WHERE step_s = 300 ORDER BY bucket').all() as {
        bucket: number;
      }[]
    ).map((r) => (r.bucket - T0) / MIN);
  return { store, bus, clock, feeds, archive, buckets };
}

describe('history/start-archive (the archive both composition roots build)', () => {
  it('sink none: the pipeline feeds the rollups, closed buckets are written while running and the rest at stop, the drawer reads them', async () => {
    const { bus, clock, feeds, archive, buckets } = build(configWith());
    expect(feeds).to.have.length(1);
    expect(feeds[0]).to.have.keys('onMemoryPoints', 'memoryWindowMs');
    expect(feeds[0]).to.include({ memoryWindowMs: MEMORY_WINDOW_MS });
    expect(archive.reader).to.not.equal(archive.metrics.reader);
    expect(archive.mailer).to.equal(null);
    await archive.metrics.start();
    // 12 minutes of pings at 5 ms: buckets 0–5 and 5–10 close, 10–15 stays open.
    for (let m = 0; m < 12; m++) bus.publish('probe.result', icmpResult(dev.id, T0 + m * MIN, true, 5));
    await bus.drain();
    clock.set(T0 + 12 * MIN);
    expect(buckets()).to.deep.equal([]);
    await archive.flushRollups();
    expect(buckets()).to.deep.equal([0, 5]);
    // The stop, in the callers' order: pipeline, timer, every bucket left.
    await archive.metrics.stop();
    archive.stopRollupTimer();
    archive.writeLastRollups();
    expect(buckets()).to.deep.equal([0, 5, 10]);
    // A range longer than the ring's hour comes from the rollups (5-minute points).
    const six = await archive.reader.history({
      deviceId: dev.id,
      series: 'icmp',
      from: T0 - 6 * 3600_000,
      to: T0 + 15 * MIN,
    });
    expect(six.map((p) => [(p.ts - T0) / MIN, p.values['rtt_avg_ms']])).to.deep.equal([
      [0, 5],
      [5, 5],
      [10, 5],
    ]);
    archive.stopRecording();
  });

  it('records device state changes in the state log until stopRecording', async () => {
    const { bus, archive } = build(configWith());
    const change = (at: number) => ({
      deviceId: dev.id,
      from: 'UP' as const,
      to: 'DOWN' as const,
      at,
      status: { deviceId: dev.id, state: 'DOWN' as const, since: at },
    });
    bus.publish('device.state', change(T0));
    await bus.drain();
    expect(archive.api.stateLog.changes(dev.id, T0 - MIN, T0 + MIN).map((c) => c.at)).to.deep.equal([T0]);
    archive.stopRecording();
    bus.publish('device.state', change(T0 + 1000));
    await bus.drain();
    expect(archive.api.stateLog.changes(dev.id, T0 - MIN, T0 + MIN).map((c) => c.at)).to.deep.equal([T0]);
  });

  it('with a sink: no rollups, the pipeline’s own reader, nothing to flush; the monthly mailer when configured', () => {
    const config = configWith({
      metrics: { sink: 'influx1', influx1: { url: 'http://127.0.0.1:8086', database: 'pantau' } },
      reports: { monthly: { group: 'noc', hour: 7 } },
    });
    const { feeds, archive, buckets } = build(config);
    expect(feeds).to.deep.equal([{}]);
    expect(archive.reader).to.equal(archive.metrics.reader);
    expect(archive.metrics.memory).to.equal(null);
    expect(archive.flushRollups({ all: true })).to.equal(undefined);
    archive.stopRollupTimer();
    archive.writeLastRollups();
    expect(buckets()).to.deep.equal([]);
    expect(archive.mailer).to.not.equal(null);
    archive.stopRecording();
  });

  it('a rollup write that fails is logged, never thrown (running and at stop)', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'error',
      destination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    const { store, bus, archive } = build(configWith(), logger);
    await archive.metrics.start();
    bus.publish('probe.result', icmpResult(dev.id, T0, true, 5));
    await bus.drain();
    await archive.metrics.stop();
    store.close();
    await archive.flushRollups({ all: true });
    archive.stopRollupTimer();
    archive.writeLastRollups();
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).to.deep.equal([
      'history rollups not written (kept for the next flush)',
      'history rollups not written',
    ]);
    archive.stopRecording();
  });
});
