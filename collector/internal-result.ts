import type { ProbeResult } from '../core/types.js';
import { probeOf } from './probes/list.js';
import type { PolledKind } from './scheduler/plan.js';

/** The result for a probe that threw: same shape as a normal failure, code PANTAU_PROBE_INTERNAL. */
export function internalResult(
  kind: PolledKind,
  deviceId: string,
  ts: number,
  durationMs: number,
  err: unknown,
): ProbeResult {
  const error = {
    code: 'PANTAU_PROBE_INTERNAL' as const,
    message: String((err as Error)?.message ?? err).slice(0, 300),
  };
  return probeOf(kind).failed({ deviceId, ts, durationMs, error });
}
