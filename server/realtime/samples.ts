import type { MetricSample, ProbeResult } from '../../core/types.js';
import { probeOf } from '../../collector/probes/list.js';

/**
 * The few live values the page shows (drawer figures), taken from probe results: the bus carries
 * results, not per-metric samples, and the page needs only the newest value of each. Each probe
 * kind names its own (`live` in collector/probes/<kind>/index.ts).
 */
export function samplesFromResult(r: ProbeResult): MetricSample[] {
  if (r.kind === 'trap') return [];
  return probeOf(r.kind).live(r);
}
