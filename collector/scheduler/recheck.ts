import type { Device, ProbeResult } from '../../core/types.js';
import { reachabilityKind } from '../../core/reachability.js';
import type { PolledKind } from './plan.js';

/*
 * Re-check after a change (Nagios's retry_interval, ADR 0205). A first failure (or a first success
 * after failures) is a "soft" state: instead of waiting a whole interval for the next scheduled
 * poll, the same probe runs again `retryMs` later, until the streak is long enough for the engine
 * to decide (downAfter failures, upAfter successes; degradedAfter for SNMP/ONVIF). Then the job
 * falls back onto its normal grid. A device that stays down costs one probe per interval again.
 *
 *   streak before        result   → streak after        re-check soon?
 *   ok (settled)         fail       fail 1               yes, and re-probe the ancestors' ICMP now
 *   fail n               fail       fail n+1             while n+1 < confirmFail
 *   fail n               ok         recovering ok 1      while 1 < confirmOk
 *   recovering ok n      ok         recovering ok n+1    while n+1 < confirmOk; then settled
 *   recovering ok n      fail       fail 1               yes
 */
export interface Streak {
  fails: number;
  oks: number;
  recovering: boolean;
}

export const SETTLED: Streak = { fails: 0, oks: 0, recovering: false };

export interface RecheckDecision {
  streak: Streak;
  /** Run this probe again after the retry spacing. */
  again: boolean;
  /** This failure is the first of its streak: the ancestors' evidence should be refreshed now. */
  checkUpstream: boolean;
}

export function recheck(prev: Streak, ok: boolean, need: { confirmFail: number; confirmOk: number }): RecheckDecision {
  if (!ok) {
    const fails = prev.fails + 1;
    return {
      streak: { fails, oks: 0, recovering: false },
      again: fails < need.confirmFail,
      checkUpstream: fails === 1,
    };
  }
  if (prev.fails === 0 && !prev.recovering) return { streak: SETTLED, again: false, checkUpstream: false };
  const oks = prev.oks + 1;
  if (oks >= need.confirmOk) return { streak: SETTLED, again: false, checkUpstream: false };
  return { streak: { fails: 0, oks, recovering: true }, again: true, checkUpstream: false };
}

/**
 * The device's service probes to re-check at once because its reachability probe just answered
 * after failures (issue 11): SNMP and ONVIF failures seen during the outage are stale, the engine
 * did not count them, and the next scheduled poll may be a whole interval away.
 */
export function recoveryRechecks(
  prev: Streak,
  ok: boolean,
  isReachability: boolean,
  device: Device,
): Array<'snmp' | 'onvif' | 'http' | 'tls' | 'dns' | 'tcp'> {
  if (!ok || !isReachability || prev.fails === 0) return [];
  const reach = reachabilityKind(device);
  const on = (p: { enabled?: boolean } | undefined) => p !== undefined && p.enabled !== false;
  return (['snmp', 'onvif', 'http', 'tls', 'dns', 'tcp'] as const).filter((k) => k !== reach && on(device.probes[k]));
}

/** The polled kind a result belongs to (traps are not polled). */
export function polledKindOf(r: ProbeResult): PolledKind | null {
  return r.kind === 'trap' ? null : r.kind;
}
