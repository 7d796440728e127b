import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import type { DeviceState } from '../../core/types.js';
import type { DeviceView } from '../../server/realtime/events.js';
import { EDGE_STYLE, STATE_COLOR, STATE_RANK } from './colors.js';
import { t } from './i18n.js';
import type { LiveState } from './live.js';

const RADIUS: Record<string, number> = { core: 10, distribution: 7, access: 5, ont: 4, camera: 4.5, ap: 4.5 };
const STATES = Object.keys(EDGE_STYLE) as DeviceState[];

interface DeviceMarker extends L.CircleMarker { deviceId: string }

export interface NocMap {
  /** Redraws the given devices' markers and all uplinks (batched to one frame). */
  update(ids: Iterable<string>): void;
  setFilter(visible: (d: DeviceView) => boolean): void;
  /** After the device list changed (inventory reload): adds, removes and moves markers, then redraws. */
  syncDevices(): void;
  focus(id: string): void;
  /** Back to the whole network. */
  fitAll(): void;
  invalidate(): void;
  stats(): { markers: number; visible: number; edges: Record<string, number> };
}

/**
 * Leaflet on a canvas renderer: 10,000 circle markers and one multi-polyline per state stay fast,
 * where 10,000 DOM markers would not. Uplinks are grouped by the child's state, so redrawing after
 * a fiber cut is six polylines, not thousands.
 */
