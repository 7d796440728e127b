/** What the server's history series mean in terms of measurements and fields (both readers share it). */
import type { HistorySeries } from '../core/services.js';

export interface SeriesSpec {
  measurement: string;
  fields: readonly string[];
}

export const SERIES: Record<HistorySeries, SeriesSpec> = {
  icmp: { measurement: 'icmp', fields: ['rtt_avg_ms', 'rtt_min_ms', 'rtt_max_ms', 'jitter_ms', 'loss_pct', 'up'] },
  // Traffic of a device = the sum over its uplink interfaces (all interfaces when none is marked).
  traffic: { measurement: 'interface', fields: ['in_bps', 'out_bps'] },
  optical: { measurement: 'optical', fields: ['rx_dbm', 'tx_dbm'] },
  wifi: { measurement: 'wifi', fields: ['clients'] },
  system: { measurement: 'system', fields: ['cpu_load_pct', 'temperature_c', 'uptime_s'] },
  camera: {
    measurement: 'camera',
    fields: ['reachable', 'snapshot_ok', 'snapshot_latency_ms', 'rtsp_ok', 'rtsp_latency_ms'],
  },
};

const STEPS_S = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A bucket width giving at most ~300 points over the range (sparklines, charts). */
export function pickStepS(from: number, to: number): number {
  const rangeS = Math.max(1, (to - from) / 1000);
  return STEPS_S.find((s) => rangeS / s <= 300) ?? 86400;
}
