/**
 * The drawer's device history (issue 15): latency/loss, traffic on the uplinks, optical power,
 * Wi-Fi clients and camera checks over 6 h / 24 h / 7 d / 30 d, drawn with uPlot, with the
 * device's state bands (DOWN red, DEGRADED amber, maintenance blue) under the curves, and a
 * link to the same device and range in Grafana when it is configured.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistorySeries } from '../../core/services.js';
import { h } from './dom.js';
import { getLang } from './i18n.js';
import './device-history.css';

interface Chart {
  series: HistorySeries;
  fields: { field: string; label: { id: string; en: string }; scale?: number; color: string }[];
  title: { id: string; en: string };
}

const LATENCY: Chart = {
  series: 'icmp',
  title: { id: 'Latensi (ms)', en: 'Latency (ms)' },
  fields: [
    { field: 'rtt_avg_ms', label: { id: 'rata-rata', en: 'average' }, color: '#38bdf8' },
    { field: 'rtt_max_ms', label: { id: 'maks', en: 'max' }, color: '#64748b' },
  ],
};
const LOSS: Chart = {
  series: 'icmp',
  title: { id: 'Paket hilang (%)', en: 'Packet loss (%)' },
  fields: [{ field: 'loss_pct', label: { id: 'hilang', en: 'loss' }, color: '#f87171' }],
};
const TRAFFIC: Chart = {
  series: 'traffic',
  title: { id: 'Trafik uplink (Mbps)', en: 'Uplink traffic (Mbps)' },
  fields: [
    { field: 'in_bps', label: { id: 'masuk', en: 'in' }, scale: 1e-6, color: '#22c55e' },
    { field: 'out_bps', label: { id: 'keluar', en: 'out' }, scale: 1e-6, color: '#a78bfa' },
  ],
};
const OPTICAL: Chart = {
  series: 'optical',
  title: { id: 'Daya optik (dBm)', en: 'Optical power (dBm)' },
  fields: [
    { field: 'rx_dbm', label: { id: 'Rx', en: 'Rx' }, color: '#f59e0b' },
    { field: 'tx_dbm', label: { id: 'Tx', en: 'Tx' }, color: '#94a3b8' },
  ],
};
const WIFI: Chart = {
  series: 'wifi',
  title: { id: 'Klien Wi-Fi', en: 'Wi-Fi clients' },
  fields: [{ field: 'clients', label: { id: 'klien', en: 'clients' }, color: '#22d3ee' }],
};
const CAMERA: Chart = {
  series: 'camera',
  title: { id: 'Pemeriksaan kamera (% berhasil)', en: 'Camera checks (% passing)' },
  fields: [
    { field: 'snapshot_ok', label: { id: 'snapshot', en: 'snapshot' }, scale: 100, color: '#22c55e' },
    { field: 'rtsp_ok', label: { id: 'RTSP', en: 'RTSP' }, scale: 100, color: '#38bdf8' },
  ],
};

const BY_TYPE: Record<string, Chart[]> = {
  fiber: [LATENCY, LOSS, TRAFFIC, OPTICAL],
  cctv: [LATENCY, LOSS, CAMERA],
  wifi: [LATENCY, LOSS, TRAFFIC, WIFI],
  village: [LATENCY, LOSS, TRAFFIC],
};

const RANGES = [
  { key: '6h', ms: 6 * 3600_000, id: '6 jam', en: '6 h' },
  { key: '24h', ms: 24 * 3600_000, id: '24 jam', en: '24 h' },
  { key: '7d', ms: 7 * 86_400_000, id: '7 hari', en: '7 d' },
  { key: '30d', ms: 30 * 86_400_000, id: '30 hari', en: '30 d' },
] as const;

const TZ: Record<string, string> = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' };
const BAND: Record<string, string | undefined> = {
  DOWN: 'down',
  UNREACHABLE: 'down',
  DEGRADED: 'degraded',
  MAINTENANCE: 'maintenance',
};

interface Band {
  state: string;
  from: number;
  to: number;
}

/** State intervals with a band colour, clipped to [from, to). */
export function stateBands(
  initial: string | null,
  changes: readonly { at: number; to: string }[],
  from: number,
  to: number,
): Band[] {
  const out: Band[] = [];
  let state = initial ?? 'UNKNOWN';
  let start = from;
  for (const c of changes) {
    if (c.at >= to) break;
    if (BAND[state] && c.at > start) out.push({ state, from: start, to: c.at });
    state = c.to;
    start = Math.max(from, c.at);
  }
  if (BAND[state] && to > start) out.push({ state, from: start, to });
  return out;
}

let config: Promise<{ zone?: string }> | undefined;
const zoneConfig = () =>
  (config ??= fetch('/api/history/config', { credentials: 'same-origin' })
    .then((r) => r.json() as Promise<{ zone?: string }>)
    .catch((): { zone?: string } => ({})));

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json() as Promise<T>;
}

