import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import type { DeviceState } from '../../core/types.js';
import type { DeviceView } from '../../core/realtime.js';
import { EDGE_STYLE, STATE_COLOR, STATE_RANK } from './colors.js';
import { t } from './i18n.js';
import type { LiveState } from './live.js';
import { statusReason } from './reasons.js';
import { createEdges } from './map-edges.js';
import { flushedCanvas } from './flushed-canvas.js';
import { createNameLabels } from './map-labels.js';

const RADIUS: Record<string, number> = { core: 10, distribution: 7, access: 5, ont: 4, camera: 4.5, ap: 4.5 };
const PROBLEM = new Set<DeviceState>(['DOWN', 'UNREACHABLE', 'DEGRADED']);

interface DeviceMarker extends L.CircleMarker {
  deviceId: string;
}

export interface NocMap {
  /** Redraws the given devices (batched to one frame): only what changed state is touched. */
  update(ids: Iterable<string>): void;
  setFilter(visible: (d: DeviceView) => boolean): void;
  /** After the device list changed (inventory reload): adds, removes and moves markers, then redraws. */
  syncDevices(): void;
  focus(id: string): void;
  /** Back to the whole network. */
  fitAll(): void;
  invalidate(): void;
  stats(): MapStats;
  /** Where a device is drawn (tests and the benchmark check that no problem is hidden). */
  inspect(id: string): MarkerPlace | undefined;
  /** The map view, for tests that zoom in and out. */
  view(center?: [number, number], zoom?: number): { zoom: number; center: [number, number] };
}

export interface MarkerPlace {
  state: DeviceState;
  /** The base marker is in the cluster group (every shown device is). */
  clustered: boolean;
  /** The base marker itself is on the map (not folded into a bubble). */
  single: boolean;
  /** The class of the bubble it is folded into, when it is. */
  bubble: string | null;
  /** Its problem marker above the bubbles, when it has one: page coordinates of its centre. */
  problem: { x: number; y: number } | null;
  /** Page coordinates of the device. */
  at: { x: number; y: number };
  fill: string;
}

export interface MapStats {
  markers: number;
  visible: number;
  edges: Record<string, number>;
  /** Problem markers drawn above the clusters (DOWN, UNREACHABLE, DEGRADED). */
  problems: number;
  /** Whether the marker cluster group has finished placing every marker (chunked loading). */
  ready: boolean;
  /** Device names drawn (close zoom only). */
  labels: number;
}

// Cluster bubbles are many and move with the zoom: they stay out of the Tab order
// (the alert list is the keyboard path; a "skip to alerts" link leads there).
(
  L as unknown as { MarkerCluster: { prototype: { options: L.MarkerOptions } } }
).MarkerCluster.prototype.options.keyboard = false;

/**
 * Leaflet on a canvas renderer: 10,000 circle markers in a cluster group stay fast, where 10,000 DOM
 * markers would not. Every device stays in the cluster group whatever its state, so a cluster's
 * colour and "bad/total" count come from all its members (worst first). A device with a problem
 * also gets its own small DOM marker in a pane ABOVE the cluster bubbles: a problem is never hidden
 * under a bubble, and it is a separate layer object, so no layer is ever on two groups at once
 * (the old "marker vanishes when it goes DOWN" bug). A state change restyles that one marker,
 * flags its clusters' icons and redraws only the uplink lines of the states that changed.
 */
