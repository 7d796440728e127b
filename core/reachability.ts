import type { Device } from './types.js';

/**
 * The probe that decides whether a device is reachable: ICMP unless disabled, then SNMP, then ONVIF.
 * One definition for the alert engine (alerting/engine/device.ts) and the collector's re-checks
 * (collector/collector.ts, ADR 0205), so both always agree on which result is "the ping".
 */
export function reachabilityKind(d: Device): 'icmp' | 'snmp' | 'onvif' {
  if (d.probes.icmp.enabled) return 'icmp';
  if (d.probes.snmp?.enabled) return 'snmp';
  return 'onvif';
}
