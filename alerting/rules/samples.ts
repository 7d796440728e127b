import type { Device, ProbeResult } from '../../core/types.js';
import type { Sample } from './types.js';
import { probeOf } from '../../collector/probes/list.js';

/**
 * The metric names rules can use, from one probe result; each probe kind names its own
 * (collector/probes/<kind>/index.ts `samples`). ICMP: loss_pct, rtt_avg_ms, rtt_max_ms, jitter_ms.
 * SNMP: every profile metric by its own name (optical_rx_dbm, cpu_load_pct, wifi_clients, …),
 * rebooted (0/1), uplink_oper_up (0/1). ONVIF: snapshot_ok, rtsp_ok (0/1), clock_drift_s
 * (absolute). A failed probe yields no samples except icmp loss (100%).
 */
export function samplesOf(result: ProbeResult, device: Device | undefined): Sample[] {
  if (result.kind === 'trap') return [];
  return probeOf(result.kind).samples(result, device);
}
