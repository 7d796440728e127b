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
  const escalate = [...steps.entries()].sort((x, y) => x[0] - y[0]).map(([afterMin, s]) => ({ afterMin, groups: [...s].filter((g) => !groups.has(g)) }));
  return { groups: [...groups], escalate: escalate.filter((e) => e.groups.length > 0) };
}