export function createMap(el: HTMLElement, live: LiveState, opts: { onSelect(id: string): void; onTilesFailed(): void }): NocMap {
  const renderer = L.canvas({ padding: 0.3, tolerance: 4 });
  const map = L.map(el, { preferCanvas: true, renderer, zoomControl: true, attributionControl: true, minZoom: 7, maxZoom: 18, worldCopyJump: false, zoomSnap: 0.25, zoomDelta: 0.5 });
  map.attributionControl.setPrefix(false);

  let tileErrors = 0;
  if (live.ui.tileUrl) {
    const tiles = L.tileLayer(live.ui.tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap', crossOrigin: false });
    tiles.on('tileerror', () => { if (++tileErrors === 3) opts.onTilesFailed(); });
    tiles.addTo(map);
  } else {
    opts.onTilesFailed();
  }

  const edgePane = map.createPane('edges');
  edgePane.style.zIndex = '390';
  const labelPane = map.createPane('labels');
  labelPane.style.zIndex = '380';
  labelPane.style.pointerEvents = 'none';

  // District names give bearings when no tiles load (a NOC without internet).
  const byKec = new Map<string, { lat: number; lon: number; n: number }>();
  for (const d of live.devices.values()) {
    const k = byKec.get(d.kecamatan) ?? { lat: 0, lon: 0, n: 0 };
    k.lat += d.lat; k.lon += d.lon; k.n++;
    byKec.set(d.kecamatan, k);
  }
  const edges = new Map<DeviceState, L.Polyline>();
  const edgeRenderer = L.canvas({ padding: 0.3, pane: 'edges' });
  for (const s of STATES) {
    const line = L.polyline([], { ...EDGE_STYLE[s], renderer: edgeRenderer, interactive: false, pane: 'edges', lineCap: 'round' });
    line.addTo(map);
    edges.set(s, line);
  }

  const clusters = L.markerClusterGroup({
    chunkedLoading: true, animate: false, spiderfyOnMaxZoom: false, showCoverageOnHover: false,
    maxClusterRadius: 28, disableClusteringAtZoom: 13, removeOutsideVisibleBounds: true,
    iconCreateFunction(cluster) {
      let worst: DeviceState = 'UP';
      let bad = 0;
      for (const m of cluster.getAllChildMarkers() as unknown as DeviceMarker[]) {
        const s = live.stateOf(m.deviceId);
        if (STATE_RANK[s] < STATE_RANK[worst]) worst = s;
        if (s === 'DOWN' || s === 'UNREACHABLE') bad++;
      }
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 50 ? 36 : 44;
      return L.divIcon({ className: `cluster cluster-${worst.toLowerCase()}`, iconSize: [size, size], html: `<span>${bad > 0 ? `${bad}/${n}` : n}</span>` });
    },
  });
  map.addLayer(clusters);
  // A problem is never hidden inside a cluster: DOWN/UNREACHABLE/DEGRADED markers sit on their own layer.
  const problems = L.layerGroup();
  map.addLayer(problems);
  const isProblem = (id: string) => { const s = live.stateOf(id); return s === 'DOWN' || s === 'UNREACHABLE' || s === 'DEGRADED'; };

  const markers = new Map<string, DeviceMarker>();
  const styleFor = (d: DeviceView) => {
    const s = live.stateOf(d.id);
    const bad = s === 'DOWN' || s === 'UNREACHABLE';
    return { radius: (RADIUS[d.role] ?? 5) + (bad ? 1.5 : 0), fillColor: STATE_COLOR[s], color: bad ? '#fecaca' : '#0b1420', weight: bad ? 2 : 1.2, fillOpacity: 0.95, opacity: 1 };
  };
  const addMarker = (d: DeviceView) => {
    const id = d.id;
    const m = L.circleMarker([d.lat, d.lon], { renderer, ...styleFor(d) }) as DeviceMarker;
    m.deviceId = id;
    // Read the view at hover time: an inventory reload may rename or move the device.
    m.bindTooltip(() => {
      const v = live.devices.get(id) ?? d;
      return `${escapeHtml(v.name)}<br><small>${escapeHtml(t(live.stateOf(id)))} · ${escapeHtml(v.address)}</small>`;
    }, { direction: 'top', offset: [0, -6] });
    m.on('click', () => opts.onSelect(id));
    markers.set(id, m);
  };
  for (const d of live.devices.values()) addMarker(d);
  let visible: (d: DeviceView) => boolean = () => true;
  let shown = new Set<string>();
  /** Where each shown marker lives: 'c' cluster group, 'p' problem layer. */
  const where = new Map<string, 'c' | 'p'>();
  /** Moves markers to the layer their visibility and state call for, in batches (addLayers is chunked). */
  const place = (ids: Iterable<string>) => {
    const addC: L.Layer[] = []; const remC: L.Layer[] = []; const refresh: L.Marker[] = [];
    for (const id of ids) {
      const m = markers.get(id);
      if (!m) continue;
      const want = shown.has(id) ? (isProblem(id) ? 'p' : 'c') : undefined;
      const now = where.get(id);
      if (want === now) { if (now === 'c') refresh.push(m as unknown as L.Marker); continue; }
      if (now === 'c') remC.push(m); else if (now === 'p') problems.removeLayer(m);
      if (want === 'c') addC.push(m); else if (want === 'p') problems.addLayer(m);
      if (want) where.set(id, want); else where.delete(id);
    }
    if (remC.length) clusters.removeLayers(remC);
    if (addC.length) clusters.addLayers(addC);
    if (refresh.length) clusters.refreshClusters(refresh);
  };
  const applyFilter = () => {
    const next = new Set<string>();
    for (const d of live.devices.values()) if (visible(d)) next.add(d.id);
    const changed = [...next].filter((id) => !shown.has(id)).concat([...shown].filter((id) => !next.has(id)));
    shown = next;
    place(changed);
    drawEdges();
  };

  const drawEdges = () => {
    const segs = new Map<DeviceState, L.LatLngExpression[][]>(STATES.map((s) => [s, []]));
    for (const d of live.devices.values()) {
      if (!d.parent || !shown.has(d.id)) continue;
      const p = live.devices.get(d.parent);
      if (!p) continue;
      segs.get(live.stateOf(d.id))!.push([[p.lat, p.lon], [d.lat, d.lon]]);
    }
    for (const [s, line] of edges) line.setLatLngs(segs.get(s)!);
  };

  let pending = new Set<string>();
  let frame = 0;
  const flush = () => {
    frame = 0;
    const ids = pending;
    pending = new Set();
    for (const id of ids) {
      const m = markers.get(id); const d = live.devices.get(id);
      if (!m || !d) continue;
      const st = styleFor(d);
      m.setStyle(st);
      m.setRadius(st.radius);
    }
    place(ids);
    drawEdges();
  };

  for (const [name, k] of byKec) {
    L.marker([k.lat / k.n, k.lon / k.n], { pane: 'labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: 'kec-label', html: `<span>${escapeHtml(name)}</span>`, iconSize: [0, 0] }) }).addTo(map);
  }

  const selection = L.circleMarker([0, 0], { renderer, radius: 15, color: '#38bdf8', weight: 2.5, fill: false, interactive: false, dashArray: '4 3' });

  const bounds = L.latLngBounds([...live.devices.values()].map((d) => [d.lat, d.lon] as [number, number]));
  const fitAll = () => { if (bounds.isValid()) map.fitBounds(bounds.pad(0.05)); else { const home = live.ui.region.home; map.setView(home ? [home.lat, home.lon] : [-2.5, 118], home?.zoom ?? 5); } };
  fitAll();
  // A "whole network" button under the zoom buttons: operators zoom into a site and need the way back.
  const Home = L.Control.extend({
    onAdd() {
      const bar = L.DomUtil.create('div', 'leaflet-bar');
      const a = L.DomUtil.create('a', 'map-home', bar);
      a.href = '#';
      a.title = t('wholeNetwork');
      a.setAttribute('role', 'button');
      a.textContent = '⌂';
      L.DomEvent.on(a, 'click', (e) => { L.DomEvent.preventDefault(e); fitAll(); });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    },
  });
  new Home({ position: 'topleft' }).addTo(map);
  applyFilter();

  const update = (ids: Iterable<string>) => {
    for (const id of ids) pending.add(id);
    // Hidden tabs get no animation frames; a timer keeps the map current for the next look.
    if (!frame) frame = document.hidden ? window.setTimeout(flush, 500) : requestAnimationFrame(flush);
  };

  return {
    update,
    setFilter(f) { visible = f; applyFilter(); },
    syncDevices() {
      const gone = [...markers.keys()].filter((id) => !live.devices.has(id));
      // Hide first (place() needs the marker to take it off its layer), then forget it.
      for (const id of gone) shown.delete(id);
      place(gone);
      for (const id of gone) { markers.delete(id); pending.delete(id); }
      for (const d of live.devices.values()) {
        const m = markers.get(d.id);
        if (!m) { addMarker(d); continue; }
        const ll = m.getLatLng();
        if (ll.lat !== d.lat || ll.lng !== d.lon) {
          // Moving a clustered marker: out of the cluster group, move, back in (place() re-adds it).
          if (where.get(d.id) === 'c') { clusters.removeLayer(m); where.delete(d.id); }
          m.setLatLng([d.lat, d.lon]);
        }
      }
      applyFilter();
      update(live.devices.keys());
    },
    focus(id) {
      const d = live.devices.get(id);
      if (!d) return;
      map.setView([d.lat, d.lon], Math.max(map.getZoom(), 14));
      // A ring around the selected device, so the drawer and the map point at the same thing.
      selection.setLatLng([d.lat, d.lon]);
      if (!map.hasLayer(selection)) selection.addTo(map);
    },
    fitAll,
    invalidate: () => map.invalidateSize(),
    stats() {
      const e: Record<string, number> = {};
      for (const [s, line] of edges) e[s] = (line.getLatLngs() as unknown[]).length;
      return { markers: clusters.getLayers().length + problems.getLayers().length, visible: shown.size, edges: e };
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}
