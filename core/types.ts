import type { ProbeHint } from './probe-error-text.js';
/**
 * The domain types every module shares: what a probe yields, what a device is in, what an
 * alert is. Modules talk to each other only through these and the event bus.
 */
export type { Device, Vendor, Kecamatan } from './inventory/schema.js';
// The shared words live in core/vocabulary/ (zod-free); re-exported so `core/types.js` imports keep working.
export { DEVICE_TYPES, type DeviceType } from './vocabulary/device-types.js';
export { DEVICE_STATES, STATE_CODES, type DeviceState } from './vocabulary/states.js';
export { SEVERITIES, type Severity, type AlertStatus } from './vocabulary/severities.js';
import type { DeviceState } from './vocabulary/states.js';
import type { Severity, AlertStatus } from './vocabulary/severities.js';

/** Every probe error code; core/probe-error-text.ts must give each one a sentence in id and en (a test checks). */
export const PROBE_ERROR_CODES = [
  'PANTAU_PROBE_TIMEOUT',
  'PANTAU_PROBE_REFUSED',
  'PANTAU_PROBE_AUTH',
  'PANTAU_PROBE_BAD_RESPONSE',
  'PANTAU_PROBE_UNREACHABLE',
  'PANTAU_PROBE_SNAPSHOT',
  'PANTAU_PROBE_RTSP',
  'PANTAU_PROBE_CLOCK_DRIFT',
  'PANTAU_PROBE_INTERNAL',
  // Services (http, tls, dns, tcp kinds; issue 14).
  'PANTAU_PROBE_HTTP_STATUS',
  'PANTAU_PROBE_HTTP_CONTENT',
  'PANTAU_PROBE_HTTP_SLOW',
  'PANTAU_PROBE_HTTP_REDIRECTS',
  'PANTAU_PROBE_TLS_EXPIRED',
  'PANTAU_PROBE_TLS_NOT_YET_VALID',
  'PANTAU_PROBE_TLS_HOSTNAME',
  'PANTAU_PROBE_TLS_CHAIN',
  'PANTAU_PROBE_TLS_PROTOCOL',
  'PANTAU_PROBE_DNS_NXDOMAIN',
  'PANTAU_PROBE_DNS_MISMATCH',
  'PANTAU_PROBE_DNS_SERVFAIL',
  'PANTAU_PROBE_TCP_REFUSED',
] as const;
export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];

export interface ProbeError {
  code: ProbeErrorCode;
  message: string;
}

interface ProbeResultBase {
  deviceId: string;
  /** When the probe started, epoch ms: metrics are stamped with this, not the write time. */
  ts: number;
  durationMs: number;
  /** The device answered the probe as expected. A down device is `ok: false`, never a throw. */
  ok: boolean;
  error?: ProbeError;
}

export interface IcmpResult extends ProbeResultBase {
  kind: 'icmp';
  sent: number;
  received: number;
  lossPct: number;
  rttMinMs: number | null;
  rttAvgMs: number | null;
  rttMaxMs: number | null;
  jitterMs: number | null;
}

export interface InterfaceSample {
  ifIndex: number;
  ifName: string;
  ifAlias?: string;
  adminUp: boolean;
  operUp: boolean;
  speedBps: number | null;
  /** Rates from counter deltas; null on the first poll and after a counter reset. */
  inBps: number | null;
  outBps: number | null;
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
  isUplink: boolean;
}

/** A scalar from a vendor profile: optical power, CPU, temperature, Wi-Fi clients… */
export interface ProfileMetric {
  /** e.g. optical_rx_dbm, optical_tx_dbm, cpu_load_pct, temperature_c, wifi_clients */
  name: string;
  value: number;
  unit: string;
  /** Low-cardinality labels such as { ifName: 'sfp1' } or { sensor: 'ont' }. */
  labels: Record<string, string>;
}

export interface SnmpResult extends ProbeResultBase {
  kind: 'snmp';
  sysUpTimeS: number | null;
  sysName: string | null;
  sysDescr: string | null;
  /** sysUpTime went backwards since the previous poll. */
  rebooted: boolean;
  interfaces: InterfaceSample[];
  metrics: ProfileMetric[];
  /** Profile metrics the device has no OID for (sorted names); absent when none are missing. */
  missingMetrics?: string[];
}

export interface OnvifResult extends ProbeResultBase {
  kind: 'onvif';
  reachable: boolean;
  authenticated: boolean;
  clockDriftS: number | null;
  info: { manufacturer?: string; model?: string; firmware?: string; serial?: string } | null;
  /** Differences between the camera's reported identity and the inventory. */
  mismatches: string[];
  snapshot: { ok: boolean; status: number | null; bytes: number; latencyMs: number | null; error?: string } | null;
  rtsp: { ok: boolean; status: number | null; sdp: boolean; latencyMs: number | null; error?: string } | null;
}

