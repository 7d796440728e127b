import type { Device, ProbeResult } from '../../core/types.js';
import type { Sample } from './types.js';

const labelString = (labels: Record<string, string>): string =>
  Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');

/**
 * The metric names rules can use, from one probe result. ICMP: loss_pct, rtt_avg_ms, rtt_max_ms,
 * jitter_ms. SNMP: every profile metric by its own name (optical_rx_dbm, cpu_load_pct,
 * wifi_clients, …), rebooted (0/1), uplink_oper_up (0/1). ONVIF: snapshot_ok, rtsp_ok (0/1),
 * clock_drift_s (absolute). Traps: uplink_oper_up (0 on linkDown, 1 on linkUp of the uplink port).
 * A failed probe yields no samples except icmp loss (100%).
 */
export function samplesOf(result: ProbeResult, device: Device | undefined): Sample[] {
  const out: Sample[] = [];
  const push = (metric: string, value: number | null | undefined, labels = '') => {
    if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ metric, value, labels });
  };
  switch (result.kind) {
    case 'icmp':
      push('loss_pct', result.lossPct);
      push('rtt_avg_ms', result.rttAvgMs);
      push('rtt_max_ms', result.rttMaxMs);
      push('jitter_ms', result.jitterMs);
      break;
    case 'snmp': {
      if (!result.ok) break;
      push('rebooted', result.rebooted ? 1 : 0);
      const uplinkIndex = device?.probes.snmp?.uplinkIfIndex;
      const uplink = result.interfaces.find((i) => (uplinkIndex !== undefined ? i.ifIndex === uplinkIndex : i.isUplink));
      if (uplink && uplink.adminUp) push('uplink_oper_up', uplink.operUp ? 1 : 0);
      for (const m of result.metrics) push(m.name, m.value, labelString(m.labels));
      break;
    }
    case 'onvif':
      if (!result.reachable) break;
      if (result.snapshot) push('snapshot_ok', result.snapshot.ok ? 1 : 0);
      if (result.rtsp) push('rtsp_ok', result.rtsp.ok ? 1 : 0);
      if (result.clockDriftS !== null) push('clock_drift_s', Math.abs(result.clockDriftS));
      break;
    case 'trap': {
      // A link trap on the uplink port is the same fact an SNMP poll would report, seconds instead of
      // a poll interval earlier: the uplink rule alerts at once, the next poll confirms or clears it.
      const uplinkIndex = device?.probes.snmp?.uplinkIfIndex;
      if (uplinkIndex !== undefined && result.ifIndex === uplinkIndex) {
        if (result.trap === 'linkDown') push('uplink_oper_up', 0);
        if (result.trap === 'linkUp') push('uplink_oper_up', 1);
      }
      break;
    }
  }
  return out;
}
