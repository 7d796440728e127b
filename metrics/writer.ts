/**
 * The write path: a memory queue of line-protocol strings flushed by size and age, up to
 * `concurrency` writes in flight (claimed in order), the durable outbox while the sink fails,
 * and quarantine for points the sink rejects.
 *
 * Points become line protocol once, in enqueue (toLine); queue, outbox and sink only move
 * strings (ADR 0302).
 *
 * Modes (the outbox decides, so a crash in any mode loses nothing already spilled):
 *   direct    outbox empty: memory batches go straight to the sink.
 *             retryable failure → the batch goes to the outbox → replay
 *   replay    outbox not empty: the outbox is written head first; memory waits behind it (order
 *             holds) and spills to the outbox only past maxMemoryPoints or while the sink fails.
 *             outbox empty → direct
 *   failing   after a retryable failure: backoff (retry.minDelayMs doubling up to maxDelayMs);
 *             memory batches go to the outbox as they fall due; one write at a time until one
 *             succeeds. While the sink gives no answer at all, it is pinged every PING_EVERY_MS:
 *             once it answers again, the writer retries at once instead of waiting out the backoff.
 *   Either mode, non-retryable rejection → bisect the batch until the offending points are
 *   single, quarantine those (logged with their line), write the rest.
 *
 * `enqueue` only converts and pushes to memory and wakes a lane: it never waits for I/O, so the
 * bus handler (and the collector behind it) is never blocked by InfluxDB.
 */
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/time.js';
import { toLine, type Point } from './point.js';
import type { Outbox, OutboxRow } from './outbox.js';
import { SinkWriteError, needsSetup, type MetricsSink } from './sink.js';

/** How often a sink that gave no answer is pinged while the writer backs off. */
export const PING_EVERY_MS = 200;

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
  /** Writes in flight at once while the sink is healthy (default 1). */
  concurrency?: number;
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

type Job = { seq: number } & ({ from: 'memory'; lines: string[] } | { from: 'outbox'; rows: OutboxRow[] });

