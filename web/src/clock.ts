import { formatInZone, type Zone } from '../../core/time.js';

/** The region's zone (from the snapshot's ui.region): every time the page shows is in it. */
let zone: Zone = 'WIB';

export function setZone(z: Zone): void {
  zone = z;
}

/** An instant as `28/11/2026 08.15.03 WITA`, in the region's zone. */
export function fmtTime(ms: number, opts: { seconds?: boolean } = {}): string {
  return formatInZone(ms, zone, opts);
}
