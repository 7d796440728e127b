import type { Inventory } from '../core/inventory/topology.js';
import type { MaintenanceWindow } from '../core/services.js';

const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;

/**
 * Is the window on at `now`? One-off: [startsAt, endsAt). Recurring: occurrences start at
 * `startMinuteWib` every day (or on `days`, 0 = Sunday, WIB) and last `durationMin`; the series
 * itself is bounded by [startsAt, endsAt). An occurrence may run past midnight.
 */
export function windowActive(w: MaintenanceWindow, now: number): boolean {
  if (!w.recurrence) return now >= w.startsAt && now < w.endsAt;
  if (now < w.startsAt || now >= w.endsAt) return false;
  const r = w.recurrence;
  const wibDayStart = Math.floor((now + WIB_OFFSET_MS) / DAY_MS) * DAY_MS - WIB_OFFSET_MS;
  for (const dayStart of [wibDayStart, wibDayStart - DAY_MS]) {
    const weekday = new Date(dayStart + WIB_OFFSET_MS).getUTCDay();
    if (r.every === 'week' && !(r.days ?? []).includes(weekday)) continue;
    const start = dayStart + r.startMinuteWib * 60_000;
    if (now >= start && now < start + r.durationMin * 60_000) return true;
  }
  return false;
}

/** The active window covering a device (its own, or a subtree window of an ancestor), if any. */
export function coveringWindow(
  deviceId: string,
  windows: readonly MaintenanceWindow[],
  inventory: Inventory,
  now: number,
): MaintenanceWindow | undefined {
  if (windows.length === 0) return undefined;
  const active = windows.filter((w) => windowActive(w, now));
  if (active.length === 0) return undefined;
  const own = active.find((w) => w.deviceId === deviceId);
  if (own) return own;
  const ancestors = new Set(inventory.ancestors(deviceId).map((d) => d.id));
  return active.find((w) => w.subtree && ancestors.has(w.deviceId));
}
