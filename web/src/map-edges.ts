import L from 'leaflet';
import type { DeviceState } from '../../core/types.js';
import { EDGE_STYLE } from './colors.js';
import { flushedCanvas } from './flushed-canvas.js';
import { leafUplinksShown } from './uplinks.js';
import type { LiveState } from './live.js';

const STATES = Object.keys(EDGE_STYLE) as DeviceState[];

export interface Edges {
  /** The set of shown devices changed (filter, inventory): rebuilds every line once. */
  setShown(shown: ReadonlySet<string>): void;
  /** These devices may have changed state: moves their uplinks between lines, redraws only those lines. */
  update(ids: Iterable<string>): void;
  /** Forget positions and states (inventory reload); the next setShown rebuilds. */
  reset(): void;
  /** Shown uplinks per state of the child device. */
  counts(): Record<string, number>;
}

/**
 * Uplinks on their own canvases below the markers. A quiet base line holds every shown uplink and is
 * drawn once per view on its own canvas; each non-UP state has an overlay line on a second canvas on
 * top of it holding only that state's uplinks.
 * A state change moves one uplink between two small overlays: the 10,000-segment base is never
 * rebuilt for it (it is only redrawn by the canvas where the overlay changed).
 */
/** Segments per canvas path. */
const CHUNK = 200;

interface ChunkedLine {
  setLatLngs(segs: L.LatLngExpression[][]): void;
}

/**
 * One style of line as several polylines of at most CHUNK segments. Skia strokes one path of
 * 10,000 long, crossing segments slowly in software (1.7 s measured at 10,000 devices); the same
 * segments as paths of 200 take a fraction of that.
 */
function chunkedLine(map: L.Map, options: L.PolylineOptions): ChunkedLine {
  const parts: L.Polyline[] = [];
  return {
    setLatLngs(segs) {
      const need = Math.ceil(segs.length / CHUNK);
      while (parts.length < need) parts.push(L.polyline([], options).addTo(map));
      while (parts.length > Math.max(need, 1)) parts.pop()!.remove();
      if (parts.length === 0) parts.push(L.polyline([], options).addTo(map));
      parts.forEach((p, i) => p.setLatLngs(segs.slice(i * CHUNK, (i + 1) * CHUNK)));
    },
  };
}

export function createEdges(map: L.Map, live: LiveState): Edges {
  const pane = map.createPane('edges');
  pane.style.zIndex = '390';
  // The base line has a canvas of its own: a state change redraws only the small overlays' canvas,
  // never the 10,000 base segments (they are redrawn on pan and zoom only).
  const baseRenderer = flushedCanvas({ padding: 0.1, pane: 'edges' });
  const renderer = flushedCanvas({ padding: 0.1, pane: 'edges' });
  const line = (s: DeviceState, r = renderer) =>
    chunkedLine(map, { ...EDGE_STYLE[s], renderer: r, interactive: false, pane: 'edges', lineCap: 'round' });
  const base = line('UP', baseRenderer);
  // Uplinks of leaf devices (cameras, APs, ONTs) in a big network: only once zoomed in (see leafUplinksShown).
  const leaves = line('UP', baseRenderer);
  let leafSegs: L.LatLngExpression[][] = [];
  let leavesDrawn = false;
  const drawLeaves = () => {
    const want = leafUplinksShown(map.getZoom(), shownNow.size);
    if (want === leavesDrawn) return;
    leavesDrawn = want;
    leaves.setLatLngs(want ? leafSegs : []);
  };
  map.on('zoomend', drawLeaves);
  const overlays = new Map<DeviceState, ChunkedLine>(STATES.filter((s) => s !== 'UP').map((s) => [s, line(s)]));
  /** child id → the state its uplink is drawn in (only shown devices with a known parent). */
  const drawnAs = new Map<string, DeviceState>();
  const byState = new Map<DeviceState, Set<string>>(STATES.map((s) => [s, new Set()]));

  const segment = (id: string): L.LatLngExpression[] | undefined => {
    const d = live.devices.get(id);
    const p = d?.parent ? live.devices.get(d.parent) : undefined;
    return d && p
      ? [
          [p.lat, p.lon],
          [d.lat, d.lon],
        ]
      : undefined;
  };
  const redraw = (s: DeviceState) => {
    if (s === 'UP') return; // UP uplinks are the base line itself
    const segs: L.LatLngExpression[][] = [];
    for (const id of byState.get(s)!) {
      const g = segment(id);
      if (g) segs.push(g);
    }
    overlays.get(s)!.setLatLngs(segs);
  };
  const move = (id: string, to: DeviceState | undefined, dirty: Set<DeviceState>) => {
    const from = drawnAs.get(id);
    if (from === to) return;
    if (from) {
      byState.get(from)!.delete(id);
      dirty.add(from);
    }
    if (to) {
      byState.get(to)!.add(id);
      dirty.add(to);
      drawnAs.set(id, to);
    } else drawnAs.delete(id);
  };

  let shownNow: ReadonlySet<string> = new Set();
  return {
    setShown(shown) {
      shownNow = shown;
      const segs: L.LatLngExpression[][] = [];
      leafSegs = [];
      const dirty = new Set<DeviceState>();
      for (const id of [...drawnAs.keys()]) if (!shown.has(id)) move(id, undefined, dirty);
      for (const id of shown) {
        const g = segment(id);
        if (!g) continue;
        (live.children.has(id) ? segs : leafSegs).push(g);
        move(id, live.stateOf(id), dirty);
      }
      base.setLatLngs(segs);
      leavesDrawn = !leafUplinksShown(map.getZoom(), shown.size);
      drawLeaves();
      for (const s of dirty) redraw(s);
    },
    update(ids) {
      const dirty = new Set<DeviceState>();
      for (const id of ids) if (shownNow.has(id) && drawnAs.has(id)) move(id, live.stateOf(id), dirty);
      for (const s of dirty) redraw(s);
    },
    reset() {
      drawnAs.clear();
      for (const set of byState.values()) set.clear();
      for (const o of overlays.values()) o.setLatLngs([]);
    },
    counts() {
      const out: Record<string, number> = {};
      for (const [s, set] of byState) out[s] = set.size;
      return out;
    },
  };
}
