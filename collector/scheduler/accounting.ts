/**
 * What the runner counts per probe kind, so "every scheduled poll happens, or it is loud" can be
 * checked: a slot that comes due is `scheduled`; it ends either `completed` (the probe ran and
 * gave its results) or `skipped` (the previous run of that job was still going or still queued,
 * or the process stalled past the slot). Lag is how late a poll started after its slot.
 */
export interface KindCounters {
  scheduled: number;
  completed: number;
  skipped: number;
}

export interface KindScheduleStats extends KindCounters {
  /** Jobs waiting for a free slot of the kind's concurrency limit, right now. */
  queued: number;
  /** Runs in flight right now (a batched kind: batches). */
  running: number;
  /** The worst start lag since the previous report: max(poll start − slot) and the oldest queued job's wait. */
  lagMs: number;
  /** The shortest interval among the kind's jobs (0: no jobs). */
  intervalMs: number;
}

export type ScheduleStats = Record<string, KindScheduleStats>;

export const emptyCounters = (): KindCounters => ({ scheduled: 0, completed: 0, skipped: 0 });

/**
 * How many grid slots of `intervalMs` came due in `[dueAt, now]` (at least 1 when called for a due
 * job): more than one only when the process stalled (event loop blocked, suspended VM) past a slot.
 */
export function slotsDue(dueAt: number, now: number, intervalMs: number): number {
  if (now < dueAt) return 0;
  return Math.floor((now - dueAt) / intervalMs) + 1;
}
