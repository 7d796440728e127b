/** The status page's words, Bahasa Indonesia first (the page and the feed share them). */
import type { DayLevel, IncidentStatus, Localized, PublicState } from './model.js';

export type Lang = 'id' | 'en';

const id = {
  lang: 'id',
  switchLabel: 'English',
  switchLang: 'en',
  overall: {
    up: 'Semua layanan berjalan normal',
    degraded: 'Sebagian layanan terganggu',
    down: 'Ada layanan yang tidak tersedia',
    maintenance: 'Sebagian layanan dalam pemeliharaan',
    unknown: 'Status tidak diketahui',
  } satisfies Record<PublicState, string>,
  state: {
    up: 'Normal',
    degraded: 'Terganggu',
    down: 'Tidak tersedia',
    maintenance: 'Pemeliharaan',
    unknown: 'Tidak diketahui',
  } satisfies Record<PublicState, string>,
  level: {
    ok: 'normal',
    minor: 'gangguan kecil',
    major: 'gangguan',
    outage: 'gangguan besar',
    maint: 'pemeliharaan',
    none: 'tanpa data',
  } satisfies Record<DayLevel, string>,
  incidentStatus: {
    investigating: 'Sedang diperiksa',
    identified: 'Sedang ditangani',
    resolved: 'Selesai',
  } satisfies Record<IncidentStatus, string>,
  kind: { outage: 'Gangguan', degraded: 'Penurunan kualitas' },
  currentIncidents: 'Gangguan saat ini',
  noIncidents: 'Tidak ada gangguan saat ini.',
  recentIncidents: 'Gangguan sebelumnya',
  affects: 'Berdampak pada',
  andMore: 'dan {n} lainnya',
  started: 'Mulai',
  resolved: 'Pulih',
  updated: 'Diperbarui',
  since: 'sejak',
  availability: 'ketersediaan {days} hari',
  daysAgo: '{days} hari lalu',
  today: 'Hari ini',
  noData: 'belum ada data',
  legend: 'Warna per hari',
  upCount: '{up} dari {total} normal',
  generated: 'Diperbarui {time}',
  feed: 'Umpan gangguan (Atom)',
  feedTitle: 'Gangguan layanan',
  message: 'Pesan petugas',
};
type Words = typeof id;

const en: Words = {
  lang: 'en',
  switchLabel: 'Bahasa Indonesia',
  switchLang: 'id',
  overall: {
    up: 'All services are operating normally',
    degraded: 'Some services are degraded',
    down: 'Some services are unavailable',
    maintenance: 'Some services are under maintenance',
    unknown: 'Status not known',
  },
  state: {
    up: 'Operational',
    degraded: 'Degraded',
    down: 'Unavailable',
    maintenance: 'Maintenance',
    unknown: 'Unknown',
  },
  level: {
    ok: 'normal',
    minor: 'minor disruption',
    major: 'disruption',
    outage: 'major outage',
    maint: 'maintenance',
    none: 'no data',
  },
  incidentStatus: { investigating: 'Investigating', identified: 'Being fixed', resolved: 'Resolved' },
  kind: { outage: 'Outage', degraded: 'Degraded service' },
  currentIncidents: 'Current incidents',
  noIncidents: 'No incidents right now.',
  recentIncidents: 'Past incidents',
  affects: 'Affects',
  andMore: 'and {n} more',
  started: 'Started',
  resolved: 'Resolved',
  updated: 'Updated',
  since: 'since',
  availability: '{days}-day availability',
  daysAgo: '{days} days ago',
  today: 'Today',
  noData: 'no data yet',
  legend: 'Colour per day',
  upCount: '{up} of {total} operational',
  generated: 'Updated {time}',
  feed: 'Incident feed (Atom)',
  feedTitle: 'Service incidents',
  message: 'Message from the operators',
};

export const WORDS: Record<Lang, Words> = { id, en };

export const fill = (s: string, vars: Record<string, string | number>): string =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));

export const pick = (t: Localized, lang: Lang): string => t[lang];

const p2 = (n: number) => String(n).padStart(2, '0');
const MONTHS: Record<Lang, string[]> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

/** `30 Nov 2026 08.15 WIB` (id) / `30 Nov 2026 08:15 WIB` (en), in the region's zone. */
export function formatTime(ms: number, zone: { name: string; offsetMs: number }, lang: Lang): string {
  const d = new Date(ms + zone.offsetMs);
  const sep = lang === 'id' ? '.' : ':';
  return `${d.getUTCDate()} ${MONTHS[lang][d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}${sep}${p2(d.getUTCMinutes())} ${zone.name}`;
}

/** A local date YYYY-MM-DD as `30 Nov 2026`. */
export function formatDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
}

/** `99,95 %` (id) / `99.95%` (en); `—` when unknown. */
export function formatPct(p: number | null | undefined, lang: Lang): string {
  if (p === null || p === undefined) return '—';
  const s = (Math.floor(p * 100) / 100).toFixed(2);
  return lang === 'id' ? `${s.replace('.', ',')} %` : `${s}%`;
}
