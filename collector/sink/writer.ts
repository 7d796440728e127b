/**
 * The write path: a memory queue flushed by size and age, one write at a time (so order holds),
 * the durable outbox while the sink fails, and quarantine for points the sink rejects.
 *
 * Modes (the outbox decides, so a crash in any mode loses nothing already spilled):
 *   direct    outbox empty: memory batches go straight to the sink.
 *             retryable failure → the batch goes to the outbox → replay
 *   replay    outbox not empty: memory batches are appended to the outbox (behind older points)
 *             and the outbox is written head first, one batch per attempt, with backoff.
 *             outbox empty → direct
 *   Either mode, non-retryable rejection → bisect the batch until the offending points are
 *   single, quarantine those (logged with their line), write the rest.
 *
 * `enqueue` only pushes to memory and wakes the loop: it never waits for I/O, so the bus
 * handler (and the collector behind it) is never blocked by InfluxDB.
 */
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import { toLine, type Point } from './point.js';
import type { Outbox } from './outbox.js';
import { SinkWriteError, needsSetup, type MetricsSink } from './sink.js';

export interface WriterStats {
  /** Points handed to the writer. */
  produced: number;
  /** Points the sink accepted (directly or from the outbox). */
  written: number;
  /** Of `written`, points that went through the outbox. */
  replayed: number;
  /** Points put into the outbox. */
  outboxed: number;
  /** Oldest points dropped at the outbox bound. */
  dropped: number;
  quarantined: number;
  queued: number;
  outboxSize: number;
  failures: number;
  lastError: string | null;
  /** false while the last write attempt failed. */
  healthy: boolean;
}

export interface WriterDeps {
  sink: MetricsSink;
  outbox: Outbox;
  batchSize: number;
  flushIntervalMs: number;
  retry: { minDelayMs: number; maxDelayMs: number };
  logger: Logger;
  clock: Clock;
  /** The outbox hit its bound (degraded) or drained again (ok). */
  onHealth?: (status: 'ok' | 'degraded', message: string) => void;
  /** Points held in memory before they spill to the outbox (a slow sink must not grow the heap). */
  maxMemoryPoints?: number;
  random?: () => number;
  /** Monotonic milliseconds for scheduling. */
  monotonic?: () => number;
}

export interface BatchWriter {
  enqueue(points: readonly Point[]): void;
  start(): void;
  /** Writes what it can within `timeoutMs`; the rest stays in the outbox for the next start. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  stats(): WriterStats;
}

export function createBatchWriter(d: WriterDeps): BatchWriter {
  const log = d.logger.child({ module: 'sink.writer' });
  const mono = d.monotonic ?? (() => performance.now());
  const random = d.random ?? Math.random;
  const maxMemory = d.maxMemoryPoints ?? Math.max(d.batchSize * 20, 50_000);
  const s: WriterStats = {
    produced: 0, written: 0, replayed: 0, outboxed: 0, dropped: 0, quarantined: 0, queued: 0, outboxSize: d.outbox.size(),
    failures: 0, lastError: null, healthy: true,
  };

  let queue: Point[] = [];
  let oldestAt = 0;
  let retryAt = 0;
  let attempt = 0;
  let setupDone = false;
  let full = false;
  let stopping = false;
  let abandon = false;
  let stopped = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const kick = () => { const w = wake; wake = null; w?.(); };

  function spill(points: readonly Point[]): void {
    if (points.length === 0) return;
    const { dropped } = d.outbox.append(points);
    s.outboxed += points.length;
    if (dropped > 0) {
      s.dropped += dropped;
      log.warn({ dropped, droppedTotal: s.dropped, outboxSize: d.outbox.size() }, 'metrics outbox full: oldest points dropped');
      if (!full) {
        full = true;
        d.onHealth?.('degraded', `metrics outbox full (${d.outbox.size()} points): oldest points are being dropped`);
      }
    }
  }

  function drained(): void {
    if (d.outbox.size() === 0 && full) {
      full = false;
      d.onHealth?.('ok', 'metrics outbox drained');
    }
  }

  function succeeded(n: number, replayed: boolean): void {
    s.written += n;
    if (replayed) s.replayed += n;
    if (!s.healthy) log.info({ outboxSize: d.outbox.size() }, 'metrics sink writing again');
    s.healthy = true;
    attempt = 0;
    retryAt = 0;
  }

  function failed(err: SinkWriteError): void {
    s.failures++;
    s.lastError = err.message;
    if (needsSetup(err)) setupDone = false;
    attempt++;
    const base = Math.min(d.retry.maxDelayMs, d.retry.minDelayMs * 2 ** Math.min(attempt - 1, 30));
    const delay = base * (0.5 + random() * 0.5);
    retryAt = mono() + delay;
    if (s.healthy) log.warn({ err: err.message, status: err.status, retryInMs: Math.round(delay) }, 'metrics sink write failed; points go to the outbox');
    else log.debug({ err: err.message, attempt, retryInMs: Math.round(delay) }, 'metrics sink still failing');
    s.healthy = false;
  }

  const asSinkError = (err: unknown): SinkWriteError =>
    err instanceof SinkWriteError ? err : new SinkWriteError(`sink failed: ${(err as Error)?.message ?? String(err)}`, { retryable: true, status: null, cause: err });

  async function ensureSetup(): Promise<void> {
    if (setupDone) return;
    try {
      await d.sink.setup({});
      setupDone = true;
    } catch (err) {
      const e = asSinkError(err);
      if (e.retryable) throw e;
      log.error({ err: e.message }, 'metrics sink setup failed; writing anyway');
      setupDone = true;
    }
  }

  /**
   * `points` were rejected as a whole with a non-retryable error. Halve until the bad points are
   * alone, quarantine them, write the rest. `done(i, j)` is told about every range resolved, in
   * order. Throws a retryable SinkWriteError if the sink goes away midway.
   */
  async function bisect(points: readonly Point[], first: SinkWriteError, done: (lo: number, hi: number) => void): Promise<void> {
    const resolve = async (lo: number, hi: number, err: SinkWriteError): Promise<void> => {
      if (hi - lo === 1) {
        const line = toLine(points[lo]!);
        const reason = err.body || err.message;
        d.outbox.quarantine([{ at: d.clock.now(), line, status: err.status, error: reason }]);
        s.quarantined++;
        log.error({ line, status: err.status, reason }, 'metrics point rejected by the sink and quarantined (not retried)');
        done(lo, hi);
        return;
      }
      const mid = lo + Math.ceil((hi - lo) / 2);
      for (const [a, b] of [[lo, mid], [mid, hi]] as const) {
        try {
          await d.sink.write(points.slice(a, b), {});
          s.written += b - a;
          done(a, b);
        } catch (e) {
          const se = asSinkError(e);
          if (se.retryable) throw se;
          await resolve(a, b, se);
        }
      }
    };
    await resolve(0, points.length, first);
  }