/** The history block for one device; it keeps its own range and redraws only when that changes. */
export function deviceHistory(deviceId: string, type: string): HTMLElement {
  const lang = getLang();
  const box = h('section', { class: 'dh', 'data-device-history': deviceId });
  const body = h('div', { class: 'dh-body' });
  const grafana = h('a', { class: 'dh-grafana hidden', target: '_blank', rel: 'noopener noreferrer' }, 'Grafana ↗');
  const buttons = RANGES.map((r) =>
    h('button', { class: 'btn btn-small dh-range', 'data-range': r.key, onclick: () => void show(r.key) }, r[lang]),
  );
  box.append(
    h(
      'div',
      { class: 'dh-head' },
      h('span', { class: 'charts-head' }, lang === 'id' ? 'Riwayat' : 'History'),
      ...buttons,
      grafana,
    ),
    body,
  );
  let plots: uPlot[] = [];
  let token = 0;

  async function show(key: string): Promise<void> {
    const my = ++token;
    const range = RANGES.find((r) => r.key === key) ?? RANGES[1];
    for (const b of buttons) b.classList.toggle('on', b.dataset['range'] === range.key);
    const to = Date.now();
    const from = to - range.ms;
    const charts = BY_TYPE[type] ?? [LATENCY, LOSS];
    const series = [...new Set(charts.map((c) => c.series))];
    const [cfg, states, ...data] = await Promise.all([
      zoneConfig(),
      getJson<{ initial: string | null; changes: { at: number; to: string }[]; grafanaUrl: string | null }>(
        `/api/history/devices/${encodeURIComponent(deviceId)}/states?from=${from}&to=${to}`,
      ).catch(() => null),
      ...series.map((s) =>
        getJson<{ points: { ts: number; values: Record<string, number | null> }[] }>(
          `/api/devices/${encodeURIComponent(deviceId)}/history?series=${s}&from=${from}&to=${to}`,
        )
          .then((r) => r.points)
          .catch(() => []),
      ),
    ]);
    if (my !== token) return;
    for (const p of plots) p.destroy();
    plots = [];
    body.replaceChildren();
    box.dataset['range'] = range.key;
    box.dataset['from'] = String(from);
    box.dataset['to'] = String(to);
    if (states?.grafanaUrl) {
      grafana.setAttribute('href', states.grafanaUrl);
      grafana.classList.remove('hidden');
    } else grafana.classList.add('hidden');
    const bands = states ? stateBands(states.initial, states.changes, from, to) : [];
    const tz = TZ[cfg.zone ?? 'WIB'] ?? 'Asia/Jakarta';
    const width = Math.max(240, (box.clientWidth || 340) - 8);
    for (const c of charts) {
      const points = data[series.indexOf(c.series)] ?? [];
      const xs = points.map((p) => p.ts / 1000);
      const ys = c.fields.map((f) =>
        points.map((p) => {
          const v = p.values[f.field];
          return v === null || v === undefined ? null : v * (f.scale ?? 1);
        }),
      );
      const el = h(
        'div',
        { class: 'dh-chart', 'data-series': c.series, 'data-chart': c.fields[0]!.field, 'data-points': points.length },
        h('div', { class: 'dh-title' }, c.title[lang]),
      );
      body.append(el);
      const plot = new uPlot(
        {
          width,
          height: 110,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
          scales: { x: { time: true, min: from / 1000, max: to / 1000 } },
          legend: { show: true, live: false },
          cursor: { drag: { x: false, y: false } },
          axes: [
            { stroke: '#8aa0b8', grid: { stroke: '#1f3350' }, ticks: { stroke: '#1f3350' } },
            { stroke: '#8aa0b8', grid: { stroke: '#1f3350' }, ticks: { stroke: '#1f3350' }, size: 44 },
          ],
          series: [
            {},
            ...c.fields.map((f) => ({ label: f.label[lang], stroke: f.color, width: 1.5, spanGaps: false })),
          ],
          hooks: { draw: [(u: uPlot) => placeBands(u, bands)] },
        },
        [xs, ...ys] as uPlot.AlignedData,
        el,
      );
      plots.push(plot);
    }
  }

  /** Bands are DOM boxes under the plot (in uPlot's `under` layer): exact, and testable. */
  function placeBands(u: uPlot, bands: Band[]): void {
    u.under.querySelectorAll('.dh-band').forEach((b) => b.remove());
    for (const b of bands) {
      const left = u.valToPos(b.from / 1000, 'x');
      const right = u.valToPos(b.to / 1000, 'x');
      const div = h('div', {
        class: `dh-band dh-band-${BAND[b.state]}`,
        'data-band': b.state,
        'data-from': b.from,
        'data-to': b.to,
      });
      div.style.left = `${left}px`;
      div.style.width = `${Math.max(1, right - left)}px`;
      u.under.append(div);
    }
  }

  queueMicrotask(() => void show('24h'));
  return box;
}
