/**
 * What the NOC header warns about in a cluster (pure): collectors seen before and gone now, zones
 * of the inventory that no live collector serves, no core. "Seen before" comes from a Redis hash
 * every web server keeps (name → last heartbeat), so a restarted web server still knows.
 */
import type { ClusterView } from '../core/realtime.js';
import { orphanZones, type Member } from './assign.js';

/** The hash of collectors seen (name → last heartbeat) the web servers keep; `pantau cluster status` reads it. */
export const collectorsSeenKey = (prefix: string) => `${prefix}collectors-seen`;

/** A collector gone longer than this is forgotten (taken out of service on purpose). */
export const FORGET_MISSING_MS = 24 * 3600_000;

export function clusterView(
  members: readonly Member[],
  zones: ReadonlyMap<string, string>,
  seen: ReadonlyMap<string, number>,
  now: number,
): ClusterView {
  const live = new Set(members.filter((m) => m.role === 'collector').map((m) => m.name));
  const missingCollectors = [...seen]
    .filter(([name, at]) => !live.has(name) && now - at < FORGET_MISSING_MS)
    .map(([name, lastSeen]) => ({ name, lastSeen }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const counts = new Map<string, number>();
  for (const z of zones.values()) counts.set(z, (counts.get(z) ?? 0) + 1);
  const zonesWithoutCollector = orphanZones(zones, members).map((zone) => ({ zone, devices: counts.get(zone) ?? 0 }));
  return { missingCollectors, zonesWithoutCollector, core: members.some((m) => m.role === 'core') };
}

export function sameView(a: ClusterView | undefined, b: ClusterView): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
