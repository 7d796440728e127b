import type { SessionUser } from '../../core/realtime.js';

interface RouteLike {
  groups: readonly string[];
  escalate?: readonly { groups: readonly string[] }[];
}

/** Every notification group some route (or escalation step) names: the groups that can receive anything. */
export function groupsNamedByRouting(routing: readonly RouteLike[]): Set<string> {
  const out = new Set<string>();
  for (const r of routing) {
    for (const g of r.groups) out.add(g);
    for (const e of r.escalate ?? []) for (const g of e.groups) out.add(g);
  }
  return out;
}

/**
 * A technician whose groups no route names would see an empty alert list: a false all-clear
 * during an outage (issue 11). Such a technician sees every alert instead, and the page says why.
 */
export function scopeUser(user: SessionUser, receiving: ReadonlySet<string> | undefined): SessionUser {
  if (user.role !== 'technician' || !receiving) return user;
  const routed = user.groups.some((g) => receiving.has(g));
  return routed ? user : { ...user, allAlerts: true };
}
