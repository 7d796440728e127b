import type { Device, ProbeResult } from '../../core/types.js';
import type { Sample } from './types.js';
import { probeOf } from '../../collector/probes/list.js';

/**
 * The metric names rules can use, from one probe result; each probe kind names its own
 * (collector/probes/<kind>/index.ts `samples`). ICMP: loss_pct, rtt_avg_ms, rtt_max_ms, jitter_ms.
 * SNMP: every profile metric by its own name (optical_rx_dbm, cpu_load_pct, wifi_clients, …),
 * rebooted (0/1), uplink_oper_up (0/1). ONVIF: snapshot_ok, rtsp_ok (0/1), clock_drift_s
 * (absolute). Traps: uplink_oper_up (0 on linkDown, 1 on linkUp of the uplink port).
 * A failed probe yields no samples except icmp loss (100%).
 */
export function samplesOf(result: ProbeResult, device: Device | undefined): Sample[] {
  if (result.kind !== 'trap') return probeOf(result.kind).samples(result, device);
  // A link trap on the uplink port is the same fact an SNMP poll would report, seconds instead of
  // a poll interval earlier: the uplink rule alerts at once, the next poll confirms or clears it.
  const uplinkIndex = device?.probes.snmp?.uplinkIfIndex;
  if (uplinkIndex === undefined || result.ifIndex !== uplinkIndex) return [];
  if (result.trap === 'linkDown') return [{ metric: 'uplink_oper_up', value: 0, labels: '' }];
  if (result.trap === 'linkUp') return [{ metric: 'uplink_oper_up', value: 1, labels: '' }];
  return [];
}
