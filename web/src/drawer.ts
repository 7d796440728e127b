import type { HistorySeries } from '../../core/services.js';
import type { MetricSample } from '../../core/types.js';
import { fmtTime } from './clock.js';
import { api } from './api.js';
import { STATE_COLOR } from './colors.js';
import { append, clear, h, icon } from './dom.js';
import { t, type Key } from './i18n.js';
import type { LiveState } from './live.js';
import { sparkline } from './sparkline.js';
import { deviceHistory } from './device-history.js';
import { ackLines, alertText } from './alerts.js';
import { statusReason } from './reasons.js';

interface Chart {
  series: HistorySeries;
  field: string;
  label: Key;
  color: string;
  scale?: number;
  digits?: number;
}

/** History field → the live sample name pushed over the socket (server/realtime/samples.ts). */
const LIVE_NAME: Record<string, string> = {
  rtt_avg_ms: 'rtt_avg_ms',
  loss_pct: 'loss_pct',
  in_bps: 'in_bps',
  rx_dbm: 'optical_rx_dbm',
  clients: 'wifi_clients',
};

interface LiveChart {
  chart: Chart;
  vals: (number | null)[];
  row: HTMLElement;
  val: HTMLElement;
  loaded: boolean;
}

const CHARTS: Record<string, Chart[]> = {
  icmp: [
    { series: 'icmp', field: 'rtt_avg_ms', label: 'latency', color: '#38bdf8', digits: 1 },
    { series: 'icmp', field: 'loss_pct', label: 'loss', color: '#f87171', digits: 0 },
  ],
  fiber: [
    { series: 'traffic', field: 'in_bps', label: 'traffic', color: '#a78bfa', scale: 1e-6, digits: 1 },
    { series: 'optical', field: 'rx_dbm', label: 'optical', color: '#fbbf24', digits: 1 },
  ],
  wifi: [
    { series: 'wifi', field: 'clients', label: 'clients', color: '#34d399', digits: 0 },
    { series: 'traffic', field: 'in_bps', label: 'traffic', color: '#a78bfa', scale: 1e-6, digits: 1 },
  ],
  village: [{ series: 'traffic', field: 'in_bps', label: 'traffic', color: '#a78bfa', scale: 1e-6, digits: 1 }],
  cctv: [],
};

export interface Drawer {
  open(id: string): void;
  close(): void;
  refresh(): void;
  /** Fresh samples from the socket: the open device's figures and sparklines move live. */
  live(samples: readonly MetricSample[]): void;
  readonly current: string | undefined;
}

