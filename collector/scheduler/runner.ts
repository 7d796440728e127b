import { setMaxListeners } from 'node:events';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import { nextSlot, type Job, type PolledKind } from './plan.js';
import { emptyCounters, slotsDue, type KindCounters, type ScheduleStats } from './accounting.js';

export interface RunnerDeps {
  clock: Clock;
  logger: Logger;
  /** Parallel runs per kind (for a batched kind: parallel batches). */
  limits: Record<PolledKind, number>;
  /** Kinds whose due jobs run together in one call (ICMP: one fping sweep). */
  batched: ReadonlySet<PolledKind>;
  /**
   * Most jobs in one batched call (default: all that are due). Bigger batches are split into
   * parallel runs within `limits`: one fping at its 1 ms packet spacing sends ~1,000 packets/s,
   * so 10,000 hosts × 3 pings every 10 s need several sweeps at once (docs/adr/0206).
   */
  maxBatch?: Partial<Record<PolledKind, number>>;
  timeoutMs: (kind: PolledKind, jobs: number) => number;
  /** Runs probes; must not throw (the runner still guards it). */
  execute: (kind: PolledKind, jobs: readonly Job[], signal: AbortSignal) => Promise<void>;
  /** Longest pause between ticks on a real clock. */
  maxTickMs?: number;
}

/** How long a re-check waits for the job's run in flight before trying again. */
const RECHECK_WAIT_MS = 100;

interface Entry {
  job: Job;
  nextAt: number;
  /** nextAt was brought forward by expedite() (a re-check), not a grid slot. */
  expedited?: boolean;
  /** The queued or running run is such a re-check, not a slot of the grid. */
  extra?: boolean;
  running: boolean;
  queued: boolean;
  /** The slot the queued run belongs to (its start lag is measured from here). */
  dueAt: number;
}

/**
 * The thin shell around plan.ts: it keeps each job's next slot, runs what is due within the
 * per-kind limits, and never starts a job whose previous run is still going (that slot is
 * skipped, not queued: a dead device must not pile up work). Every slot is counted: scheduled,
 * then completed or skipped (accounting.ts), with the start lag, so a kind that falls behind is
 * visible instead of silent. The kinds are the keys of `limits`. Tests call `tick()` with a manual clock.
 */
