/**
 * /riwayat — the history page: alert history (filters, server-side pages, CSV export of the
 * filtered rows, an alert's device state timeline), the monthly availability report, and the
 * admins' test notification. Its own words live here (Bahasa Indonesia first).
 */
import type { SessionUser } from '../../core/realtime.js';
import { h, clear } from './dom.js';
import { getLang, setLang } from './i18n.js';
import { formatDuration, formatLocal, zoneOf, type ZoneName } from '../../core/period.js';
import { DEVICE_TYPES, deviceTypeWords } from '../../core/vocabulary/device-types.js';
import { SEVERITIES } from '../../core/vocabulary/severities.js';
import './history-page.css';

const TEXT = {
  id: {
    title: 'Riwayat & laporan',
    back: '← Peta NOC',
    alerts: 'Riwayat alarm',
    report: 'Laporan bulanan',
    notify: 'Uji notifikasi',
    from: 'Dari',
    to: 'Sampai',
    kecamatan: 'Kecamatan',
    type: 'Jenis',
    severity: 'Tingkat',
    device: 'Perangkat',
    q: 'Cari teks…',
    all: 'Semua',
    apply: 'Terapkan',
    export: 'Ekspor CSV',
    prev: '‹ Sebelumnya',
    next: 'Berikutnya ›',
    of: 'dari',
    none: 'Tidak ada alarm untuk filter ini',
    id: 'ID',
    opened: 'Dibuka',
    acked: 'Ditangani',
    resolved: 'Selesai',
    duration: 'Durasi',
    title2: 'Alarm',
    root: 'Akar masalah',
    impact: 'Dampak',
    open: 'masih terbuka',
    timeline: 'Linimasa status perangkat',
    month: 'Bulan',
    show: 'Tampilkan',
    total: 'Seluruh jaringan',
    availability: 'Ketersediaan',
    outages: 'Gangguan',
    downtime: 'Waktu padam',
    mttr: 'MTTR',
    longest: 'Terlama',
    maintenance: 'Pemeliharaan',
    devices: 'Perangkat',
    group: 'Grup',
    send: 'Kirim uji',
    channel: 'Saluran',
    target: 'Tujuan',
    answer: 'Jawaban',
    noGroups: 'Belum ada grup notifikasi di konfigurasi',
    critical: 'kritis',
    warning: 'peringatan',
    info: 'info',
    ...deviceTypeWords((t) => t.historyPage, 'id'),
    pantau: 'pantau',
    events: 'Kejadian alarm',
    error: 'Gagal memuat',
  },
  en: {
    title: 'History & reports',
    back: '← NOC map',
    alerts: 'Alert history',
    report: 'Monthly report',
    notify: 'Test notification',
    from: 'From',
    to: 'To',
    kecamatan: 'Kecamatan',
    type: 'Type',
    severity: 'Severity',
    device: 'Device',
    q: 'Search text…',
    all: 'All',
    apply: 'Apply',
    export: 'Export CSV',
    prev: '‹ Previous',
    next: 'Next ›',
    of: 'of',
    none: 'No alerts for this filter',
    id: 'ID',
    opened: 'Opened',
    acked: 'Acknowledged',
    resolved: 'Resolved',
    duration: 'Duration',
    title2: 'Alert',
    root: 'Root cause',
    impact: 'Impact',
    open: 'still open',
    timeline: 'Device state timeline',
    month: 'Month',
    show: 'Show',
    total: 'Whole network',
    availability: 'Availability',
    outages: 'Outages',
    downtime: 'Downtime',
    mttr: 'MTTR',
    longest: 'Longest',
    maintenance: 'Maintenance',
    devices: 'Devices',
    group: 'Group',
    send: 'Send test',
    channel: 'Channel',
    target: 'Target',
    answer: 'Answer',
    noGroups: 'No notification groups configured',
    critical: 'critical',
    warning: 'warning',
    info: 'info',
    ...deviceTypeWords((t) => t.historyPage, 'en'),
    pantau: 'pantau',
    events: 'Alert events',
    error: 'Failed to load',
  },
} as const;
type Word = keyof (typeof TEXT)['id'];

const CHANNEL_LABEL: Readonly<Record<string, string>> = { telegram: 'Telegram' };
/** "Telegram 2 · email 1 · webhook 0": every channel the server reports, in its order. */
const channelCounts = (g: Record<string, number | string>) =>
  Object.entries(g)
    .filter(([k]) => k !== 'name')
    .map(([k, n]) => `${CHANNEL_LABEL[k] ?? k} ${n}`)
    .join(' · ');
const w = (k: Word) => TEXT[getLang()][k];

