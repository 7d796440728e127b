/**
 * FNV-1a 32-bit: tiny, stable across runs and machines, well spread for short ids. The one copy
 * (issue 17): the scheduler's slots, the engine's map buckets and the simulator's per-device
 * parameters all depend on it returning the same number for the same string, forever.
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