/** The device drawer: identity, state, where it hangs in the tree, sparklines, how to get there. */
export function createDrawer(
  el: HTMLElement,
  live: LiveState,
  opts: { onSelect(id: string): void; onClose(): void },
): Drawer {
  let current: string | undefined;
  let token = 0;
  let charts: LiveChart[] = [];
  // The history block survives the drawer's re-renders (state changes) for the same device.
  let historyBlock: { id: string; el: HTMLElement } | undefined;
  const draw = (lc: LiveChart) => {
    const last = [...lc.vals].reverse().find((v) => v !== null);
    const state = current ? live.stateOf(current) : 'UNKNOWN';
    // A device that does not answer has no latency: an old figure (or a 0 from a lost ping) would lie.
    const silent = (state === 'DOWN' || state === 'UNREACHABLE') && lc.chart.field === 'rtt_avg_ms';
    lc.val.textContent = silent
      ? t('noReply')
      : last === undefined || last === null
        ? t('noData')
        : last.toFixed(lc.chart.digits ?? 1);
    lc.row.dataset['silent'] = silent ? '1' : '';
    lc.row.dataset['points'] = String(lc.vals.length);
    lc.row.querySelector('svg.spark')?.remove();
    if (lc.vals.some((v) => v !== null)) lc.row.appendChild(sparkline(lc.vals, { color: lc.chart.color }));
  };

  const render = () => {
    if (!current) return;
    const d = live.devices.get(current);
    if (!d) return;
    const st = live.statuses.get(d.id);
    const state = st?.state ?? 'UNKNOWN';
    const parent = d.parent ? live.devices.get(d.parent) : undefined;
    const root = st?.rootCauseId ? live.devices.get(st.rootCauseId) : undefined;
    const alerts = live.activeAlerts().filter((a) => a.deviceId === d.id || a.affected.includes(d.id));
    // The same figure as the alert's impact while this device's outage alert is open; all devices below otherwise.
    const own = alerts.find((a) => a.deviceId === d.id && a.affected.length > 0);
    const kids = own ? own.affected.length : live.descendantCount(d.id);
    const why = statusReason(st);
    const nav = `https://www.google.com/maps/dir/?api=1&destination=${d.lat},${d.lon}`;
    const charts = h('div', { class: 'charts' });
    clear(el);
    append(el, [
      h(
        'header',
        { class: 'drawer-head' },
        h(
          'div',
          {},
          h('div', { class: 'drawer-kicker' }, `${t(d.type)} · ${t(`role.${d.role}`)} · ${d.kecamatan}`),
          h('h2', { class: 'drawer-title' }, d.name),
        ),
        h(
          'button',
          {
            class: 'btn btn-icon',
            'aria-label': t('close'),
            onclick: () => {
              api_close();
            },
          },
          '✕',
        ),
      ),
      h(
        'div',
        { class: `state-banner st-${state.toLowerCase()}`, 'data-state': state },
        h('span', { class: 'dot', 'data-color': STATE_COLOR[state] }),
        h('strong', {}, t(state)),
        st ? h('span', { class: 'muted' }, ` ${t('since')} ${fmtTime(st.since, { seconds: false })}`) : null,
      ),
      why
        ? h(
            'div',
            { class: 'reason', 'data-reason': st?.reason ?? '' },
            h('span', { class: 'muted' }, `${t('why')}: `),
            why,
          )
        : null,
      root
        ? h(
            'button',
            { class: 'link root-cause', onclick: () => opts.onSelect(root.id) },
            `${t('rootCause')}: ${root.name}`,
          )
        : null,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('address')),
        h('dd', { class: 'mono' }, d.address),
        h('dt', {}, t('vendor')),
        h('dd', {}, `${d.vendor}${d.model ? ` ${d.model}` : ''}`),
        h('dt', {}, t('location')),
        h('dd', { class: 'mono' }, `${d.lat.toFixed(5)}, ${d.lon.toFixed(5)}`),
        h('dt', {}, t('parent')),
        h(
          'dd',
          {},
          parent ? h('button', { class: 'link', onclick: () => opts.onSelect(parent.id) }, parent.name) : '—',
        ),
        kids ? h('dt', {}, '↳') : null,
        kids ? h('dd', { 'data-below': kids }, `${kids} ${t(own ? 'impacted' : 'children')}`) : null,
      ),
      alerts.length
        ? h(
            'div',
            { class: 'drawer-alerts' },
            ...alerts.map((a) =>
              h(
                'div',
                { class: `mini-alert sev-${a.severity}`, 'data-alert-id': a.id },
                alertText(a),
                a.status === 'acknowledged' ? ackLines(a) : null,
              ),
            ),
          )
        : null,
      h('div', { class: 'charts-head' }, t('lastHour')),
      charts,
      (historyBlock?.id === d.id ? historyBlock : (historyBlock = { id: d.id, el: deviceHistory(d.id, d.type) })).el,
      h(
        'a',
        { class: 'btn btn-nav', href: nav, target: '_blank', rel: 'noopener noreferrer' },
        icon('nav', 16),
        ` ${t('navigate')}`,
      ),
      canMaintain() ? maintenanceForm(d.id, kids > 0) : null,
    ]);
    void loadCharts(d.id, d.type, charts);
  };

  const loadCharts = async (id: string, type: string, box: HTMLElement) => {
    const my = ++token;
    const list = [...(CHARTS['icmp'] ?? []), ...(CHARTS[type] ?? [])];
    const to = Date.now();
    const from = to - 3600_000;
    const bySeries = new Map<HistorySeries, Promise<{ ts: number; values: Record<string, number | null> }[]>>();
    for (const c of list)
      if (!bySeries.has(c.series))
        bySeries.set(
          c.series,
          api
            .history(id, c.series, from, to)
            .then((r) => r.points)
            .catch(() => []),
        );
    charts = [];
    for (const c of list) {
      const val = h('div', { class: 'chart-val' }, '…');
      const row = h(
        'div',
        { class: 'chart', 'data-field': c.field },
        h('div', { class: 'chart-label' }, t(c.label)),
        val,
      );
      box.appendChild(row);
      const lc: LiveChart = { chart: c, vals: [], row, val, loaded: false };
      charts.push(lc);
      void bySeries.get(c.series)!.then((points) => {
        if (my !== token) return;
        // Live samples that arrived while history loaded go after it.
        lc.vals = [
          ...points.map((p) => {
            const v = p.values[c.field];
            return v === null || v === undefined ? null : v * (c.scale ?? 1);
          }),
          ...lc.vals,
        ];
        lc.loaded = true;
        draw(lc);
      });
    }
  };

  const canMaintain = () => live.user?.role === 'admin' || live.user?.role === 'operator';
  /** Planned work: silence a device (and what hangs below it) for a while, from the drawer. */
  const maintenanceForm = (id: string, hasKids: boolean) => {
    const minutes = h(
      'select',
      { class: 'select', name: 'minutes' },
      ...[30, 60, 120, 240].map((m) => h('option', { value: m, selected: m === 60 }, `${m} ${t('min')}`)),
    );
    const subtree = h('input', { type: 'checkbox', name: 'subtree', checked: hasKids });
    const msg = h('span', { class: 'muted' });
    return h(
      'form',
      {
        class: 'maint',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            await api.maintenance(id, subtree.checked, Number(minutes.value), t('maintenanceReason'));
            msg.textContent = `✔ ${t('maintenanceSet')}`;
          } catch (err) {
            msg.textContent = String((err as Error).message);
          }
        },
      },
      h('div', { class: 'charts-head' }, t('MAINTENANCE')),
      h(
        'div',
        { class: 'maint-row' },
        minutes,
        hasKids ? h('label', { class: 'check' }, subtree, ` ${t('withSubtree')}`) : null,
        h('button', { type: 'submit', class: 'btn btn-small', 'data-maintenance': id }, t('schedule')),
      ),
      msg,
    );
  };

  const api_close = () => {
    current = undefined;
    el.classList.remove('open');
    opts.onClose();
  };
  return {
    get current() {
      return current;
    },
    open(id) {
      current = id;
      el.classList.add('open');
      render();
    },
    close: api_close,
    refresh() {
      if (current) {
        const scroll = el.scrollTop;
        render();
        el.scrollTop = scroll;
      }
    },
    live(samples) {
      if (!current) return;
      for (const s of samples) {
        if (s.deviceId !== current) continue;
        for (const lc of charts) {
          if (LIVE_NAME[lc.chart.field] !== s.name) continue;
          lc.vals.push(s.value * (lc.chart.scale ?? 1));
          if (lc.vals.length > 400) lc.vals.shift();
          if (lc.loaded) draw(lc);
        }
      }
    },
  };
}
