import type { Device } from '../../core/types.js';
import type { DeviceMachine, NoDataContext } from './types.js';

/*
 * No data (ADR 0406): silence is not health. Checked on every tick, never on results (none arrive).
 *
 *   from       evidence                                                              → to
 *   any        no result of the reachability probe for longer than afterMs(device),
 *              counted from max(last such result, `from`)                             → no data (noDataSince = that instant)
 *   no data    a result of the reachability probe (ok or not) arrives                 → cleared; the ordinary
 *                                                                                       machine decides (device.ts)
 *
 * `from` is the start grace: the shell's start, or the moment results could flow again after a
 * known break in their path (a Redis outage at the core: the collectors spool meanwhile). While a
 * device has no data it is effective UNKNOWN, reason 'no_data' (maintenance still wins): it is not
 * DOWN, so it opens no DOWN alert and notifies no technician; its observed state and open alerts
 * stand, since nothing says they changed. The NOC hears of it through one alert per zone.
 */
export function silenceCheck(
  m: DeviceMachine,
  device: Device,
  nd: NoDataContext,
  from: number,
  now: number,
): DeviceMachine {
  // Only a result clears it: a restart does not make old silence news again.
  if (m.noDataSince !== undefined) return m;
  const last = Math.max(m.lastReachAt ?? -Infinity, from);
  if (now - last <= nd.afterMs(device)) return m;
  return { ...m, noDataSince: last };
}

export interface ZoneSilence {
  count: number;
  /** The earliest last-result instant among the zone's silent devices. */
  since: number;
}

/** Silent devices per zone (devices in maintenance are expected to be quiet and are not counted). */
export function silentZones(
  devices: readonly Device[],
  machine: (id: string) => DeviceMachine | undefined,
  nd: NoDataContext,
): Map<string, ZoneSilence> {
  const out = new Map<string, ZoneSilence>();
  for (const d of devices) {
    const m = machine(d.id);
    if (m?.noDataSince === undefined || m.effective === 'MAINTENANCE') continue;
    const zone = nd.zoneOf(d.id);
    const z = out.get(zone);
    if (z) {
      z.count += 1;
      z.since = Math.min(z.since, m.noDataSince);
    } else out.set(zone, { count: 1, since: m.noDataSince });
  }
  return out;
}

/** The no-data threshold: max(intervals × the reachability probe's interval, minS). */
export function noDataAfterMs(intervalS: number, cfg: { intervals: number; minS: number }): number {
  return Math.max(cfg.intervals * intervalS, cfg.minS) * 1000;
}
