/**
 * The availability (SLA) figures, computed ONE way for the page, the CLI, the CSV/HTML/PDF
 * report and the monthly email. Pure: a window, the devices and their state timelines in,
 * numbers out.
 *
 * How a state counts (docs/adr/0802):
 *   UP, DEGRADED          → available (the service works, maybe slowly)
 *   DOWN, UNREACHABLE     → outage (UNREACHABLE: cut off by a fault upstream; users have no service either)
 *   MAINTENANCE           → excluded from the measured time, reported separately
 *   UNKNOWN / never seen  → no data, excluded from the measured time, reported separately
 * availability % = available / (available + outage). Consecutive DOWN/UNREACHABLE segments are one
 * outage. Outages crossing the window's edges are clipped to it. MTTR = outage time / outages.
 */
import type { DeviceState } from '../core/types.js';
import type { DeviceTimeline } from './state-log.js';

export interface SlaDevice {
  id: string;
  name: string;
  type: string;
  kecamatan: string;
}

export interface Period {
  start: number;
  end: number;
}

export interface SlaFigures {
  /** null when nothing was measured (all maintenance or no data). */
  availabilityPct: number | null;
  outages: number;
  downtimeMs: number;
  /** Mean outage duration; null without outages. */
  mttrMs: number | null;
  longestOutageMs: number;
  maintenanceMs: number;
  noDataMs: number;
  /** available + outage time: the denominator. */
  measuredMs: number;
}

export interface SlaDeviceRow extends SlaFigures, SlaDevice {
  outagePeriods: Period[];
  maintenancePeriods: Period[];
}

export interface SlaGroupRow extends SlaFigures {
  key: string;
  devices: number;
}

export interface SlaReport {
  from: number;
  to: number;
  devices: SlaDeviceRow[];
  byType: SlaGroupRow[];
  byKecamatan: SlaGroupRow[];
  total: SlaGroupRow;
}

type Kind = 'up' | 'down' | 'maintenance' | 'nodata';

export function stateKind(s: DeviceState | undefined): Kind {
  switch (s) {
    case 'UP':
    case 'DEGRADED':
      return 'up';
    case 'DOWN':
    case 'UNREACHABLE':
      return 'down';
    case 'MAINTENANCE':
      return 'maintenance';
    default:
      return 'nodata';
  }
}

/** Maximal runs of one kind in [from, to), from a timeline. */
export function runs(
  t: DeviceTimeline | undefined,
  from: number,
  to: number,
): { kind: Kind; start: number; end: number }[] {
  const out: { kind: Kind; start: number; end: number }[] = [];
  let kind = stateKind(t?.initial);
  let start = from;
  for (const c of t?.changes ?? []) {
    if (c.at < from) {
      kind = stateKind(c.to);
      continue;
    }
    if (c.at >= to) break;
    const next = stateKind(c.to);
    if (next === kind) continue;
    if (c.at > start) out.push({ kind, start, end: c.at });
    kind = next;
    start = c.at;
  }
  if (to > start) out.push({ kind, start, end: to });
  // Merge neighbours of the same kind (a zero-length segment between them was dropped).
  const merged: typeof out = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && last.kind === r.kind && last.end === r.start) last.end = r.end;
    else merged.push({ ...r });
  }
  return merged;
}

function figures(
  up: number,
  down: number,
  outages: number,
  longest: number,
  maint: number,
  nodata: number,
): SlaFigures {
  const measured = up + down;
  return {
    availabilityPct: measured > 0 ? (up / measured) * 100 : null,
    outages,
    downtimeMs: down,
    mttrMs: outages > 0 ? down / outages : null,
    longestOutageMs: longest,
    maintenanceMs: maint,
    noDataMs: nodata,
    measuredMs: measured,
  };
}

export function deviceSla(d: SlaDevice, t: DeviceTimeline | undefined, from: number, to: number): SlaDeviceRow {
  const sums: Record<Kind, number> = { up: 0, down: 0, maintenance: 0, nodata: 0 };
  const outagePeriods: Period[] = [];
  const maintenancePeriods: Period[] = [];
  for (const r of runs(t, from, to)) {
    sums[r.kind] += r.end - r.start;
    if (r.kind === 'down') outagePeriods.push({ start: r.start, end: r.end });
    if (r.kind === 'maintenance') maintenancePeriods.push({ start: r.start, end: r.end });
  }
  const longest = outagePeriods.reduce((m, p) => Math.max(m, p.end - p.start), 0);
  return {
    ...d,
    ...figures(sums.up, sums.down, outagePeriods.length, longest, sums.maintenance, sums.nodata),
    outagePeriods,
    maintenancePeriods,
  };
}

function group(key: string, rows: readonly SlaDeviceRow[]): SlaGroupRow {
  let up = 0,
    down = 0,
    outages = 0,
    longest = 0,
    maint = 0,
    nodata = 0;
  for (const r of rows) {
    up += r.measuredMs - r.downtimeMs;
    down += r.downtimeMs;
    outages += r.outages;
    longest = Math.max(longest, r.longestOutageMs);
    maint += r.maintenanceMs;
    nodata += r.noDataMs;
  }
  return { key, devices: rows.length, ...figures(up, down, outages, longest, maint, nodata) };
}

/** Device rows folded into groups by `key`, sorted by key. */
export function computeGroups(rows: readonly SlaDeviceRow[], key: (r: SlaDeviceRow) => string): SlaGroupRow[] {
  const m = new Map<string, SlaDeviceRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, list]) => group(k, list));
}

/** The whole report over [from, to) for these devices (the inventory), from their timelines. */
export function computeSla(input: {
  from: number;
  to: number;
  devices: readonly SlaDevice[];
  timelines: ReadonlyMap<string, DeviceTimeline>;
}): SlaReport {
  const { from, to } = input;
  const devices = input.devices.map((d) => deviceSla(d, input.timelines.get(d.id), from, to));
  return {
    from,
    to,
    devices,
    byType: computeGroups(devices, (r) => r.type),
    byKecamatan: computeGroups(devices, (r) => r.kecamatan),
    total: group('total', devices),
  };
}