export type TrapName = 'linkDown' | 'linkUp' | 'coldStart' | 'warmStart' | 'other';

export interface TrapResult extends ProbeResultBase {
  kind: 'trap';
  trap: TrapName;
  trapOid: string;
  source: string;
  ifIndex?: number;
  ifName?: string;
}

/**
 * Every probe kind's result by kind. A kind added in its own folder (`collector/probes/<kind>/`)
 * adds its entry with `declare module '…/core/types.js' { interface ProbeResultMap { … } }`, so this
 * file does not change when a kind is added (ADR 0700).
 */
export interface ProbeResultMap {
  icmp: IcmpResult;
  snmp: SnmpResult;
  onvif: OnvifResult;
  trap: TrapResult;
}

export type ProbeKind = keyof ProbeResultMap;
export type ProbeResult = ProbeResultMap[ProbeKind];

export interface DeviceStatus {
  deviceId: string;
  state: DeviceState;
  /** epoch ms of the last state change */
  since: number;
  /** Why: a message key for the page to translate, e.g. 'icmp_loss' or 'upstream_down'. */
  reason?: string;
  /** For UNREACHABLE: the DOWN ancestor that explains it. */
  rootCauseId?: string;
  /**
   * The newest probe failure still standing (cleared when that probe succeeds again), pushed as
   * soon as the first failed probe arrives, so the page can say why (tooltip, drawer) before any
   * alert fires, even while `state` is still UP. Render `code` with core/probe-error-text.ts.
   */
  probeError?: DeviceProbeError;
  /**
   * With reason 'no_data' (state UNKNOWN, ADR 0406): when the last result of its reachability probe
   * arrived (or the watch began); the page writes "tidak ada data sejak …" in the region's zone.
   */
  noDataSince?: number;
}

export interface DeviceProbeError {
  /** Which probe failed: icmp, snmp, onvif, or a service check (http, tls, dns, tcp). */
  kind: ProbeKind;
  code: ProbeErrorCode;
  /** epoch ms of the first failure of this streak (with this code) */
  since: number;
  /** What to check, from the evidence of the other probes (e.g. ping answers, SNMP silent → credentials). */
  hint?: ProbeHint;
}

export interface DeviceStateChange {
  deviceId: string;
  from: DeviceState;
  to: DeviceState;
  at: number;
  status: DeviceStatus;
}

export interface Alert {
  id: string;
  /** Dedup key: one open alert per key, e.g. `device_down:fo-012`. */
  key: string;
  rule: string;
  deviceId: string;
  deviceType: string;
  kecamatan: string;
  severity: Severity;
  status: AlertStatus;
  /** Message key and params, so the page and notifiers render it in id or en. */
  messageKey: string;
  params: Record<string, string | number>;
  /** Rendered in Bahasa Indonesia, for logs and plain consumers. */
  title: string;
  /** Devices this alert takes down (topology root cause). */
  affected: string[];
  openedAt: number;
  /** The FIRST acknowledgement (when the alert was first handled); later acks do not move it. */
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  /** The latest acknowledgement's comment (kept for readers that predate `acks`). */
  ackComment?: string;
  /** Every acknowledgement, oldest first (a second ack adds an entry). Absent only on rows stored before it existed: read them with `acksOf`. */
  acks?: AckEntry[];
  /**
   * The latest short message an operator wrote FOR THE PUBLIC when acknowledging (plain text, shown on
   * /status and in its feed). Separate from `ackComment`, which is internal and never leaves the NOC.
   */
  publicMessage?: string;
  resolvedAt?: number;
  /** Why it was resolved: recovered, quiet, condition_cleared, device_removed, folded… */
  resolvedReason?: string;
  /** For 'folded': the id of the root-cause alert that now speaks for this one. */
  foldedInto?: string;
  updatedAt: number;
}

/** One acknowledgement of an alert: who, when, what they said. */
export interface AckEntry {
  by: string;
  at: number;
  /** Internal: for the NOC only. */
  comment?: string;
  /** For the public status page (see Alert.publicMessage). */
  publicMessage?: string;
}

/** An alert's acknowledgements, oldest first; rows stored before `acks` existed give their single ack. */
export function acksOf(a: Pick<Alert, 'acks' | 'acknowledgedAt' | 'acknowledgedBy' | 'ackComment'>): AckEntry[] {
  if (a.acks) return a.acks;
  if (a.acknowledgedBy === undefined || a.acknowledgedAt === undefined) return [];
  return [{ by: a.acknowledgedBy, at: a.acknowledgedAt, ...(a.ackComment ? { comment: a.ackComment } : {}) }];
}

/** A point-in-time value for the live page and the in-memory history. */
export interface MetricSample {
  deviceId: string;
  ts: number;
  name: string;
  value: number;
  labels?: Record<string, string>;
}
