/**
 * The pure point builder: probe results, state changes and alerts → InfluxDB points, in the
 * schema documented in docs/metrics.md (the Grafana dashboards are built on exactly these names).
 */
import type { Alert, DeviceState, DeviceStateChange, Device, IcmpResult, OnvifResult, ProbeResult, SnmpResult } from '../../core/types.js';
import type { Point } from './point.js';

export type { Point } from './point.js';

/** The measurements pantau writes. */
export const MEASUREMENTS = ['icmp', 'interface', 'optical', 'system', 'wifi', 'camera', 'device_state', 'alert'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

/** The device fields every measurement is tagged with. */
export type DeviceTags = Pick<Device, 'id' | 'type' | 'kecamatan'>;

export const STATE_CODES: Record<DeviceState, number> = { UP: 0, DEGRADED: 1, DOWN: 2, UNREACHABLE: 3, MAINTENANCE: 4, UNKNOWN: 5 };

type Fields = Record<string, number | string>;

const flag = (b: boolean): number => (b ? 1 : 0);

/** Adds a numeric field only when it is a finite number: null/NaN/Infinity are left out. */
function put(fields: Fields, key: string, v: number | null | undefined): void {
  if (typeof v === 'number' && Number.isFinite(v)) fields[key] = v;
}

function baseTags(d: DeviceTags): Record<string, string> {
  return { device: d.id, type: d.type, kecamatan: d.kecamatan };
}

function point(measurement: Measurement, tags: Record<string, string>, fields: Fields, ts: number): Point[] {
  if (Object.keys(fields).length === 0) return [];
  // An empty tag value is invalid line protocol: leave the tag out instead (copy only then).
  let clean = tags;
  for (const k in tags) {
    if (tags[k] !== '') continue;
    clean = {};
    for (const [k2, v] of Object.entries(tags)) if (v !== '') clean[k2] = v;
    break;
  }
  return [{ measurement, tags: clean, fields, ts: Math.trunc(ts) }];
}

function icmpPoints(r: IcmpResult, tags: Record<string, string>): Point[] {
  const f: Fields = {};
  put(f, 'rtt_min_ms', r.rttMinMs);
  put(f, 'rtt_avg_ms', r.rttAvgMs);
  put(f, 'rtt_max_ms', r.rttMaxMs);
  put(f, 'jitter_ms', r.jitterMs);
  put(f, 'loss_pct', r.lossPct);
  f['up'] = flag(r.received > 0);
  return point('icmp', tags, f, r.ts);
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function snmpPoints(r: SnmpResult, tags: Record<string, string>): Point[] {
  const out: Point[] = [];
  for (const i of r.interfaces) {
    const f: Fields = {};
    put(f, 'in_bps', i.inBps);
    put(f, 'out_bps', i.outBps);
    put(f, 'in_errors', i.inErrors);
    put(f, 'out_errors', i.outErrors);
    put(f, 'in_discards', i.inDiscards);
    put(f, 'out_discards', i.outDiscards);
    f['oper_up'] = flag(i.operUp);
    f['admin_up'] = flag(i.adminUp);
    put(f, 'speed_bps', i.speedBps);
    // An empty tag value is invalid line protocol: fall back to the ifIndex.
    const ifName = i.ifName.trim() === '' ? `if${i.ifIndex}` : i.ifName;
    out.push(...point('interface', { ...tags, if_name: ifName, uplink: i.isUplink ? 'true' : 'false' }, f, r.ts));
  }

  // Optical power: one point per port (ifName or sensor label), rx and tx together.
  const optical = new Map<string, Fields>();
  const cpu: number[] = [];
  const temps: number[] = [];
  let clients: number | null = null;
  for (const m of r.metrics) {
    if (!Number.isFinite(m.value)) continue;
    if (m.name === 'optical_rx_dbm' || m.name === 'optical_tx_dbm') {
      const port = m.labels['ifName'] ?? m.labels['sensor'] ?? '0';
      const f = optical.get(port) ?? {};
      f[m.name === 'optical_rx_dbm' ? 'rx_dbm' : 'tx_dbm'] = m.value;
      optical.set(port, f);
    } else if (m.name === 'cpu_load_pct') cpu.push(m.value);
    else if (m.name === 'temperature_c') temps.push(m.value);
    else if (m.name === 'wifi_clients') clients = (clients ?? 0) + m.value;
  }
  for (const [port, f] of optical) out.push(...point('optical', { ...tags, port: port === '' ? '0' : port }, f, r.ts));

  const sys: Fields = {};
  put(sys, 'uptime_s', r.sysUpTimeS);
  put(sys, 'cpu_load_pct', mean(cpu));
  // The hottest sensor is the one that matters for an outdoor cabinet.
  put(sys, 'temperature_c', temps.length === 0 ? null : Math.max(...temps));
  sys['rebooted'] = flag(r.rebooted);
  sys['snmp_ok'] = flag(r.ok);
  out.push(...point('system', tags, sys, r.ts));

  if (clients !== null) out.push(...point('wifi', tags, { clients }, r.ts));
  return out;
}

function onvifPoints(r: OnvifResult, tags: Record<string, string>): Point[] {
  const f: Fields = { reachable: flag(r.reachable), authenticated: flag(r.authenticated) };
  put(f, 'clock_drift_s', r.clockDriftS);
  if (r.snapshot) {
    f['snapshot_ok'] = flag(r.snapshot.ok);
    put(f, 'snapshot_latency_ms', r.snapshot.latencyMs);
    put(f, 'snapshot_bytes', r.snapshot.bytes);
  }
  if (r.rtsp) {
    f['rtsp_ok'] = flag(r.rtsp.ok);
    put(f, 'rtsp_latency_ms', r.rtsp.latencyMs);
  }
  return point('camera', tags, f, r.ts);
}

/** Points for one probe result of `device`. Traps carry no metrics (they become state changes). */
export function toPoints(result: ProbeResult, device: DeviceTags): Point[] {
  const tags = baseTags(device);
  switch (result.kind) {
    case 'icmp': return icmpPoints(result, tags);
    case 'snmp': return snmpPoints(result, tags);
    case 'onvif': return onvifPoints(result, tags);
    case 'trap': return [];
  }
}

/** A `device_state` point; `up` is absent for MAINTENANCE/UNKNOWN so availability ignores them. */
export function stateToPoints(change: DeviceStateChange, device: DeviceTags): Point[] {
  const to = change.to;
  const f: Fields = { state: to, state_code: STATE_CODES[to] };
  if (to === 'UP' || to === 'DEGRADED') f['up'] = 1;
  else if (to === 'DOWN' || to === 'UNREACHABLE') f['up'] = 0;
  return point('device_state', baseTags(device), f, change.at);
}

/** When the alert's current status happened. */
function alertTs(a: Alert): number {
  if (a.status === 'resolved') return a.resolvedAt ?? a.updatedAt;
  if (a.status === 'acknowledged') return a.acknowledgedAt ?? a.updatedAt;
  return a.openedAt;
}

const STATUS_ID: Record<Alert['status'], string> = { open: 'terbuka', acknowledged: 'diakui', resolved: 'selesai' };

/** An `alert` point for Grafana annotations: one per status change of an alert. */
export function alertToPoints(a: Alert): Point[] {
  const tags = { device: a.deviceId, type: a.deviceType, kecamatan: a.kecamatan, severity: a.severity, rule: a.rule, status: a.status };
  const parts = [`Status: ${STATUS_ID[a.status]}`];
  if (a.affected.length > 0) parts.push(`terdampak: ${a.affected.length} perangkat`);
  if (a.acknowledgedBy) parts.push(`diakui oleh ${a.acknowledgedBy}${a.ackComment ? ` (${a.ackComment})` : ''}`);
  return point('alert', tags, { title: a.title, text: parts.join('; ') }, alertTs(a));
}
