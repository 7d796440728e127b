import type { Inventory } from './topology.js';

/** The zone of a device that names none and has no ancestor that does. */
export const DEFAULT_ZONE = 'default';

/**
 * deviceId → zone (docs/scale.md): a device's own `zone`, else its nearest ancestor's, else
 * "default". Collectors split their work by it (cluster/assign.ts); the alert engine counts silent
 * devices by it (ADR 0406), so both always agree on what a zone holds.
 */
export function zonesOf(inv: Inventory): Map<string, string> {
  const out = new Map<string, string>();
  const resolve = (id: string, depth: number): string => {
    const known = out.get(id);
    if (known !== undefined) return known;
    const d = inv.byId.get(id);
    const own = (d as { zone?: string } | undefined)?.zone;
    const z = own ?? (d && d.parent !== null && depth < 1000 ? resolve(d.parent, depth + 1) : DEFAULT_ZONE);
    out.set(id, z);
    return z;
  };
  for (const d of inv.devices) resolve(d.id, 0);
  return out;
}
