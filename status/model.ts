/**
 * What the public status page shows, built from the alert engine's states and alerts and the state
 * log (issue 14 item 5). Pure: everything comes in as arguments.
 *
 * The output type holds only public fields: names from the statusPage config (or a device's
 * inventory name), states, day availability, incident times and the operator's PUBLIC message. No
 * device id, address, alert id, rule name or internal comment is copied into it, so the renderers
 * cannot leak what they never receive.
 */
import { createHash } from 'node:crypto';
import type { Device } from '../core/inventory/schema.js';
import type { Alert, DeviceState, DeviceStatus } from '../core/types.js';
import type { LocalizedText, StatusPageConfig } from '../core/config/sections/status-page.js';
import { computeGroups, deviceSla } from '../history/sla.js';
import type { DeviceTimeline } from '../history/state-log.js';

export type PublicState = 'up' | 'degraded' | 'down' | 'maintenance' | 'unknown';
/** A day's colour: ok ≥ 99.9 %, minor ≥ 99 %, major ≥ 95 %, outage below; maint = only maintenance; none = no data. */
export type DayLevel = 'ok' | 'minor' | 'major' | 'outage' | 'maint' | 'none';

export interface Localized {
  id: string;
  en: string;
}

export interface DayBar {
  /** Local date in the region's zone, YYYY-MM-DD. */
  date: string;
  availabilityPct: number | null;
  downtimeMs: number;
  level: DayLevel;
}

export interface PublicEntry {
  name: Localized;
  state: PublicState;
  /** Since when (epoch ms) it is in this state, when known. */
  since?: number;
  /** Availability over the whole bar (null: nothing measured). */
  availabilityPct?: number | null;
  days?: DayBar[];
}

export interface PublicGroup {
  name: Localized;
  entries: PublicEntry[];
  /** Counts per state, for the group's one-line summary. */
  counts: Record<PublicState, number>;
  availabilityPct?: number | null;
  days?: DayBar[];
}

export type IncidentStatus = 'investigating' | 'identified' | 'resolved';

export interface PublicIncident {
  /** Opaque and stable: a hash of the alert id, so the feed's entries keep their ids. */
  ref: string;
  kind: 'outage' | 'degraded';
  status: IncidentStatus;
  /** Public names of what it affects (at most MAX_NAMES; `more` counts the rest). */
  names: Localized[];
  more: number;
  startedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** The operator's public message (plain text), if any. */
  message?: string;
}

export interface PublicStatus {
  title: Localized;
  description?: Localized;
  generatedAt: number;
  overall: PublicState;
  groups: PublicGroup[];
  /** Open and acknowledged incidents, newest first. */
  current: PublicIncident[];
  /** Resolved within `incidentDays`, newest first. */
  recent: PublicIncident[];
  historyDays: number;
}

export interface StatusInputs {
  config: StatusPageConfig;
  devices: readonly Device[];
  statuses: ReadonlyMap<string, DeviceStatus>;
  /** Open, acknowledged and recently resolved alerts (any order). */
  alerts: readonly Alert[];
  /** State timelines over [days[0].from, now) (history/state-log.ts `timelines`). */
  timelines: ReadonlyMap<string, DeviceTimeline>;
  now: number;
  /** The region's zone offset (WIB = +7 h). */
  zoneOffsetMs: number;
}

const DAY = 86_400_000;
const MAX_NAMES = 12;

export const localize = (t: LocalizedText): Localized =>
  typeof t === 'string' ? { id: t, en: t } : { id: t.id, en: t.en ?? t.id };

export function publicState(s: DeviceState | undefined): PublicState {
  switch (s) {
    case 'UP':
      return 'up';
    case 'DEGRADED':
      return 'degraded';
    case 'DOWN':
    case 'UNREACHABLE':
      return 'down';
    case 'MAINTENANCE':
      return 'maintenance';
    default:
      return 'unknown';
  }
}

export function dayLevel(pct: number | null, maintenanceMs: number): DayLevel {
  if (pct === null) return maintenanceMs > 0 ? 'maint' : 'none';
  if (pct >= 99.9) return 'ok';
  if (pct >= 99) return 'minor';
  if (pct >= 95) return 'major';
  return 'outage';
}

/** The `n` local days ending today (today clipped at `now`), oldest first. */
export function dayWindows(now: number, n: number, zoneOffsetMs: number): { date: string; from: number; to: number }[] {
  const today = Math.floor((now + zoneOffsetMs) / DAY) * DAY - zoneOffsetMs;
  const out: { date: string; from: number; to: number }[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const from = today - i * DAY;
    out.push({ date: new Date(from + zoneOffsetMs).toISOString().slice(0, 10), from, to: Math.min(from + DAY, now) });
  }
  return out;
}

/** The devices a config shows, group by group, each with its public name (missing devices are skipped). */
export function selectEntries(
  config: StatusPageConfig,
  devices: readonly Device[],
): { name: Localized; devices: { device: Device; name: Localized }[] }[] {
  const byId = new Map(devices.map((d) => [d.id, d]));
  return config.groups.map((g) => {
    const chosen: { device: Device; name: Localized }[] = [];
    const seen = new Set<string>();
    for (const e of g.entries ?? []) {
      const d = byId.get(e.device);
      if (!d || seen.has(d.id)) continue;
      seen.add(d.id);
      chosen.push({ device: d, name: e.name ? localize(e.name) : { id: d.name, en: d.name } });
    }
    if (g.types) {
      for (const d of devices) {
        if (!g.types.includes(d.type) || seen.has(d.id)) continue;
        seen.add(d.id);
        chosen.push({ device: d, name: { id: d.name, en: d.name } });
      }
    }
    return { name: localize(g.name), devices: chosen };
  });
}

