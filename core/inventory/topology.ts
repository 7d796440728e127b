import type { Device } from './schema.js';

/** The inventory as a tree: parent → children, with the queries every module needs. */
export interface Inventory {
  readonly devices: readonly Device[];
  readonly byId: ReadonlyMap<string, Device>;
  readonly byAddress: ReadonlyMap<string, Device>;
  children(id: string): readonly Device[];
  /** Every device below `id` (not including it), breadth first. */
  descendants(id: string): Device[];
  /** Parents from the direct uplink up to the root. */
  ancestors(id: string): Device[];
  /** Edges from the root: root has depth 0. */
  depthOf(id: string): number;
  /** The longest root-to-leaf path, in edges. */
  maxDepth(): number;
}

/** Builds the tree; assumes a validated inventory (no cycles, no unknown parents). */
export function buildInventory(devices: readonly Device[]): Inventory {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const byAddress = new Map(devices.map((d) => [d.address, d]));
  const kids = new Map<string, Device[]>();
  for (const d of devices) {
    if (d.parent === null) continue;
    let list = kids.get(d.parent);
    if (!list) kids.set(d.parent, (list = []));
    list.push(d);
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const d = byId.get(id);
    const value = !d || d.parent === null ? 0 : depthOf(d.parent) + 1;
    depth.set(id, value);
    return value;
  };
  return {
    devices,
    byId,
    byAddress,
    children: (id) => kids.get(id) ?? [],
    descendants(id) {
      const out: Device[] = [];
      const queue = [...(kids.get(id) ?? [])];
      for (let i = 0; i < queue.length; i++) {
        const d = queue[i]!;
        out.push(d);
        queue.push(...(kids.get(d.id) ?? []));
      }
      return out;
    },
    ancestors(id) {
      const out: Device[] = [];
      let cur = byId.get(id);
      const seen = new Set<string>();
      while (cur && cur.parent !== null && !seen.has(cur.parent)) {
        seen.add(cur.parent);
        const p = byId.get(cur.parent);
        if (!p) break;
        out.push(p);
        cur = p;
      }
      return out;
    },
    depthOf,
    maxDepth: () => devices.reduce((m, d) => Math.max(m, depthOf(d.id)), 0),
  };
}
