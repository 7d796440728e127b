import type { KindScheduleReport } from '../../core/bus.js';
import type { KindCounters, ScheduleStats } from './accounting.js';

/**
 * Is each probe kind keeping its schedule? Pure: the collector feeds it the runner's stats every
 * few seconds and publishes what it returns.
 *
 * A kind is BEHIND when, over the last window (max(60 s, its interval)), more than 1 % of its
 * scheduled polls were skipped, or when every report for at least LAG_SUSTAIN_MS said a poll started
 * later than half its interval. One slow moment (a single late report on a loaded machine) is not
 * BEHIND (issue 11: no false alerts). It is ON SCHEDULE again once a whole window passes under both
 * limits (the window itself is the hysteresis: a skip or a late start stays in it for a full
 * window, so the state cannot flap every report).
 *
 *   state       event                                                 → state    effect
 *   on          window skipped > 1 %                                   → behind   raise (log warn, pantau.health degraded)
 *   on          every report late (lag > interval / 2) for ≥ 60 s      → behind   raise
 *   on          a late report, or late reports spanning < 60 s         → on       (lateSince remembers the run)
 *   behind      window skipped ≤ 1 % and every lag ≤ interval / 2      → on       clear (log info, pantau.health ok)
 */
export const SKIPPED_LIMIT = 0.01;
export const LAG_LIMIT = 0.5;
export const MIN_WINDOW_MS = 60_000;
/** How long every report must show a late start before lag alone makes a kind BEHIND. */
export const LAG_SUSTAIN_MS = 60_000;

export type KindReport = KindScheduleReport;

interface Sample {
  at: number;
  counters: KindCounters;
  lagMs: number;
}
export interface ScheduleHealthState {
  samples: Record<string, Sample[]>;
  behind: Record<string, boolean>;
  /** Per kind: the time of the first report of the current unbroken run of late reports. */
  lateSince?: Record<string, number>;
}

export interface ScheduleChange {
  kind: string;
  behind: boolean;
  report: KindReport;
}

export const initialScheduleHealth = (): ScheduleHealthState => ({ samples: {}, behind: {}, lateSince: {} });

export function assessSchedule(
  state: ScheduleHealthState,
  stats: ScheduleStats,
  now: number,
): { state: ScheduleHealthState; kinds: Record<string, KindReport>; changes: ScheduleChange[] } {
  const samples: Record<string, Sample[]> = {};
  const behindNow: Record<string, boolean> = {};
  const kinds: Record<string, KindReport> = {};
  const changes: ScheduleChange[] = [];
  const lateSince: Record<string, number> = {};
  for (const [kind, s] of Object.entries(stats)) {
    const windowMs = Math.max(MIN_WINDOW_MS, s.intervalMs);
    const sample: Sample = {
      at: now,
      counters: { scheduled: s.scheduled, completed: s.completed, skipped: s.skipped },
      lagMs: s.lagMs,
    };
    // A kind's first report counts from zero; afterwards one sample at or before the window's
    // start stays as the baseline for the deltas.
    const before = state.samples[kind] ?? [{ at: now, counters: { scheduled: 0, completed: 0, skipped: 0 }, lagMs: 0 }];
    const kept = [...before, sample];
    while (kept.length > 2 && kept[1]!.at <= now - windowMs) kept.shift();
    samples[kind] = kept;
    const base = kept[0]!;
    const scheduled = s.scheduled - base.counters.scheduled;
    const skipped = s.skipped - base.counters.skipped;
    const lagMs = Math.max(...kept.slice(1).map((k) => k.lagMs));
    const tooManySkipped = scheduled > 0 && skipped / scheduled > SKIPPED_LIMIT;
    const limit = s.intervalMs * LAG_LIMIT;
    const wasBehind = state.behind[kind] ?? false;
    if (s.intervalMs > 0 && s.lagMs > limit) lateSince[kind] = state.lateSince?.[kind] ?? now;
    const lateRun = lateSince[kind];
    const tooLate =
      s.intervalMs > 0 && (wasBehind ? lagMs > limit : lateRun !== undefined && now - lateRun >= LAG_SUSTAIN_MS);
    const behind = tooManySkipped || tooLate;
    behindNow[kind] = behind;
    const report: KindReport = { ...s, window: { ms: now - base.at, scheduled, skipped, lagMs }, behind };
    kinds[kind] = report;
    if (behind !== wasBehind) changes.push({ kind, behind, report });
  }
  return { state: { samples, behind: behindNow, lateSince }, kinds, changes };
}

/** The operator's sentence for a kind that fell behind (Bahasa Indonesia / English). */
export function behindMessage(kind: string, r: KindReport): string {
  const pct = r.window.scheduled > 0 ? Math.round((r.window.skipped / r.window.scheduled) * 1000) / 10 : 0;
  const lagS = Math.round(r.window.lagMs / 100) / 10;
  const windowS = Math.round(r.window.ms / 1000);
  return (
    `jadwal ${kind.toUpperCase()} tertinggal: ${r.window.skipped} dari ${r.window.scheduled} polling terlewat (${pct} %) dalam ${windowS} s, terlambat hingga ${lagS} s` +
    ` / ${kind.toUpperCase()} behind schedule: ${r.window.skipped} of ${r.window.scheduled} polls skipped (${pct} %) in ${windowS} s, up to ${lagS} s late`
  );
}
