import { DEVICE_TYPES } from './schema.js';
import type { Inventory } from './topology.js';

/** `239 devices: 190 fiber, 20 cctv, 15 wifi, 2 village, 12 service; 13 kecamatan; topology depth 3` (no services: not named). */
export function summarizeInventory(inv: Inventory): string {
  const counts = DEVICE_TYPES.map((t) => ({ t, n: inv.devices.filter((d) => d.type === t).length }))
    .filter(({ t, n }) => t !== 'service' || n > 0)
    .map(({ t, n }) => `${n} ${t}`);
  const kecamatan = new Set(inv.devices.map((d) => d.kecamatan)).size;
  return `${inv.devices.length} devices: ${counts.join(', ')}; ${kecamatan} kecamatan; topology depth ${inv.maxDepth()}`;
}