export function createRunner(deps: RunnerDeps) {
  const kinds = Object.keys(deps.limits) as PolledKind[];
  const perKind = <T>(make: () => T) => Object.fromEntries(kinds.map((k) => [k, make()])) as Record<PolledKind, T>;
  const entries = new Map<string, Entry>();
  const queues = perKind<Entry[]>(() => []);
  const active = perKind(() => 0);
  const counters = perKind<KindCounters>(emptyCounters);
  const maxLag = perKind(() => 0);
  const inflight = new Set<Promise<void>>();
  let shutdown = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  const log = deps.logger.child({ module: 'collector/scheduler' });

  function setJobs(jobs: readonly Job[]): { added: number; removed: number } {
    const now = deps.clock.now();
    const keep = new Set(jobs.map((j) => j.key));
    let removed = 0;
    for (const key of [...entries.keys()])
      if (!keep.has(key)) {
        entries.delete(key);
        removed++;
      }
    let added = 0;
    for (const job of jobs) {
      const e = entries.get(job.key);
      if (!e) {
        added++;
        const nextAt = nextSlot(job, now - 1);
        entries.set(job.key, { job, nextAt, running: false, queued: false, dueAt: nextAt });
        continue;
      }
      // Same entry object, so a run in flight clears `running` on the entry that is scheduled.
      const moved = e.job.intervalMs !== job.intervalMs || e.job.offsetMs !== job.offsetMs;
      e.job = job;
      if (moved) e.nextAt = nextSlot(job, now - 1);
    }
    for (const k of kinds) {
      queues[k] = queues[k].filter((q) => {
        const keep = entries.get(q.job.key) === q;
        if (!keep) q.queued = false;
        return keep;
      });
    }
    return { added, removed };
  }

  function launch(kind: PolledKind, batch: Entry[]) {
    active[kind]++;
    const now = deps.clock.now();
    for (const e of batch) {
      e.running = true;
      e.queued = false;
      maxLag[kind] = Math.max(maxLag[kind], now - e.dueAt);
    }
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(deps.timeoutMs(kind, batch.length))]);
    setMaxListeners(0, signal);
    const p = (async () => {
      try {
        await deps.execute(
          kind,
          batch.map((e) => e.job),
          signal,
        );
        // A run cut short by stop() is not a completed poll; one that timed out still gave results.
        if (!shutdown.signal.aborted) counters[kind].completed += batch.length;
      } catch (err) {
        log.error({ err, kind, devices: batch.length }, 'probe run threw (bug)');
      } finally {
        active[kind]--;
        for (const e of batch) e.running = false;
      }
    })();
    inflight.add(p);
    void p.finally(() => {
      inflight.delete(p);
      if (!shutdown.signal.aborted) pump();
    });
  }

  function pump() {
    for (const kind of kinds) {
      const q = queues[kind];
      if (deps.batched.has(kind)) {
        const size = Math.max(1, deps.maxBatch?.[kind] ?? Infinity);
        // Even chunks (not 250 + 250 + 3): every sweep then takes about as long as the others.
        while (q.length > 0 && active[kind] < deps.limits[kind])
          launch(kind, q.splice(0, Math.ceil(q.length / Math.ceil(q.length / size))));
        continue;
      }
      while (q.length > 0 && active[kind] < deps.limits[kind]) launch(kind, [q.shift()!]);
    }
  }

  /** Queues every due job and starts what the limits allow. Returns how many became due. */
  function tick(): number {
    const now = deps.clock.now();
    let due = 0;
    for (const e of entries.values()) {
      if (e.nextAt > now) continue;
      // A re-check (expedite) that finds the previous run still going waits a moment instead of
      // being counted as a skipped poll: it is an extra run, not a slot of the grid.
      if (e.expedited && (e.running || e.queued)) {
        e.nextAt = now + RECHECK_WAIT_MS;
        continue;
      }
      const extra = e.expedited === true;
      e.expedited = false;
      const kind = e.job.kind;
      const slots = slotsDue(e.nextAt, now, e.job.intervalMs);
      const latest = e.nextAt + (slots - 1) * e.job.intervalMs;
      e.nextAt = nextSlot(e.job, now);
      // A grid slot that meets a re-check in flight is served by it: the device is being polled right
      // now, nothing was missed (counting it skipped raised "behind schedule" during every fiber cut,
      // whose unreachable devices are re-checked every 0.5 s).
      if (e.extra && (e.running || e.queued)) continue;
      counters[kind].scheduled += slots;
      if (e.running || e.queued) {
        counters[kind].skipped += slots;
        continue;
      }
      // Slots the process slept through (blocked loop, suspended VM) are skipped, the latest one runs.
      counters[kind].skipped += slots - 1;
      e.queued = true;
      e.extra = extra;
      e.dueAt = latest;
      queues[kind].push(e);
      due++;
    }
    pump();
    return due;
  }

  /**
   * Cumulative counters per kind, the queue and in-flight figures now, and the worst start lag since
   * the previous call (which resets it): one reader, the collector's schedule monitor.
   */
  function takeStats(): ScheduleStats {
    const now = deps.clock.now();
    const minInterval = perKind(() => Infinity);
    for (const e of entries.values()) minInterval[e.job.kind] = Math.min(minInterval[e.job.kind], e.job.intervalMs);
    const out: ScheduleStats = {};
    for (const kind of kinds) {
      const oldest = queues[kind][0];
      const waiting = oldest ? now - oldest.dueAt : 0;
      out[kind] = {
        ...counters[kind],
        queued: queues[kind].length,
        running: active[kind],
        lagMs: Math.max(0, maxLag[kind], waiting),
        intervalMs: Number.isFinite(minInterval[kind]) ? minInterval[kind] : 0,
      };
      maxLag[kind] = 0;
    }
    return out;
  }

  /** When the pending tick fires (clock ms), so a re-check can bring it forward without a scan. */
  let timerAt = Infinity;

  function arm(wait: number) {
    if (timer) clearTimeout(timer);
    timerAt = deps.clock.now() + wait;
    timer = setTimeout(() => {
      timerAt = Infinity;
      tick();
      schedule();
    }, wait);
  }

  function schedule() {
    if (!started) return;
    let earliest = Infinity;
    for (const e of entries.values()) earliest = Math.min(earliest, e.nextAt);
    arm(Math.max(10, Math.min(deps.maxTickMs ?? 1000, earliest - deps.clock.now())));
  }

  /**
   * Brings a job's next run forward to `at` (a re-check after a change, ADR 0205); never later
   * than its slot on the grid, and after that run it returns to the grid.
   */
  function expedite(key: string, at: number): boolean {
    const e = entries.get(key);
    if (!e || e.queued || at >= e.nextAt) return false;
    e.nextAt = at;
    e.expedited = true;
    // Only the pending tick can move (earlier): scanning every job here cost 3.5 % of the main
    // thread at 10,000 devices, where a fiber cut re-checks thousands of them.
    if (started && at < timerAt) arm(Math.max(10, at - deps.clock.now()));
    return true;
  }

  return {
    setJobs,
    tick,
    takeStats,
    expedite,
    start() {
      if (started) return;
      started = true;
      if (shutdown.signal.aborted) shutdown = new AbortController();
      tick();
      schedule();
    },
    /**
     * Stops ticking; in-flight runs get `graceMs` to finish, then are aborted (they return timeout
     * results) and get `graceMs` more before they are abandoned: at most 2 × graceMs in all.
     */
    async stop(graceMs = 2000) {
      started = false;
      if (timer) clearTimeout(timer);
      timerAt = Infinity;
      for (const k of kinds) {
        for (const e of queues[k]) e.queued = false;
        queues[k] = [];
      }
      const all = Promise.all([...inflight]);
      const graceTimer = new Promise<void>((r) => {
        const t = setTimeout(r, graceMs);
        t.unref();
      });
      await Promise.race([all, graceTimer]);
      shutdown.abort(new DOMException('collector stopping', 'AbortError'));
      // Aborted runs end within moments; one that ignores its signal (a library that never calls
      // back, a starved event loop at 10,000 devices: 20 s once) is abandoned after another grace,
      // so a stop stays bounded. Its late results meet a closed bus.
      const abandoned = await Promise.race([
        Promise.all([...inflight]).then(() => 0),
        new Promise<number>((r) => {
          const t = setTimeout(() => r(inflight.size), graceMs);
          t.unref();
        }),
      ]);
      if (abandoned > 0) log.warn({ runs: abandoned }, 'probe runs still going after abort: abandoned');
    },
    /** For tests and status: which keys are running now. */
    running: () => [...entries.values()].filter((e) => e.running).map((e) => e.job.key),
    idle: () => Promise.all([...inflight]).then(() => undefined),
    size: () => entries.size,
  };
}

export type Runner = ReturnType<typeof createRunner>;
