/**
 * V8 heap settings by network size (ADR 0010). bin/pantau.mjs keeps the young generation at its
 * first size for `pantau start` and the demo (the OKU network allocates little: 2 × 16 MB of young
 * generation were ~30 MB of its RSS); a large inventory gets V8's growing young generation back,
 * before the collector starts its probe threads.
 */
import { setFlagsFromString } from 'node:v8';

/** From this many devices on, V8's default young generation (the probe workers' threshold too, ADR 0208). */
export const LARGE_NETWORK_DEVICES = 2000;

/**
 * The V8 flags `pantau start` sets for an inventory of `devices` (pure). A large network also grows
 * its old generation by 30 % of the live heap between major GCs instead of V8's up to 4×: at 10,000
 * devices V8 held ~575 MB committed for ~190 MB live (ADR 0010).
 */
export function heapFlagsFor(devices: number): string[] {
  return devices >= LARGE_NETWORK_DEVICES ? ['--semi-space-growth-factor=2', '--heap-growing-percent=30'] : [];
}

export function applyHeapFlags(devices: number): void {
  for (const f of heapFlagsFor(devices)) setFlagsFromString(f);
}
