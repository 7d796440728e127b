/** Which uplinks the map draws at a zoom (pure, unit-tested; map-edges.ts draws them). */

/** Up to this many shown devices, every uplink is drawn at every zoom. */
export const ALL_UPLINKS_UP_TO = 2000;
/** In a bigger network, healthy uplinks of leaf devices are drawn from this zoom on (clusters end at 13). */
export const LEAF_UPLINK_ZOOM = 12;

/**
 * Whether the healthy uplinks of leaf devices are drawn. At 10,000 devices the overview would be
 * 10,000 faint lines under the cluster bubbles (noise, and 0.7–1.7 s of software drawing per view);
 * backbone links (devices with children) and every uplink in trouble are always drawn.
 */
export function leafUplinksShown(zoom: number, shown: number): boolean {
  return shown <= ALL_UPLINKS_UP_TO || zoom >= LEAF_UPLINK_ZOOM;
}