export function createMap(
  el: HTMLElement,
  live: LiveState,
  opts: { onSelect(id: string): void; onTilesFailed(): void },
): NocMap {
  const renderer = flushedCanvas({ padding: 0.1, tolerance: 4 });
  const map = L.map(el, {
    preferCanvas: true,
    renderer,
    zoomControl: true,
    attributionControl: true,
    minZoom: 7,
    maxZoom: 18,
    worldCopyJump: false,
    zoomSnap: 0.25,
    zoomDelta: 0.5,
  });
  map.attributionControl.setPrefix(false);

  let tileErrors = 0;
  if (live.ui.tileUrl) {
    const tiles = L.tileLayer(live.ui.tileUrl, { maxZoom: 19, attribution: '© OpenStreetMap', crossOrigin: false });
    tiles.on('tileerror', () => {
      if (++tileErrors === 3) opts.onTilesFailed();
    });
    tiles.addTo(map);
  } else {
    opts.onTilesFailed();
  }

  const labelPane = map.createPane('labels');
  labelPane.style.zIndex = '380';
  labelPane.style.pointerEvents = 'none';
  // Above the cluster bubbles (markerPane 600), below tooltips (650).
  map.createPane('problems').style.zIndex = '640';

  // District names give bearings when no tiles load (a NOC without internet).
  const byKec = new Map<string, { lat: number; lon: number; n: number }>();
  for (const d of live.devices.values()) {
    const k = byKec.get(d.kecamatan) ?? { lat: 0, lon: 0, n: 0 };
    k.lat += d.lat;
    k.lon += d.lon;
    k.n++;
    byKec.set(d.kecamatan, k);
  }
  const edges = createEdges(map, live);

  let placing = 0;
  const clusters = L.markerClusterGroup({
    // Chunks keep every main-thread task short while 10,000 markers are clustered.
    chunkedLoading: true,
    chunkInterval: 80,
    chunkDelay: 8,
    animate: false,
    spiderfyOnMaxZoom: false,
    showCoverageOnHover: false,
    maxClusterRadius: 28,
    disableClusteringAtZoom: 13,
    removeOutsideVisibleBounds: true,
    chunkProgress(done, total) {
      placing = done < total ? 1 : 0;
    },
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
      return L.divIcon({
        className: `cluster cluster-${worst.toLowerCase()}`,
        iconSize: [size, size],
        html: `<span>${bad > 0 ? `${bad}/${n}` : n}</span>`,
      });
    },
  });
  map.addLayer(clusters);
  const problems = L.layerGroup();
  map.addLayer(problems);

  // One tooltip for every clustered marker instead of 10,000 bound ones (memory and start-up time).
  const tip = L.tooltip({ direction: 'top', offset: [0, -6] });
  const tooltipHtml = (id: string) => {
    const v = live.devices.get(id);
    if (!v) return '';
    const why = statusReason(live.statuses.get(id));
    return `${escapeHtml(v.name)}<br><small>${escapeHtml(t(live.stateOf(id)))} · ${escapeHtml(v.address)}</small>${why ? `<br><small class="tip-reason">${escapeHtml(why)}</small>` : ''}`;
  };
  clusters.on('mouseover', (e: L.LeafletEvent & { layer?: DeviceMarker }) => {
    const m = (e as { layer?: DeviceMarker }).layer ?? (e.propagatedFrom as DeviceMarker | undefined);
    if (!m?.deviceId) return;
    tip.setLatLng(m.getLatLng()).setContent(tooltipHtml(m.deviceId));
    map.openTooltip(tip);
  });
  clusters.on('mouseout', () => {
    map.closeTooltip(tip);
  });
  clusters.on('click', (e: L.LeafletEvent) => {
    const m = (e as { layer?: DeviceMarker }).layer ?? (e.propagatedFrom as DeviceMarker | undefined);
    if (m?.deviceId) opts.onSelect(m.deviceId);
  });

  const markers = new Map<string, DeviceMarker>();
  const problemMarkers = new Map<string, L.Marker>();
  /** The state each marker is drawn in: a flush skips devices whose state did not change. */
  const drawn = new Map<string, DeviceState>();
  const styleFor = (d: DeviceView, s: DeviceState) => {
    const bad = s === 'DOWN' || s === 'UNREACHABLE';
    return {
      radius: (RADIUS[d.role] ?? 5) + (bad ? 1.5 : 0),
      fillColor: STATE_COLOR[s],
      color: bad ? '#fecaca' : '#0b1420',
      weight: bad ? 2 : 1.2,
      fillOpacity: 0.95,
      opacity: 1,
    };
  };
  const addMarker = (d: DeviceView) => {
    const s = live.stateOf(d.id);
    const m = L.circleMarker([d.lat, d.lon], { renderer, ...styleFor(d, s) }) as DeviceMarker;
    m.deviceId = d.id;
    markers.set(d.id, m);
    drawn.set(d.id, s);
  };
  const problemIcon = (d: DeviceView, s: DeviceState) => {
    const size = Math.round(((RADIUS[d.role] ?? 5) + 2) * 2);
    return L.divIcon({ className: `pm pm-${s.toLowerCase()}`, iconSize: [size, size] });
  };
  /** Adds, restyles or removes the device's marker above the clusters. */
  const syncProblem = (id: string) => {
    const d = live.devices.get(id);
    const s = live.stateOf(id);
    const want = d !== undefined && shown.has(id) && PROBLEM.has(s);
    let pm = problemMarkers.get(id);
    if (!want) {
      if (pm) {
        problems.removeLayer(pm);
        problemMarkers.delete(id);
      }
      return;
    }
    if (!pm) {
      pm = L.marker([d.lat, d.lon], {
        pane: 'problems',
        icon: problemIcon(d, s),
        keyboard: true,
        title: '',
        riseOnHover: true,
      });
      pm.bindTooltip(() => tooltipHtml(id), { direction: 'top', offset: [0, -6] });
      pm.on('click', () => opts.onSelect(id));
      pm.on('keypress', (e: L.LeafletKeyboardEvent) => {
        if (e.originalEvent.key === 'Enter') opts.onSelect(id);
      });
      problemMarkers.set(id, pm);
      problems.addLayer(pm);
      pm.getElement()?.setAttribute('data-device-id', id);
      pm.getElement()?.setAttribute('aria-label', `${d.name}: ${t(s)}`);
    } else {
      pm.setLatLng([d.lat, d.lon]);
      pm.setIcon(problemIcon(d, s));
      pm.getElement()?.setAttribute('data-device-id', id);
      pm.getElement()?.setAttribute('aria-label', `${d.name}: ${t(s)}`);
    }
  };

  for (const d of live.devices.values()) addMarker(d);
  let visible: (d: DeviceView) => boolean = () => true;
  let shown = new Set<string>();
  /** Ids whose base marker is in the cluster group. */
  const inClusters = new Set<string>();

  const applyFilter = () => {
    const next = new Set<string>();
    for (const d of live.devices.values()) if (visible(d)) next.add(d.id);
    const add: L.Layer[] = [];
    const rem: L.Layer[] = [];
    const changed: string[] = [];
    for (const id of next)
      if (!inClusters.has(id)) {
        const m = markers.get(id);
        if (m) {
          add.push(m);
          inClusters.add(id);
          changed.push(id);
        }
      }
    for (const id of inClusters)
      if (!next.has(id)) {
        const m = markers.get(id);
        inClusters.delete(id);
        changed.push(id);
        if (m) rem.push(m);
      }
    shown = next;
    if (rem.length) clusters.removeLayers(rem);
    if (add.length) {
      placing = 1;
      clusters.addLayers(add);
    }
    for (const id of changed) syncProblem(id);
    edges.setShown(shown);
  };

  let pending = new Set<string>();
  let frame = 0;
  const flush = () => {
    frame = 0;
    const ids = pending;
    pending = new Set();
    const restyled: L.Marker[] = [];
    const changed: string[] = [];
    for (const id of ids) {
      const m = markers.get(id);
      const d = live.devices.get(id);
      if (!m || !d) continue;
      const s = live.stateOf(id);
      if (drawn.get(id) === s) continue;
      drawn.set(id, s);
      const st = styleFor(d, s);
      m.setStyle(st);
      m.setRadius(st.radius);
      if (inClusters.has(id)) restyled.push(m as unknown as L.Marker);
      syncProblem(id);
      changed.push(id);
    }
    if (restyled.length) clusters.refreshClusters(restyled);
    edges.update(changed);
  };

  for (const [name, k] of byKec) {
    L.marker([k.lat / k.n, k.lon / k.n], {
      pane: 'labels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: 'kec-label', html: `<span>${escapeHtml(name)}</span>`, iconSize: [0, 0] }),
    }).addTo(map);
  }
  const labels = createNameLabels(map, live, () => shown);

  const selection = L.circleMarker([0, 0], {
    renderer,
    radius: 15,
    color: '#38bdf8',
    weight: 2.5,
    fill: false,
    interactive: false,
    dashArray: '4 3',
  });

  let bounds = L.latLngBounds([...live.devices.values()].map((d) => [d.lat, d.lon] as [number, number]));
  const fitAll = () => {
    if (bounds.isValid()) map.fitBounds(bounds.pad(0.05));
    else {
      const home = live.ui.region.home;
      map.setView(home ? [home.lat, home.lon] : [-2.5, 118], home?.zoom ?? 5);
    }
  };
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
      L.DomEvent.on(a, 'click', (e) => {
        L.DomEvent.preventDefault(e);
        fitAll();
      });
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
    setFilter(f) {
      visible = f;
      applyFilter();
      labels.refresh();
    },
    syncDevices() {
      const gone = [...markers.keys()].filter((id) => !live.devices.has(id));
      const rem: L.Layer[] = [];
      for (const id of gone) {
        shown.delete(id);
        if (inClusters.delete(id)) rem.push(markers.get(id)!);
        syncProblem(id);
        markers.delete(id);
        drawn.delete(id);
        pending.delete(id);
      }
      if (rem.length) clusters.removeLayers(rem);
      const moved: L.Layer[] = [];
      for (const d of live.devices.values()) {
        const m = markers.get(d.id);
        if (!m) {
          addMarker(d);
          continue;
        }
        const ll = m.getLatLng();
        if (ll.lat !== d.lat || ll.lng !== d.lon) {
          // Moving a clustered marker: out of the cluster group, move, back in (applyFilter re-adds it).
          if (inClusters.delete(d.id)) moved.push(m);
          m.setLatLng([d.lat, d.lon]);
        }
        drawn.delete(d.id); // the role or name may have changed: restyle once
      }
      if (moved.length) clusters.removeLayers(moved);
      bounds = L.latLngBounds([...live.devices.values()].map((d) => [d.lat, d.lon] as [number, number]));
      edges.reset();
      applyFilter();
      labels.refresh();
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
    inspect(id) {
      const m = markers.get(id);
      if (!m) return undefined;
      // getVisibleParent() looks for an _icon, which canvas markers have not: walk the clusters ourselves.
      const single = map.hasLayer(m);
      let bubble: string | null = null;
      if (inClusters.has(id) && !single) {
        let c = (m as unknown as { __parent?: { _icon?: HTMLElement; __parent?: unknown } }).__parent;
        while (c && !c._icon) c = c.__parent as typeof c;
        bubble = c?._icon?.className ?? null;
      }
      const rect = el.getBoundingClientRect();
      const p = map.latLngToContainerPoint(m.getLatLng());
      const pm = problemMarkers.get(id)?.getElement();
      const pr = pm?.getBoundingClientRect();
      return {
        state: live.stateOf(id),
        clustered: inClusters.has(id),
        single,
        bubble,
        problem: pr ? { x: pr.left + pr.width / 2, y: pr.top + pr.height / 2 } : null,
        at: { x: rect.left + p.x, y: rect.top + p.y },
        fill: String(m.options.fillColor),
      };
    },
    view(center, zoom) {
      if (center && zoom !== undefined) map.setView(center, zoom, { animate: false });
      const c = map.getCenter();
      return { zoom: map.getZoom(), center: [c.lat, c.lng] };
    },
    stats() {
      return {
        markers: inClusters.size,
        visible: shown.size,
        edges: edges.counts(),
        problems: problemMarkers.size,
        ready: placing === 0,
        labels: labels.count(),
      };
    },
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export { EDGE_STYLE };
