/**
 * Who polls which device (pure). A device's zone is its own `zone`, else its nearest ancestor's,
 * else "default". Within a zone, the device goes to the live collector serving that zone with the
 * highest rendezvous score hash(member, device): adding or removing one collector moves only the
 * devices that collector gains or had (about 1/n of the zone), and every collector computes the same
 * answer from the same member list without talking to the others.
 *
 * A member that joins only counts from its `activeFrom` (a moment every member learns about a few
 * heartbeats ahead), so the old and the new owner hand a device over at the same instant: no slot
 * polled twice, none missed. A member that dies counts until its heartbeat key expires.
 */
import { createHash } from 'node:crypto';
// The zone rule lives in core/, shared with the alert engine's no-data count (ADR 0406).
export { DEFAULT_ZONE, zonesOf } from '../core/inventory/zones.js';

export type ClusterRole = 'collector' | 'core' | 'web';

export interface Member {
  name: string;
  role: ClusterRole;
  /** Zones served (collectors); empty = every zone. */
  zones: string[];
  /** Owns devices from this instant (epoch ms). */
  activeFrom: number;
  startedAt: number;
  /** Last heartbeat (epoch ms). */
  at: number;
  /** What the member reports about itself (devices owned, buffered results, lag…). */
  stats?: Record<string, number>;
}

export function servesZone(m: Pick<Member, 'zones'>, zone: string): boolean {
  return m.zones.length === 0 || m.zones.includes(zone);
}

function score(member: string, deviceId: string): bigint {
  return createHash('sha1').update(member).update('\0').update(deviceId).digest().readBigUInt64BE(0);
}

/** The collector that polls `deviceId` at time `t`, or undefined when its zone has none. */
export function ownerOf(deviceId: string, zone: string, members: readonly Member[], t: number): string | undefined {
  let best: string | undefined;
  let bestScore = -1n;
  for (const m of members) {
    if (m.role !== 'collector' || m.activeFrom > t || !servesZone(m, zone)) continue;
    const s = score(m.name, deviceId);
    if (s > bestScore || (s === bestScore && best !== undefined && m.name < best)) {
      best = m.name;
      bestScore = s;
    }
  }
  return best;
}

/** The devices `self` owns at `t`. */
export function ownedBy(
  self: string,
  zones: ReadonlyMap<string, string>,
  members: readonly Member[],
  t: number,
): Set<string> {
  const out = new Set<string>();
  for (const [id, zone] of zones) if (ownerOf(id, zone, members, t) === self) out.add(id);
  return out;
}

/** The next instant after `t` at which a known member starts owning devices (a planned handover). */
export function nextHandoverAt(members: readonly Member[], t: number): number | undefined {
  let next: number | undefined;
  for (const m of members)
    if (m.role === 'collector' && m.activeFrom > t && (next === undefined || m.activeFrom < next)) next = m.activeFrom;
  return next;
}

/**
 * When a member joining at `now` starts owning devices: after `settleMs` (every member has read its
 * heartbeat by then), on a half second, so ICMP slots (whole seconds) never sit on the boundary.
 */
export function activationTime(now: number, settleMs: number): number {
  return Math.ceil((now + settleMs) / 1000) * 1000 + 500;
}

/** Zones of the inventory that no live collector serves (the NOC header warns about them). */
export function orphanZones(zones: ReadonlyMap<string, string>, members: readonly Member[]): string[] {
  const all = new Set(zones.values());
  const collectors = members.filter((m) => m.role === 'collector');
  return [...all].filter((z) => !collectors.some((m) => servesZone(m, z))).sort();
}
