import type { Device, ProbeErrorCode } from './types.js';

/** Kinds that can decide reachability, in the order they are tried for a network device. */
export type ReachabilityKind = 'icmp' | 'snmp' | 'onvif' | 'http' | 'tcp' | 'dns';

/**
 * The probe that decides whether a device is reachable. A network device: ICMP unless disabled,
 * then SNMP, then ONVIF. A `service` (an application, ADR 0701): its HTTP check, else its TCP
 * check, else its DNS check; ping of the server says nothing about the application.
 * One definition for the alert engine (alerting/engine/device.ts) and the collector's re-checks
 * (collector/collector.ts, ADR 0205), so both always agree on which result is "the ping".
 */
export function reachabilityKind(d: Device): ReachabilityKind {
  const on = (p: { enabled?: boolean } | undefined) => p !== undefined && p.enabled !== false;
  if (d.type === 'service') {
    if (on(d.probes.http)) return 'http';
    if (on(d.probes.tcp)) return 'tcp';
    if (on(d.probes.dns)) return 'dns';
  }
  if (d.probes.icmp.enabled) return 'icmp';
  if (on(d.probes.snmp)) return 'snmp';
  if (on(d.probes.onvif)) return 'onvif';
  if (on(d.probes.http)) return 'http';
  if (on(d.probes.tcp)) return 'tcp';
  if (on(d.probes.dns)) return 'dns';
  return 'onvif';
}

/**
 * Codes that mean "reached, but not well": the reachability probe got its answer, so the device
 * is not DOWN; the engine counts these toward DEGRADED instead (an HTTP answer slower than its limit).
 */
export const DEGRADING_CODES: ReadonlySet<ProbeErrorCode> = new Set(['PANTAU_PROBE_HTTP_SLOW']);

/** Whether a result of the reachability probe shows the device reached (ok, or only degraded). */
export function reached(r: { ok: boolean; error?: { code: ProbeErrorCode } | undefined }): boolean {
  return r.ok || (r.error !== undefined && DEGRADING_CODES.has(r.error.code));
}
