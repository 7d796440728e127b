import type { Alert } from '../../core/types.js';
import type { RouteConfig } from '../../core/config/sections/alerting.js';

export interface RouteDecision {
  /** Level 0: notified when the alert opens. */
  groups: string[];
  /** Level i+1: notified when still unacknowledged `afterMin` after opening. */
  escalate: { afterMin: number; groups: string[] }[];
}

function matches(r: RouteConfig, a: Alert, tags: readonly string[]): boolean {
  const m = r.match;
  if (m.kecamatan && !m.kecamatan.includes(a.kecamatan)) return false;
  if (m.type && !m.type.includes(a.deviceType)) return false;
  if (m.severity && !m.severity.includes(a.severity)) return false;
  if (m.tags && !m.tags.some((t) => tags.includes(t))) return false;
  return true;
}

/**
 * Routes in order: the first match decides, unless it says `continue`, then later matches add
 * their groups too (escalation steps with the same afterMin are merged). Pure.
 */
export function route(routes: readonly RouteConfig[], a: Alert, tags: readonly string[] = []): RouteDecision {
  const groups = new Set<string>();
  const steps = new Map<number, Set<string>>();
  for (const r of routes) {
    if (!matches(r, a, tags)) continue;
    for (const g of r.groups) groups.add(g);
    for (const e of r.escalate) {
      let s = steps.get(e.afterMin);
      if (!s) steps.set(e.afterMin, (s = new Set()));
      for (const g of e.groups) s.add(g);
    }
    if (!r.continue) break;
  }
  const escalate = [...steps.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([afterMin, s]) => ({ afterMin, groups: [...s].filter((g) => !groups.has(g)) }));
  return { groups: [...groups], escalate: escalate.filter((e) => e.groups.length > 0) };
}

/** Groups that some route (or escalation step) names: the only ones that ever receive an alert. */
export function receivingGroups(routes: readonly RouteConfig[]): Set<string> {
  const out = new Set<string>();
  for (const r of routes) {
    for (const g of r.groups) out.add(g);
    for (const e of r.escalate) for (const g of e.groups) out.add(g);
  }
  return out;
}

/**
 * One warning per technician who would see a false all-clear on the phone view: none of their
 * groups is named by a route, so no alert is ever routed to them. Pure (for `pantau validate`).
 */
export function technicianRoutingWarnings(
  users: readonly { username: string; role: string; groups: readonly string[] }[],
  routes: readonly RouteConfig[],
): string[] {
  const receiving = receivingGroups(routes);
  return users
    .filter((u) => u.role === 'technician' && !u.groups.some((g) => receiving.has(g)))
    .map((u) =>
      u.groups.length === 0
        ? `technician "${u.username}" belongs to no notification group: no alert is routed to them (pantau user add … --groups <group>)`
        : `technician "${u.username}" is in ${u.groups.map((g) => `"${g}"`).join(', ')}, which no route in alerting.routing names: no alert is routed to them`,
    );
}

/** Kecamatan where a warning alert would be routed to nobody (pure, for `pantau validate`). */
export function unroutedKecamatan(kecamatan: readonly string[], routes: readonly RouteConfig[]): string[] {
  return kecamatan.filter(
    (k) => route(routes, { kecamatan: k, deviceType: '', severity: 'warning' } as Alert).groups.length === 0,
  );
}