const slaDevice = (d: Device) => ({ id: d.id, name: d.name, type: d.type, kecamatan: d.kecamatan });

const ref = (alertId: string) => createHash('sha256').update(`pantau-incident:${alertId}`).digest('hex').slice(0, 16);

const WORST: PublicState[] = ['down', 'degraded', 'maintenance', 'unknown', 'up'];

/** The whole public page model. */
export function buildPublicStatus(inp: StatusInputs): PublicStatus {
  const { config, now } = inp;
  const windows = dayWindows(now, config.historyDays, inp.zoneOffsetMs);
  const from = windows[0]!.from;
  const publicName = new Map<string, Localized>();

  const groups: PublicGroup[] = selectEntries(config, inp.devices).map((g, gi) => {
    const bars = config.groups[gi]!.bars;
    const counts: Record<PublicState, number> = { up: 0, degraded: 0, down: 0, maintenance: 0, unknown: 0 };
    const perDay = windows.map(() => [] as ReturnType<typeof deviceSla>[]);
    const entries = g.devices.map(({ device, name }) => {
      if (!publicName.has(device.id)) publicName.set(device.id, name);
      const st = inp.statuses.get(device.id);
      const state = publicState(st?.state);
      counts[state]++;
      const entry: PublicEntry = { name, state, ...(st && st.state !== 'UNKNOWN' ? { since: st.since } : {}) };
      if (bars === 'none') return entry;
      const t = inp.timelines.get(device.id);
      const rows = windows.map((w, i) => {
        const r = deviceSla(slaDevice(device), t, w.from, w.to);
        perDay[i]!.push(r);
        return r;
      });
      if (bars === 'entry') {
        entry.days = rows.map((r, i) => ({
          date: windows[i]!.date,
          availabilityPct: r.availabilityPct,
          downtimeMs: r.downtimeMs,
          level: dayLevel(r.availabilityPct, r.maintenanceMs),
        }));
        entry.availabilityPct = deviceSla(slaDevice(device), t, from, now).availabilityPct;
      }
      return entry;
    });
    const group: PublicGroup = { name: g.name, entries, counts };
    if (bars === 'group' && entries.length > 0) {
      group.days = perDay.map((rows, i) => {
        const f = computeGroups(rows, () => 'g')[0]!;
        return {
          date: windows[i]!.date,
          availabilityPct: f.availabilityPct,
          downtimeMs: f.downtimeMs,
          level: dayLevel(f.availabilityPct, f.maintenanceMs),
        };
      });
      group.availabilityPct = computeGroups(
        g.devices.map(({ device }) => deviceSla(slaDevice(device), inp.timelines.get(device.id), from, now)),
        () => 'g',
      )[0]!.availabilityPct;
    }
    return group;
  });

  const current: PublicIncident[] = [];
  const recent: PublicIncident[] = [];
  const since = now - config.incidentDays * DAY;
  for (const a of inp.alerts) {
    if (a.severity === 'info' || a.rule === 'pantau_health') continue;
    if (
      a.status === 'resolved' &&
      (a.resolvedReason === 'folded' || a.resolvedReason === 'device_removed' || (a.resolvedAt ?? a.updatedAt) < since)
    )
      continue;
    const touched = [...new Set([a.deviceId, ...a.affected])].filter((id) => publicName.has(id));
    if (touched.length === 0) continue;
    const names = touched.map((id) => publicName.get(id)!);
    const inc: PublicIncident = {
      ref: ref(a.id),
      kind: a.rule === 'device_down' ? 'outage' : 'degraded',
      status: a.status === 'resolved' ? 'resolved' : a.status === 'acknowledged' ? 'identified' : 'investigating',
      names: names.slice(0, MAX_NAMES),
      more: Math.max(0, names.length - MAX_NAMES),
      startedAt: a.openedAt,
      updatedAt: a.updatedAt,
      ...(a.resolvedAt !== undefined ? { resolvedAt: a.resolvedAt } : {}),
      ...(a.publicMessage ? { message: a.publicMessage } : {}),
    };
    (a.status === 'resolved' ? recent : current).push(inc);
  }
  current.sort((x, y) => y.startedAt - x.startedAt);
  recent.sort((x, y) => (y.resolvedAt ?? 0) - (x.resolvedAt ?? 0));

  const all = groups.flatMap((g) => g.entries.map((e) => e.state));
  const overall =
    WORST.find((s) => s !== 'unknown' && s !== 'up' && all.includes(s)) ?? (all.includes('up') ? 'up' : 'unknown');
  return {
    title: localize(config.title),
    ...(config.description ? { description: localize(config.description) } : {}),
    generatedAt: now,
    overall,
    groups,
    current,
    recent: recent.slice(0, 50),
    historyDays: config.historyDays,
  };
}
