import type { ProbeResult } from '../core/types.js';
import type { PolledKind } from './scheduler/plan.js';

/** The result for a probe that threw: same shape as a normal failure, code PANTAU_PROBE_INTERNAL. */
export function internalResult(kind: PolledKind, deviceId: string, ts: number, durationMs: number, err: unknown): ProbeResult {
  const error = { code: 'PANTAU_PROBE_INTERNAL' as const, message: String((err as Error)?.message ?? err).slice(0, 300) };
  const base = { deviceId, ts, durationMs, ok: false, error };
  if (kind === 'icmp') return { ...base, kind, sent: 0, received: 0, lossPct: 100, rttMinMs: null, rttAvgMs: null, rttMaxMs: null, jitterMs: null };
  if (kind === 'snmp') return { ...base, kind, sysUpTimeS: null, sysName: null, sysDescr: null, rebooted: false, interfaces: [], metrics: [] };
  return { ...base, kind, reachable: false, authenticated: false, clockDriftS: null, info: null, mismatches: [], snapshot: null, rtsp: null };
}
