import { expect } from 'chai';
import { openOutbox, type Outbox } from '../../../metrics/outbox.js';
import { SinkWriteError, type MetricsSink } from '../../../metrics/sink.js';
import { createBatchWriter, type WriterDeps } from '../../../metrics/writer.js';
import { lineTimestamp, type Point } from '../../../metrics/point.js';
import { silentLogger } from '../../../core/logger.js';
import { createManualClock } from '../../../core/time.js';
import { until } from '../../helpers/wait.js';

/** An in-memory sink: `mode` decides what the next writes do; rejects points whose field `bad` is set. */
function fakeSink() {
  const written: number[] = [];
  const state = { mode: 'ok' as 'ok' | 'down' | 'hang', calls: 0, release: () => {} };
  const sink: MetricsSink = {
    kind: 'influx1',
    async setup() {
      if (state.mode === 'down') throw new SinkWriteError('down', { retryable: true, status: null });
    },
    async write(lines) {
      state.calls++;
      if (state.mode === 'hang')
        await new Promise<void>((r) => {
          state.release = r;
        });
      if (state.mode === 'down') throw new SinkWriteError('connect ECONNREFUSED', { retryable: true, status: null });
      const bad = lines.filter((l) => l.includes(' bad='));
      if (bad.length > 0)
        throw new SinkWriteError('answered 400', {
          retryable: false,
          status: 400,
          body: 'partial write: field type conflict',
        });
      for (const l of lines) written.push(lineTimestamp(l));
    },
    async close() {},
  };
  return { sink, written, state };
}

