import type { MetricSample, ProbeResult } from '../../core/types.js';

/**
 * The few live values the page shows (drawer figures), taken from probe results: the bus carries
 * results, not per-metric samples, and the page needs only the newest value of each.
 */
export function samplesFromResult(r: ProbeResult): MetricSample[] {
  const s = (name: string, value: number | null | undefined, labels?: Record<string, string>): MetricSample[] =>
    value === null || value === undefined || !Number.isFinite(value) ? [] : [{ deviceId: r.deviceId, ts: r.ts, name, value, ...(labels ? { labels } : {}) }];
  switch (r.kind) {
    case 'icmp':
      return [...s('rtt_avg_ms', r.rttAvgMs), ...s('loss_pct', r.lossPct)];
    case 'snmp': {
      const up = r.interfaces.find((i) => i.isUplink);
      return [
        ...s('in_bps', up?.inBps), ...s('out_bps', up?.outBps),
        ...r.metrics.filter((m) => m.name === 'optical_rx_dbm' || m.name === 'wifi_clients' || m.name === 'cpu_load_pct').flatMap((m) => s(m.name, m.value)),
      ];
    }
    case 'onvif':
      return s('snapshot_ms', r.snapshot?.latencyMs);
    default:
      return [];
  }
}
