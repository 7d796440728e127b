/** The dashboards pantau ships, each rendered to dashboards/generated/<file>. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { cctvHealth } from './dashboards/cctv-health.js';
import { deviceDetail } from './dashboards/device-detail.js';
import { fiberOptical } from './dashboards/fiber-optical.js';
import { longTerm } from './dashboards/long-term.js';
import { nocOverview } from './dashboards/noc-overview.js';
import { publicInternet } from './dashboards/public-internet.js';
import { publicServices } from './dashboards/public-services.js';

export interface DashboardSpec {
  file: string;
  build(): Dashboard;
}

/**
 * Grafana needs a unique numeric id per panel (links, "view panel", annotations filters); the
 * SDK leaves them unset (rows get 0), so number them in layout order.
 */
export function withPanelIds(d: Dashboard): Dashboard {
  let next = 1;
  const walk = (panels: Array<{ id?: number; panels?: unknown }> | undefined) => {
    for (const p of panels ?? []) {
      p.id = next++;
      if (Array.isArray(p.panels)) walk(p.panels as Array<{ id?: number }>);
    }
  };
  walk(d.panels as Array<{ id?: number; panels?: unknown }> | undefined);
  return d;
}

const spec = (file: string, build: () => Dashboard): DashboardSpec => ({ file, build: () => withPanelIds(build()) });

export const DASHBOARDS: readonly DashboardSpec[] = [
  spec('noc-overview.json', nocOverview),
  spec('device-detail.json', deviceDetail),
  spec('fiber-optical.json', fiberOptical),
  spec('cctv-health.json', cctvHealth),
  spec('public-internet.json', publicInternet),
  spec('public-services.json', publicServices),
  spec('long-term.json', longTerm),
];
