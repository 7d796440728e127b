/**
 * The NOC page's service list (issue 14 item 3): the `service` devices (the e-government
 * applications) with their state and HTTP latency, in the side column above the alerts. Collapsed
 * it is one line ("Layanan 11/12 normal"); open, it watches the services' live samples (at most
 * MAX_WATCHED - 1, leaving one for the drawer) and shows `http_ms` per row. A click opens the drawer.
 */
import type { MetricSample } from '../../core/types.js';
import { MAX_WATCHED } from '../../core/realtime.js';
import { clear, h } from './dom.js';
import { t } from './i18n.js';
import type { LiveState } from './live.js';

/** The device type of services (svc's inventory type). A string so the page builds before and after it exists. */
export const SERVICE_TYPE: string = 'service';
const LATENCY_METRIC = 'http_ms';
const OPEN_KEY = 'pantau.services.open';

export interface ServicesPanel {
  render(): void;
  /** Devices whose live samples the panel wants (empty when collapsed). */
  watched(): string[];
  /** New live samples (only the latency ones matter). */
  live(samples: readonly MetricSample[]): void;
}

export function createServicesPanel(
  el: HTMLElement,
  live: LiveState,
  opts: { onSelect(id: string): void; onWatchChange(): void },
): ServicesPanel {
  let open = localStorage.getItem(OPEN_KEY) !== '0';
  const latency = new Map<string, number>();
  const services = () =>
    [...live.devices.values()]
      .filter((d) => (d.type as string) === SERVICE_TYPE)
      .sort((a, b) => a.name.localeCompare(b.name));

  const toggle = () => {
    open = !open;
    localStorage.setItem(OPEN_KEY, open ? '1' : '0');
    render();
    opts.onWatchChange();
  };

  function render(): void {
    const list = services();
    el.classList.toggle('hidden', list.length === 0);
    clear(el);
    if (list.length === 0) return;
    const up = list.filter((d) => live.stateOf(d.id) === 'UP').length;
    const worst = list.some((d) => ['DOWN', 'UNREACHABLE'].includes(live.stateOf(d.id)))
      ? 'down'
      : up < list.length
        ? 'degraded'
        : 'up';
    el.appendChild(
      h(
        'button',
        { class: `svc-head svc-${worst}`, 'aria-expanded': String(open), 'data-services-toggle': '1', onclick: toggle },
        h('span', { class: 'svc-title' }, t('services')),
        h('span', { class: 'svc-sum' }, t('servicesUp', { up, total: list.length })),
      ),
    );
    if (!open) return;
    el.appendChild(
      h(
        'ul',
        { class: 'svc-list' },
        ...list.map((d) => {
          const st = live.stateOf(d.id);
          const ms = latency.get(d.id);
          return h(
            'li',
            {},
            h(
              'button',
              { class: `svc-row st-${st.toLowerCase()}`, 'data-service-id': d.id, onclick: () => opts.onSelect(d.id) },
              h('i'),
              h('span', { class: 'svc-name' }, d.name),
              h('span', { class: 'svc-state' }, t(st)),
              h(
                'span',
                { class: 'svc-ms', 'data-latency': ms === undefined ? '' : String(Math.round(ms)) },
                ms === undefined ? '—' : `${Math.round(ms)} ms`,
              ),
            ),
          );
        }),
      ),
    );
  }

  return {
    render,
    watched: () =>
      open
        ? services()
            .slice(0, MAX_WATCHED - 1)
            .map((d) => d.id)
        : [],
    live(samples) {
      let changed = false;
      for (const s of samples) {
        if (s.name !== LATENCY_METRIC) continue;
        const d = live.devices.get(s.deviceId);
        if (!d || (d.type as string) !== SERVICE_TYPE) continue;
        latency.set(s.deviceId, s.value);
        changed = true;
      }
      if (changed && open) render();
    },
  };
}