interface AckRecord {
  by: string;
  at: number;
  comment?: string;
}
interface Row {
  id: string;
  openedAt: number;
  resolvedAt?: number;
  status: string;
  severity: string;
  deviceId: string;
  deviceType: string;
  kecamatan: string;
  title: string;
  ackLog: AckRecord[];
  durationMs: number;
  rootCause: string;
  impact: number;
}
interface Group {
  key: string;
  devices: number;
  availabilityPct: number | null;
  outages: number;
  downtimeMs: number;
  mttrMs: number | null;
  longestOutageMs: number;
  maintenanceMs: number;
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin' });
  const j = (await res.json().catch(() => ({}))) as { error?: { message: string } };
  if (!res.ok) throw new Error(j.error?.message ?? res.statusText);
  return j as T;
}

const DAY = 86_400_000;
const pct = (v: number | null) =>
  v === null ? '—' : `${getLang() === 'id' ? v.toFixed(2).replace('.', ',') : v.toFixed(2)} %`;

export async function startHistoryPage(
  root: HTMLElement,
  user: SessionUser,
  zoneName: ZoneName = 'WIB',
): Promise<void> {
  const zone = zoneOf(zoneName);
  const at = (ms: number | undefined) => (ms === undefined ? '' : `${formatLocal(ms, zone)}`);
  const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, getLang()));
  /** `yyyy-mm-dd` of an instant in the zone, and back (midnight in the zone). */
  const dateOf = (ms: number) => new Date(ms + zone.offsetMs).toISOString().slice(0, 10);
  const midnight = (d: string) => Date.parse(`${d}T00:00:00Z`) - zone.offsetMs;

  const render = () =>
    void build().catch((err: unknown) => {
      root.replaceChildren(h('p', { class: 'hp-error' }, `${w('error')}: ${String(err)}`));
    });
  async function build(): Promise<void> {
    const devices = (await get<{ devices: { id: string; name: string; kecamatan: string }[] }>('/api/devices')).devices;
    const kecamatan = [...new Set(devices.map((d) => d.kecamatan))].sort();
    const tab = new URLSearchParams(location.search).get('tab') ?? 'alerts';
    const tabs = h(
      'nav',
      { class: 'hp-tabs' },
      ...(['alerts', 'report', ...(user.role === 'admin' ? ['notify'] : [])] as const).map((k) =>
        h('a', { href: `?tab=${k}`, class: `hp-tab${tab === k ? ' on' : ''}`, 'data-tab': k }, w(k as Word)),
      ),
    );
    const header = h(
      'header',
      { class: 'hp-head' },
      h('a', { href: '/', class: 'hp-back' }, w('back')),
      h('h1', {}, w('title')),
      tabs,
      h(
        'button',
        {
          class: 'btn btn-ghost btn-small',
          'data-lang-switch': '1',
          onclick: () => {
            setLang(getLang() === 'id' ? 'en' : 'id');
            render();
          },
        },
        getLang() === 'id' ? 'EN' : 'ID',
      ),
    );
    const body = h('main', { class: 'hp-body' });
    root.replaceChildren(h('div', { class: 'hp' }, header, body));
    if (tab === 'report') await reportTab(body);
    else if (tab === 'notify' && user.role === 'admin') await notifyTab(body);
    else alertsTab(body, kecamatan);
  }

  function select(name: string, options: readonly string[], label: (v: string) => string): HTMLSelectElement {
    return h(
      'select',
      { class: 'select', name, 'aria-label': name },
      h('option', { value: '' }, `${w(name as Word)}: ${w('all')}`),
      ...options.map((o) => h('option', { value: o }, label(o))),
    );
  }

  function alertsTab(body: HTMLElement, kecamatan: string[]): void {
    const now = Date.now();
    const from = h('input', {
      type: 'date',
      name: 'from',
      class: 'select',
      value: dateOf(now - 7 * DAY),
      'aria-label': w('from'),
    });
    const to = h('input', { type: 'date', name: 'to', class: 'select', value: dateOf(now), 'aria-label': w('to') });
    const kec = select('kecamatan', kecamatan, (v) => v);
    const type = select('type', [...DEVICE_TYPES, 'pantau'], (v) => w(v as Word));
    const sev = select('severity', [...SEVERITIES], (v) => w(v as Word));
    const device = h('input', {
      type: 'text',
      name: 'deviceId',
      class: 'select',
      placeholder: w('device'),
      'aria-label': w('device'),
    });
    const q = h('input', { type: 'search', name: 'q', class: 'select', placeholder: w('q'), 'aria-label': w('q') });
    const exportLink = h(
      'a',
      { class: 'btn btn-small', 'data-export': '1', download: 'pantau-riwayat-alarm.csv' },
      w('export'),
    );
    const table = h('div', { class: 'hp-table-wrap' });
    const pager = h('div', { class: 'hp-pager' });
    const timeline = h('section', { class: 'hp-timeline hidden' });
    let page = 1;
    const pageSize = 50;
    const params = () => {
      const p = new URLSearchParams({ from: String(midnight(from.value)), to: String(midnight(to.value) + DAY) });
      for (const [k, el] of [
        ['kecamatan', kec],
        ['type', type],
        ['severity', sev],
        ['deviceId', device],
        ['q', q],
      ] as const)
        if (el.value.trim()) p.set(k, el.value.trim());
      return p;
    };
    async function load(): Promise<void> {
      const p = params();
      exportLink.setAttribute('href', `/api/history/alerts?${p}&format=csv&lang=${getLang()}`);
      p.set('page', String(page));
      p.set('pageSize', String(pageSize));
      let res: { total: number; alerts: Row[] };
      try {
        res = await get<{ total: number; alerts: Row[] }>(`/api/history/alerts?${p}`);
      } catch (err) {
        table.replaceChildren(h('p', { class: 'hp-error' }, `${w('error')}: ${String(err)}`));
        return;
      }
      const rows = res.alerts;
      clear(table);
      if (rows.length === 0) {
        table.append(h('p', { class: 'muted hp-none' }, w('none')));
      } else {
        table.append(
          h(
            'table',
            { class: 'hp-table', 'data-total': res.total },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...(
                  [
                    'id',
                    'opened',
                    'acked',
                    'resolved',
                    'duration',
                    'severity',
                    'device',
                    'kecamatan',
                    'root',
                    'impact',
                    'title2',
                  ] as const
                ).map((k) => h('th', {}, w(k))),
              ),
            ),
            h(
              'tbody',
              {},
              ...rows.map((a) =>
                h(
                  'tr',
                  { 'data-alert': a.id, class: `sev-${a.severity}`, onclick: () => void showTimeline(a) },
                  h('td', { class: 'mono' }, a.id),
                  h('td', {}, at(a.openedAt)),
                  h(
                    'td',
                    {},
                    ...a.ackLog.map((k) => h('div', {}, `${at(k.at)} · ${k.by}${k.comment ? ` — ${k.comment}` : ''}`)),
                  ),
                  h('td', {}, a.resolvedAt ? at(a.resolvedAt) : h('span', { class: 'muted' }, w('open'))),
                  h('td', {}, dur(a.durationMs)),
                  h('td', {}, w(a.severity as Word)),
                  h('td', { class: 'mono' }, a.deviceId),
                  h('td', {}, a.kecamatan),
                  h('td', { class: 'mono' }, a.rootCause),
                  h('td', {}, a.impact),
                  h('td', {}, a.title),
                ),
              ),
            ),
          ),
        );
      }
      const first = res.total === 0 ? 0 : (page - 1) * pageSize + 1;
      pager.replaceChildren(
        h(
          'button',
          {
            class: 'btn btn-small',
            disabled: page <= 1,
            onclick: () => {
              page--;
              void load();
            },
          },
          w('prev'),
        ),
        h(
          'span',
          { class: 'hp-count', 'data-count': res.total },
          `${first}–${(page - 1) * pageSize + rows.length} ${w('of')} ${res.total}`,
        ),
        h(
          'button',
          {
            class: 'btn btn-small',
            disabled: page * pageSize >= res.total,
            onclick: () => {
              page++;
              void load();
            },
          },
          w('next'),
        ),
      );
    }
    async function showTimeline(a: Row): Promise<void> {
      const res = await get<{
        initial: string | null;
        states: { at: number; from: string; to: string; reason?: string; rootCauseId?: string }[];
        from: number;
      }>(`/api/history/alerts/${encodeURIComponent(a.id)}/timeline`);
      timeline.classList.remove('hidden');
      timeline.replaceChildren(
        h('h2', {}, `${w('timeline')}: ${a.deviceId} (${a.id})`),
        h(
          'ol',
          { class: 'hp-states' },
          ...(res.initial ? [h('li', {}, `${at(res.from)} · ${res.initial}`)] : []),
          ...res.states.map((s) =>
            h(
              'li',
              { 'data-state': s.to },
              `${at(s.at)} · ${s.from} → `,
              h('b', { class: `st-${s.to.toLowerCase()}` }, s.to),
              s.reason ? ` (${s.reason}${s.rootCauseId ? `: ${s.rootCauseId}` : ''})` : '',
            ),
          ),
        ),
      );
      timeline.scrollIntoView({ block: 'nearest' });
    }
    const form = h(
      'form',
      {
        class: 'hp-filters',
        onsubmit: (e: Event) => {
          e.preventDefault();
          page = 1;
          void load();
        },
      },
      from,
      to,
      kec,
      type,
      sev,
      device,
      q,
      h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, w('apply')),
      exportLink,
    );
    body.append(form, table, pager, timeline);
    void load();
  }

  async function reportTab(body: HTMLElement): Promise<void> {
    const d = new Date(Date.now() + zone.offsetMs);
    const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const month = h('input', { type: 'month', class: 'select', name: 'month', value: prev, 'aria-label': w('month') });
    const links = h('span', { class: 'hp-links' });
    const out = h('div', { class: 'hp-table-wrap' });
    const groupTable = (title: string, rows: Group[], label: (k: string) => string) =>
      h(
        'section',
        {},
        h('h2', {}, title),
        h(
          'table',
          { class: 'hp-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, ''),
              ...(['devices', 'availability', 'outages', 'downtime', 'mttr', 'longest', 'maintenance'] as const).map(
                (k) => h('th', {}, w(k)),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...rows.map((g) =>
              h(
                'tr',
                { 'data-key': g.key },
                h('td', {}, label(g.key)),
                h('td', {}, g.devices),
                h('td', { 'data-pct': g.availabilityPct ?? '' }, pct(g.availabilityPct)),
                h('td', {}, g.outages),
                h('td', {}, dur(g.downtimeMs)),
                h('td', {}, dur(g.mttrMs)),
                h('td', {}, dur(g.longestOutageMs)),
                h('td', {}, dur(g.maintenanceMs)),
              ),
            ),
          ),
        ),
      );
    async function load(): Promise<void> {
      const m = month.value;
      links.replaceChildren(
        ...(['pdf', 'csv', 'html'] as const).map((f) =>
          h(
            'a',
            {
              class: 'btn btn-small',
              href: `/api/reports/availability?month=${m}&format=${f}&lang=${getLang()}`,
              'data-format': f,
              target: f === 'html' ? '_blank' : null,
            },
            f.toUpperCase(),
          ),
        ),
      );
      const r = await get<{ total: Group; byType: Group[]; byKecamatan: Group[] }>(
        `/api/reports/availability?month=${m}`,
      );
      out.replaceChildren(
        groupTable(w('total'), [{ ...r.total, key: w('total') }], (k) => k),
        groupTable(w('type'), r.byType, (k) => w(k as Word) ?? k),
        groupTable(w('kecamatan'), r.byKecamatan, (k) => k),
      );
    }
    body.append(
      h(
        'form',
        {
          class: 'hp-filters',
          onsubmit: (e: Event) => {
            e.preventDefault();
            void load();
          },
        },
        month,
        h('button', { class: 'btn btn-primary btn-small', type: 'submit' }, w('show')),
        links,
      ),
      out,
    );
    await load();
  }

  async function notifyTab(body: HTMLElement): Promise<void> {
    // `{ name, <channel>: recipients, … }` per group, one key per notification channel the server has.
    const { groups } = await get<{ groups: ({ name: string } & Record<string, number | string>)[] }>(
      '/api/notify/groups',
    );
    const results = h('div', { class: 'hp-table-wrap' });
    async function send(group: string, btn: HTMLButtonElement): Promise<void> {
      btn.disabled = true;
      try {
        const res = await fetch('/api/notify/test', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ group }),
        });
        const j = (await res.json()) as {
          results?: { channel: string; target: string; ok: boolean; answer: string; ms: number }[];
          error?: { message: string };
        };
        if (!res.ok || !j.results) {
          results.replaceChildren(h('p', { class: 'hp-error' }, j.error?.message ?? res.statusText));
          return;
        }
        results.replaceChildren(
          h(
            'table',
            { class: 'hp-table', 'data-group': group },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, w('channel')),
                h('th', {}, w('target')),
                h('th', {}, w('answer')),
                h('th', {}, 'ms'),
              ),
            ),
            h(
              'tbody',
              {},
              ...j.results.map((r) =>
                h(
                  'tr',
                  { class: r.ok ? 'ok' : 'fail', 'data-channel': r.channel },
                  h('td', {}, r.channel),
                  h('td', { class: 'mono' }, r.target),
                  h('td', {}, r.answer),
                  h('td', {}, r.ms),
                ),
              ),
            ),
          ),
        );
      } finally {
        btn.disabled = false;
      }
    }
    if (groups.length === 0) {
      body.append(h('p', { class: 'muted' }, w('noGroups')));
      return;
    }
    body.append(
      h(
        'table',
        { class: 'hp-table' },
        h(
          'tbody',
          {},
          ...groups.map((g) => {
            const btn = h('button', { class: 'btn btn-primary btn-small', 'data-send': g.name }, w('send'));
            btn.addEventListener('click', () => void send(g.name, btn));
            return h('tr', {}, h('td', { class: 'mono' }, g.name), h('td', {}, channelCounts(g)), h('td', {}, btn));
          }),
        ),
      ),
      results,
    );
  }

  render();
}