  /** One unit of work; false when there is nothing to do until a timer or an enqueue. */
  async function step(): Promise<boolean> {
    const now = mono();
    const memDue = queue.length > 0 && (queue.length >= d.batchSize || now - oldestAt >= d.flushIntervalMs || stopping);

    if (d.outbox.size() > 0 || retryAt > now) {
      if (memDue || queue.length > maxMemory || abandon) { spill(queue); queue = []; }
      if (abandon) return false;
      if (retryAt > now) {
        if (stopping) { spill(queue); queue = []; return false; }
        return false;
      }
      const rows = d.outbox.peek(d.batchSize);
      const points = rows.map((r) => r.point);
      try {
        await ensureSetup();
        await d.sink.write(points, {});
        d.outbox.remove(rows.map((r) => r.id));
        succeeded(points.length, true);
        drained();
      } catch (err) {
        const e = asSinkError(err);
        if (e.retryable) { failed(e); return true; }
        try {
          await bisect(points, e, (lo, hi) => d.outbox.remove(rows.slice(lo, hi).map((r) => r.id)));
          drained();
        } catch (err2) {
          failed(asSinkError(err2));
        }
      }
      return true;
    }

    if (queue.length > maxMemory) { spill(queue.splice(0, queue.length - d.batchSize)); return true; }
    if (!memDue) return false;
    const batch = queue.splice(0, d.batchSize);
    if (queue.length > 0) oldestAt = now;
    try {
      await ensureSetup();
      await d.sink.write(batch, {});
      succeeded(batch.length, false);
    } catch (err) {
      const e = asSinkError(err);
      if (e.retryable) { spill(batch); failed(e); return true; }
      let resolved = 0;
      try {
        await bisect(batch, e, (_lo, hi) => { resolved = Math.max(resolved, hi); });
      } catch (err2) {
        spill(batch.slice(resolved));
        failed(asSinkError(err2));
      }
    }
    return true;
  }

  async function run(): Promise<void> {
    for (;;) {
      let worked = false;
      try {
        worked = await step();
      } catch (err) {
        // A bug or a broken outbox file must not kill the loop silently.
        log.error({ err }, 'metrics writer step failed');
        s.lastError = String((err as Error)?.message ?? err);
        await new Promise((r) => setTimeout(r, 1000));
      }
      s.queued = queue.length;
      s.outboxSize = d.outbox.size();
      if (stopping && (abandon || (queue.length === 0 && (d.outbox.size() === 0 || retryAt > mono())))) return;
      if (worked) continue;
      if (stopping) { await new Promise((r) => setImmediate(r)); continue; }
      const now = mono();
      const delays: number[] = [];
      if (queue.length > 0) delays.push(oldestAt + d.flushIntervalMs - now);
      // Even if the retry instant passed while we got here: never wait without a timer while
      // the outbox has work.
      if (retryAt > 0 && d.outbox.size() > 0) delays.push(retryAt - now);
      await new Promise<void>((r) => {
        wake = r;
        if (delays.length > 0) {
          const t = setTimeout(kick, Math.max(1, Math.min(...delays)));
          const w = wake;
          wake = () => { clearTimeout(t); w?.(); };
        }
      });
    }
  }

  return {
    enqueue(points) {
      if (points.length === 0) return;
      if (queue.length === 0) oldestAt = mono();
      for (const p of points) queue.push(p);
      s.produced += points.length;
      s.queued = queue.length;
      if (queue.length >= d.batchSize) kick();
      else if (queue.length === points.length) kick(); // first points: the loop arms the age timer
    },
    start() {
      if (loop) return;
      loop = run();
    },
    async stop(opts = {}) {
      stopping = true;
      if (!loop) loop = run();
      kick();
      const timeoutMs = opts.timeoutMs ?? 10_000;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise<void>((r) => { t = setTimeout(r, timeoutMs); })]);
      if (t) clearTimeout(t);
      abandon = true;
      kick();
      await loop;
      // Whatever is still in memory must survive the restart.
      spill(queue);
      queue = [];
      s.queued = 0;
      s.outboxSize = d.outbox.size();
      stopped = true;
    },
    // After stop the outbox file may be closed: report the last known size.
    stats: () => (stopped ? { ...s } : { ...s, queued: queue.length, outboxSize: d.outbox.size() }),
  };
}
