import L from 'leaflet';
import type { LiveState } from './live.js';

/** From this zoom on (a street or a site) device names are drawn beside their markers. */
export const LABEL_ZOOM = 15;
/** A dense site at close zoom could still hold hundreds: beyond this many, names would overlap anyway. */
const MAX_LABELS = 300;

export interface NameLabels {
  refresh(): void;
  count(): number;
}

/**
 * Device names as labels at close zoom (the wall screen: "which camera is that?"), only for shown
 * devices inside the view, rebuilt after each pan or zoom; none at the overview zoom.
 */
export function createNameLabels(map: L.Map, live: LiveState, shown: () => ReadonlySet<string>): NameLabels {
  const layer = L.layerGroup().addTo(map);
  let n = 0;
  const refresh = () => {
    layer.clearLayers();
    n = 0;
    if (map.getZoom() < LABEL_ZOOM) return;
    const view = map.getBounds().pad(0.1);
    const ids = shown();
    for (const d of live.devices.values()) {
      if (n >= MAX_LABELS) break;
      if (!ids.has(d.id) || !view.contains([d.lat, d.lon])) continue;
      const span = document.createElement('span');
      span.textContent = d.name;
      layer.addLayer(
        L.marker([d.lat, d.lon], {
          pane: 'labels',
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: 'dev-label', html: span, iconSize: [0, 0] }),
        }),
      );
      n++;
    }
  };
  map.on('moveend', refresh);
  return { refresh, count: () => n };
}