export function createBatchWriter(d: WriterDeps): BatchWriter {
  const log = d.logger.child({ module: 'sink.writer' });
  const mono = d.monotonic ?? (() => performance.now());
  const random = d.random ?? Math.random;
  const lanes = Math.max(1, Math.floor(d.concurrency ?? 1));
  // Lines are compact (~200 bytes): the default holds a few minutes of a 10,000-device network.
  const maxMemory = d.maxMemoryPoints ?? Math.max(d.batchSize * 40, 200_000);
  const s: WriterStats = {
    produced: 0,
    written: 0,
    replayed: 0,
    outboxed: 0,
    dropped: 0,
    quarantined: 0,
    queued: 0,
    outboxSize: d.outbox.size(),
    failures: 0,
    lastError: null,
    healthy: true,
  };

  let queue: string[] = [];
  let oldestAt = 0;
  let retryAt = 0;
  let attempt = 0;
  let setupDone = false;
  let setupRunning: Promise<void> | null = null;
  let full = false;
  let stopping = false;
  let abandon = false;
  let stopped = false;
  let loops: Promise<void>[] | null = null;
  let waiters: Array<() => void> = [];
  let inFlight = 0;
  /**
   * Jobs claimed and not yet released, by claim order. A memory batch that fails is held here
   * until every batch claimed before it has settled, then spilled: the outbox keeps claim order
   * even when concurrent writes fail in a different order.
   */
  let nextSeq = 0;
  const open = new Map<number, { settled: boolean; hold: string[] | null }>();
  /** Outbox rows with id ≤ cursor are claimed by a write in flight (or were written). */
  let cursor = 0;
  /** An outbox batch failed: read the outbox from its head again once nothing is in flight. */
  let rewind = false;
  /** The last failure got no HTTP answer: ping the sink while backing off. */
  let noAnswer = false;
  let sawDown = false;
  let nextPingAt = 0;
  let pinging = false;
  const aborter = new AbortController();

  const kick = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  /** Spills held batches of settled jobs, oldest claim first, up to the first job still in flight. */
  function release(): void {
    for (const [seq, j] of open) {
      if (!j.settled) return;
      if (j.hold) spill(j.hold);
      open.delete(seq);
    }
  }

  function spill(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const { dropped } = d.outbox.append(lines);
    s.outboxed += lines.length;
    if (dropped > 0) {
      s.dropped += dropped;
      log.warn(
        { dropped, droppedTotal: s.dropped, outboxSize: d.outbox.size() },
        'metrics outbox full: oldest points dropped',
      );
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
    noAnswer = false;
    sawDown = false;
  }

  function failed(err: SinkWriteError): void {
    s.failures++;
    s.lastError = err.message;
    if (needsSetup(err)) setupDone = false;
    attempt++;
    const base = Math.min(d.retry.maxDelayMs, d.retry.minDelayMs * 2 ** Math.min(attempt - 1, 30));
    const delay = base * (0.5 + random() * 0.5);
    retryAt = mono() + delay;
    noAnswer = err.status === null;
    nextPingAt = mono() + Math.min(PING_EVERY_MS, delay);
    if (s.healthy)
      log.warn(
        { err: err.message, status: err.status, retryInMs: Math.round(delay) },
        'metrics sink write failed; points go to the outbox',
      );
    else log.debug({ err: err.message, attempt, retryInMs: Math.round(delay) }, 'metrics sink still failing');
    s.healthy = false;
  }

  const asSinkError = (err: unknown): SinkWriteError =>
    err instanceof SinkWriteError
      ? err
      : new SinkWriteError(`sink failed: ${(err as Error)?.message ?? String(err)}`, {
          retryable: true,
          status: null,
          cause: err,
        });

  async function runSetup(): Promise<void> {
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

  async function ensureSetup(): Promise<void> {
    if (setupDone) return;
    // Lanes share one setup run.
    setupRunning ??= runSetup().finally(() => {
      setupRunning = null;
    });
    await setupRunning;
  }

  const write = (lines: readonly string[]) => d.sink.write(lines, { signal: aborter.signal });

  /**
   * `lines` were rejected as a whole with a non-retryable error. Halve until the bad points are
   * alone, quarantine them, write the rest. `done(i, j)` is told about every range resolved, in
   * order. Throws a retryable SinkWriteError if the sink goes away midway.
   */
  async function bisect(
    lines: readonly string[],
    first: SinkWriteError,
    done: (lo: number, hi: number) => void,
  ): Promise<void> {
    const resolve = async (lo: number, hi: number, err: SinkWriteError): Promise<void> => {
      if (hi - lo === 1) {
        const line = lines[lo]!;
        const reason = err.body || err.message;
        d.outbox.quarantine([{ at: d.clock.now(), line, status: err.status, error: reason }]);
        s.quarantined++;
        log.error(
          { line, status: err.status, reason },
          'metrics point rejected by the sink and quarantined (not retried)',
        );
        done(lo, hi);
        return;
      }
      const mid = lo + Math.ceil((hi - lo) / 2);
      for (const [a, b] of [
        [lo, mid],
        [mid, hi],
      ] as const) {
        try {
          await write(lines.slice(a, b));
          s.written += b - a;
          done(a, b);
        } catch (e) {
          const se = asSinkError(e);
          if (se.retryable) throw se;
          await resolve(a, b, se);
        }
      }
    };
    await resolve(0, lines.length, first);
  }

  const memDue = (now: number) =>
    queue.length > 0 && (queue.length >= d.batchSize || now - oldestAt >= d.flushIntervalMs || stopping);

  /** The next batch to write, in order (outbox head first), or null. Synchronous: lanes never race. */
  function claim(now: number): Job | null {
    if (abandon) return null;
    if (retryAt > now) {
      // Failing: memory goes to the outbox as it falls due (or at once when stopping), behind
      // every batch claimed before it.
      if (open.size === 0 && (memDue(now) || queue.length > maxMemory)) {
        spill(queue);
        queue = [];
      }
      return null;
    }
    // After a failure, one write at a time until one succeeds.
    if (attempt > 0 && inFlight > 0) return null;
    if (rewind && inFlight === 0) {
      cursor = 0;
      rewind = false;
    }
    if (queue.length > maxMemory && open.size === 0) spill(queue.splice(0, queue.length - d.batchSize));
    if (d.outbox.size() > 0 && !rewind) {
      const rows = d.outbox.peek(d.batchSize, cursor);
      if (rows.length > 0) {
        cursor = rows[rows.length - 1]!.id;
        return { seq: nextSeq++, from: 'outbox', rows };
      }
    }
    // Memory follows the outbox: only once every outbox row is written or in flight.
    if (rewind || !memDue(now)) return null;
    const lines = queue.splice(0, d.batchSize);
    if (queue.length > 0) oldestAt = now;
    return { seq: nextSeq++, from: 'memory', lines };
  }

  /** Writes one claimed batch; returns the lines to spill (in claim order) if it failed retryably. */
  async function perform(job: Job): Promise<string[] | null> {
    if (job.from === 'outbox') {
      const rows = job.rows;
      const lines = rows.map((r) => r.line);
      const removeRange = (lo: number, hi: number) => d.outbox.removeRange(rows[lo]!.id, rows[hi - 1]!.id);
      try {
        await ensureSetup();
        await write(lines);
        removeRange(0, rows.length);
        succeeded(lines.length, true);
        drained();
      } catch (err) {
        const e = asSinkError(err);
        if (e.retryable) {
          rewind = true;
          failed(e);
          return null;
        }
        try {
          await bisect(lines, e, removeRange);
          drained();
        } catch (err2) {
          rewind = true;
          failed(asSinkError(err2));
        }
      }
      return null;
    }
    const batch = job.lines;
    try {
      await ensureSetup();
      await write(batch);
      succeeded(batch.length, false);
    } catch (err) {
      const e = asSinkError(err);
      if (e.retryable) {
        failed(e);
        return batch;
      }
      let resolved = 0;
      try {
        await bisect(batch, e, (_lo, hi) => {
          resolved = Math.max(resolved, hi);
        });
      } catch (err2) {
        failed(asSinkError(err2));
        return batch.slice(resolved);
      }
    }
    return null;
  }

  /** While backing off from a sink that gave no answer: ping it; once it answers again, retry now. */
  async function maybePing(now: number): Promise<boolean> {
    if (!d.sink.ping || !noAnswer || pinging || retryAt <= now || now < nextPingAt || abandon) return false;
    pinging = true;
    nextPingAt = now + PING_EVERY_MS;
    try {
      const up = await d.sink.ping();
      if (!up) sawDown = true;
      else if (sawDown && retryAt > mono()) {
        log.debug('metrics sink answers again: retrying now');
        retryAt = mono();
        sawDown = false;
        return true;
      }
    } finally {
      pinging = false;
    }
    return false;
  }

  function finished(): boolean {
    if (!stopping) return false;
    if (abandon) return true;
    return queue.length === 0 && (d.outbox.size() === 0 || retryAt > mono());
  }

  async function lane(): Promise<void> {
    for (;;) {
      if (finished()) {
        kick();
        return;
      }
      const now = mono();
      let worked = false;
      try {
        const job = claim(now);
        if (job) {
          worked = true;
          inFlight++;
          const entry = { settled: false, hold: null as string[] | null };
          open.set(job.seq, entry);
          try {
            entry.hold = await perform(job);
          } finally {
            inFlight--;
            entry.settled = true;
            release();
          }
        } else {
          worked = await maybePing(now);
        }
      } catch (err) {
        // A bug or a broken outbox file must not kill the loop silently.
        log.error({ err }, 'metrics writer step failed');
        s.lastError = String((err as Error)?.message ?? err);
        await new Promise((r) => setTimeout(r, 1000));
      }
      s.queued = queue.length;
      s.outboxSize = d.outbox.size();
      if (worked) {
        kick();
        continue;
      }
      if (finished()) {
        kick();
        return;
      }
      const t = mono();
      const delays: number[] = [];
      if (stopping) delays.push(10);
      if (queue.length > 0) delays.push(oldestAt + d.flushIntervalMs - t);
      // Even if the retry instant passed while we got here: never wait without a timer while
      // the outbox has work.
      if (retryAt > 0 && d.outbox.size() > 0) delays.push(retryAt - t);
      if (noAnswer && retryAt > t && d.sink.ping) delays.push(nextPingAt - t);
      await new Promise<void>((r) => {
        let timer: NodeJS.Timeout | undefined;
        const wake = () => {
          if (timer) clearTimeout(timer);
          r();
        };
        waiters.push(wake);
        if (delays.length > 0) timer = setTimeout(kick, Math.max(1, Math.min(...delays)));
      });
    }
  }

  const startLoops = () => {
    loops ??= Array.from({ length: lanes }, () => lane());
    return loops;
  };

  return {
    enqueue(points) {
      if (points.length === 0) return;
      if (queue.length === 0) oldestAt = mono();
      for (const p of points) queue.push(toLine(p));
      s.produced += points.length;
      s.queued = queue.length;
      if (queue.length >= d.batchSize) kick();
      else if (queue.length === points.length) kick(); // first points: a lane arms the age timer
    },
    start() {
      startLoops();
    },
    async stop(opts = {}) {
      stopping = true;
      const all = Promise.all(startLoops());
      kick();
      const timeoutMs = opts.timeoutMs ?? 10_000;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise<void>((r) => {
          t = setTimeout(r, timeoutMs);
        }),
      ]);
      if (t) clearTimeout(t);
      abandon = true;
      // Writes still in flight give up; their batches stay in (or go to) the outbox.
      aborter.abort(new Error('metrics writer stopping'));
      kick();
      await all;
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