const pt = (ts: number, bad = false): Point => ({
  measurement: 'icmp',
  tags: { device: 'd' },
  fields: bad ? { bad: 'x' } : { up: 1 },
  ts,
});
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('metrics/writer', () => {
  let outbox: Outbox;
  beforeEach(() => {
    outbox = openOutbox(':memory:', 1000);
  });
  afterEach(() => {
    try {
      outbox.close();
    } catch {
      /* closed */
    }
  });

  const deps = (sink: MetricsSink, extra: Partial<WriterDeps> = {}): WriterDeps => ({
    sink,
    outbox,
    batchSize: 10,
    flushIntervalMs: 20,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    logger: silentLogger(),
    clock: createManualClock(),
    random: () => 0.5,
    ...extra,
  });

  it('writes full batches at once and a partial batch after flushIntervalMs', async () => {
    const f = fakeSink();
    const w = createBatchWriter(deps(f.sink));
    w.start();
    w.enqueue(range(0, 25).map((i) => pt(i)));
    await until(() => f.written.length === 20, 5000, 'two full batches', 2);
    await until(() => f.written.length === 25, 5000, 'the partial batch by age', 2);
    expect(f.written).to.deep.equal(range(0, 25));
    await w.stop();
  });

  it('keeps order through an outage: failed batches and everything after go through the outbox', async () => {
    const f = fakeSink();
    const w = createBatchWriter(deps(f.sink));
    w.start();
    w.enqueue(range(0, 10).map((i) => pt(i)));
    await until(() => f.written.length === 10, 5000, 'first batch', 2);
    f.state.mode = 'down';
    w.enqueue(range(10, 40).map((i) => pt(i)));
    await until(() => w.stats().outboxSize === 30, 5000, 'outbox filled', 2);
    f.state.mode = 'ok';
    w.enqueue(range(40, 45).map((i) => pt(i)));
    await until(() => f.written.length === 45, 5000, 'all written', 2);
    expect(f.written).to.deep.equal(range(0, 45));
    const s = w.stats();
    expect(s).to.include({ produced: 45, written: 45, outboxSize: 0, dropped: 0 });
    expect(s.replayed).to.be.at.least(30);
    expect(s.failures).to.be.greaterThan(0);
    await w.stop();
  });

  it('enqueue never waits for the sink, even when a write hangs', async () => {
    const f = fakeSink();
    f.state.mode = 'hang';
    // A small memory bound: the backlog spills to the (large enough) outbox instead of the heap.
    outbox.close();
    outbox = openOutbox(':memory:', 100_000);
    const w = createBatchWriter(deps(f.sink, { maxMemoryPoints: 50 }));
    w.start();
    w.enqueue(range(0, 10).map((i) => pt(i)));
    await until(() => f.state.calls === 1, 5000, 'write started', 2);
    const t0 = performance.now();
    for (let i = 10; i < 5000; i++) w.enqueue([pt(i)]);
    expect(performance.now() - t0).to.be.below(1000);
    expect(w.stats().produced).to.equal(5000);
    f.state.mode = 'ok';
    f.state.release();
    await until(() => f.written.length === 5000, 5000, 'all written after the hang', 2);
    expect(f.written).to.deep.equal(range(0, 5000));
    expect(w.stats().outboxed).to.be.greaterThan(0);
    await w.stop();
  });

  it('bisects a rejected batch: quarantines exactly the bad points, writes the rest in order', async () => {
    const f = fakeSink();
    const w = createBatchWriter(deps(f.sink, { batchSize: 16 }));
    w.start();
    const bad = new Set([3, 11, 12]);
    w.enqueue(range(0, 16).map((i) => pt(i, bad.has(i))));
    await until(() => w.stats().written + w.stats().quarantined === 16, 5000, 'batch settled', 2);
    expect(f.written).to.deep.equal(range(0, 16).filter((i) => !bad.has(i)));
    expect(
      outbox
        .quarantined()
        .map((q) => q.line)
        .reverse(),
    ).to.deep.equal([3, 11, 12].map((i) => `icmp,device=d bad="x" ${i}`));
    expect(outbox.quarantined()[0]).to.include({ status: 400, error: 'partial write: field type conflict' });
    await w.stop();
  });

  it('at the outbox bound drops the oldest, counts it and reports degraded once, then ok when drained', async () => {
    const f = fakeSink();
    f.state.mode = 'down';
    const health: string[] = [];
    const w = createBatchWriter(deps(f.sink, { batchSize: 100, onHealth: (s) => health.push(s) }));
    w.start();
    for (let i = 0; i < 1500; i += 100) w.enqueue(range(i, i + 100).map((j) => pt(j)));
    await until(() => w.stats().outboxed === 1500, 5000, 'all spilled', 2);
    expect(w.stats()).to.include({ outboxSize: 1000, dropped: 500 });
    expect(health).to.deep.equal(['degraded']);
    f.state.mode = 'ok';
    await until(
      () => w.stats().outboxSize === 0,
      5000,
      'drained',
      2,
      () => w.stats(),
    );
    expect(f.written).to.deep.equal(range(500, 1500));
    expect(health).to.deep.equal(['degraded', 'ok']);
    await w.stop();
  });

  it('stop() writes what is queued, or keeps it in the outbox when the sink is down', async () => {
    const f = fakeSink();
    const w = createBatchWriter(deps(f.sink, { flushIntervalMs: 60_000 }));
    w.start();
    w.enqueue(range(0, 5).map((i) => pt(i)));
    await w.stop();
    expect(f.written).to.deep.equal(range(0, 5));

    const g = fakeSink();
    g.state.mode = 'down';
    const w2 = createBatchWriter(deps(g.sink, { flushIntervalMs: 60_000 }));
    w2.start();
    w2.enqueue(range(0, 5).map((i) => pt(i)));
    await w2.stop({ timeoutMs: 500 });
    expect(outbox.peek(10).map((r) => lineTimestamp(r.line))).to.deep.equal(range(0, 5));
  });

  it('with 3 writes in flight: every point once, calls in order, an outage in the middle loses nothing', async () => {
    const f = fakeSink();
    const calls: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: MetricsSink = {
      ...f.sink,
      async write(lines, o) {
        calls.push(lines.map(lineTimestamp));
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 3));
          await f.sink.write(lines, o);
        } finally {
          inFlight--;
        }
      },
    };
    outbox.close();
    outbox = openOutbox(':memory:', 100_000);
    const w = createBatchWriter(deps(slow, { concurrency: 3 }));
    w.start();
    w.enqueue(range(0, 200).map((i) => pt(i)));
    await until(() => f.written.length === 200, 5000, 'first 200', 2);
    expect(maxInFlight).to.equal(3);
    f.state.mode = 'down';
    w.enqueue(range(200, 400).map((i) => pt(i)));
    await until(
      () => w.stats().outboxSize >= 200,
      5000,
      'outbox holds the outage',
      2,
      () => w.stats(),
    );
    f.state.mode = 'ok';
    w.enqueue(range(400, 600).map((i) => pt(i)));
    await until(
      () => w.stats().written === 600 && w.stats().outboxSize === 0,
      5000,
      'all written',
      2,
      () => w.stats(),
    );
    expect([...f.written].sort((a, b) => a - b)).to.deep.equal(range(0, 600));
    // Batches are claimed in order: the outbox (oldest) before the memory that came later.
    const firstAfter = calls.findIndex((c) => c.includes(400));
    expect(
      calls
        .slice(0, firstAfter)
        .flat()
        .filter((t) => t >= 200 && t < 400).length,
    ).to.be.at.least(200);
    expect(w.stats()).to.include({ produced: 600, written: 600, dropped: 0 });
    await w.stop();
  });

  it('writes again within a second of a sink that answers again, although the backoff is 30 s', async () => {
    const f = fakeSink();
    let up = false;
    let pings = 0;
    const sink: MetricsSink = {
      ...f.sink,
      ping: async () => {
        pings++;
        return up;
      },
    };
    const w = createBatchWriter(deps(sink, { retry: { minDelayMs: 30_000, maxDelayMs: 30_000 } }));
    w.start();
    f.state.mode = 'down';
    w.enqueue(range(0, 10).map((i) => pt(i)));
    await until(() => w.stats().failures === 1 && w.stats().outboxSize === 10, 5000, 'first write failed', 2);
    await until(() => pings >= 1, 5000, 'a ping that sees the sink down', 2);
    f.state.mode = 'ok';
    up = true;
    const t0 = performance.now();
    await until(() => f.written.length === 10, 5000, 'written after the sink answers', 2);
    expect(performance.now() - t0).to.be.below(1500);
    expect(w.stats()).to.include({ failures: 1, written: 10, replayed: 10, outboxSize: 0, healthy: true });
    await w.stop();
  });

  it('a sink that answers pings but fails writes keeps its backoff (no hammering)', async () => {
    const f = fakeSink();
    const sink: MetricsSink = { ...f.sink, ping: async () => true };
    const w = createBatchWriter(deps(sink, { retry: { minDelayMs: 30_000, maxDelayMs: 30_000 } }));
    w.start();
    f.state.mode = 'down';
    w.enqueue(range(0, 10).map((i) => pt(i)));
    await until(() => w.stats().failures === 1, 5000, 'first write failed', 2);
    // Measurement window: nothing may happen in it (no retry before the 30 s backoff).
    await new Promise((r) => setTimeout(r, 1200));
    expect(w.stats().failures, 'no retry before the backoff').to.equal(1);
    await w.stop({ timeoutMs: 100 });
    expect(outbox.size()).to.equal(10);
  });
});
