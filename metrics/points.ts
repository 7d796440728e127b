/**
 * The pure point builder: probe results, state changes and alerts → InfluxDB points, in the
 * schema documented in docs/metrics.md (the Grafana dashboards are built on exactly these names).
 */
import type { Alert, DeviceStateChange, Device, ProbeResult } from '../core/types.js';
import { PROBES, probeOf } from '../collector/probes/list.js';
import { makePoint, type Point } from './point.js';
import { STATE_CODES } from '../core/vocabulary/states.js';

export type { Point } from './point.js';

/** The measurements pantau writes: each probe kind's, then state changes and alerts. */
export const MEASUREMENTS: readonly string[] = [
  ...PROBES.flatMap((p) => Object.keys(p.measurements)),
  'device_state',
  'alert',
];
export type Measurement = string;

/** The device fields every measurement is tagged with. */
export type DeviceTags = Pick<Device, 'id' | 'type' | 'kecamatan'>;

export { STATE_CODES };

type Fields = Record<string, number | string>;

function baseTags(d: DeviceTags): Record<string, string> {
  return { device: d.id, type: d.type, kecamatan: d.kecamatan };
}

const point = makePoint;

/** Points for one probe result of `device`: each kind builds its own. Traps carry no metrics (they become state changes). */
export function toPoints(result: ProbeResult, device: DeviceTags): Point[] {
  if (result.kind === 'trap') return [];
  return probeOf(result.kind).points(result, baseTags(device));
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
  const tags = {
    device: a.deviceId,
    type: a.deviceType,
    kecamatan: a.kecamatan,
    severity: a.severity,
    rule: a.rule,
    status: a.status,
  };
  const parts = [`Status: ${STATUS_ID[a.status]}`];
  if (a.affected.length > 0) parts.push(`terdampak: ${a.affected.length} perangkat`);
  if (a.acknowledgedBy) parts.push(`diakui oleh ${a.acknowledgedBy}${a.ackComment ? ` (${a.ackComment})` : ''}`);
  return point('alert', tags, { title: a.title, text: parts.join('; ') }, alertTs(a));
}
