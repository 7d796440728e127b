import L from 'leaflet';
import type { DeviceState } from '../../core/types.js';
import { EDGE_STYLE } from './colors.js';
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
 * Uplinks on their own canvas below the markers. A quiet base line holds every shown uplink and is
 * drawn once; each non-UP state has an overlay line on top of it holding only that state's uplinks.
 * A state change moves one uplink between two small overlays: the 10,000-segment base is never
 * rebuilt for it (it is only redrawn by the canvas where the overlay changed).
 */
export function createEdges(map: L.Map, live: LiveState): Edges {
  const pane = map.createPane('edges');
  pane.style.zIndex = '390';
  const renderer = L.canvas({ padding: 0.1, pane: 'edges' });
  const line = (s: DeviceState) => L.polyline([], { ...EDGE_STYLE[s], renderer, interactive: false, pane: 'edges', lineCap: 'round' }).addTo(map);
  const base = line('UP');
  const overlays = new Map<DeviceState, L.Polyline>(STATES.filter((s) => s !== 'UP').map((s) => [s, line(s)]));
  /** child id → the state its uplink is drawn in (only shown devices with a known parent). */
  const drawnAs = new Map<string, DeviceState>();
  const byState = new Map<DeviceState, Set<string>>(STATES.map((s) => [s, new Set()]));

  const segment = (id: string): L.LatLngExpression[] | undefined => {
    const d = live.devices.get(id);
    const p = d?.parent ? live.devices.get(d.parent) : undefined;
    return d && p ? [[p.lat, p.lon], [d.lat, d.lon]] : undefined;
  };
  const redraw = (s: DeviceState) => {
    if (s === 'UP') return; // UP uplinks are the base line itself
    const segs: L.LatLngExpression[][] = [];
    for (const id of byState.get(s)!) { const g = segment(id); if (g) segs.push(g); }
    overlays.get(s)!.setLatLngs(segs);
  };
  const move = (id: string, to: DeviceState | undefined, dirty: Set<DeviceState>) => {
    const from = drawnAs.get(id);
    if (from === to) return;
    if (from) { byState.get(from)!.delete(id); dirty.add(from); }
    if (to) { byState.get(to)!.add(id); dirty.add(to); drawnAs.set(id, to); } else drawnAs.delete(id);
  };

  let shownNow: ReadonlySet<string> = new Set();
  return {
    setShown(shown) {
      shownNow = shown;
      const segs: L.LatLngExpression[][] = [];
      const dirty = new Set<DeviceState>();
      for (const id of [...drawnAs.keys()]) if (!shown.has(id)) move(id, undefined, dirty);
      for (const id of shown) {
        const g = segment(id);
        if (!g) continue;
        segs.push(g);
        move(id, live.stateOf(id), dirty);
      }
      base.setLatLngs(segs);
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
