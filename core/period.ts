/**
 * Calendar periods in the region's zone. Indonesian zones have no DST, so a zone is a fixed
 * offset: WIB +7, WITA +8, WIT +9. A month is [first midnight, next first midnight) local time.
 */
import { PantauError } from './errors.js';
import { ZONE_OFFSET_H } from './time.js';

export const ZONES = ZONE_OFFSET_H;
export type ZoneName = keyof typeof ZONES;

export interface Zone {
  name: string;
  offsetMs: number;
}

export const zoneOf = (name: ZoneName = 'WIB'): Zone => ({ name, offsetMs: ZONES[name] * 3600_000 });

/** `2026-11` → [1 Nov 00:00, 1 Dec 00:00) in the zone, epoch ms. */
export function monthRange(month: string, zone: Zone): { from: number; to: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new PantauError('PANTAU_INVALID_INPUT', `month "${month}": expected YYYY-MM, e.g. 2026-11`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { from: Date.UTC(y, mo, 1) - zone.offsetMs, to: Date.UTC(y, mo + 1, 1) - zone.offsetMs };
}

/** The month (YYYY-MM) containing `at` in the zone. */
export function monthOf(at: number, zone: Zone): string {
  const d = new Date(at + zone.offsetMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month before the one containing `at`: what the report sent on the 1st covers. */
export function previousMonth(at: number, zone: Zone): string {
  const d = new Date(at + zone.offsetMs);
  const p = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return `${p.getUTCFullYear()}-${String(p.getUTCMonth() + 1).padStart(2, '0')}`;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `28/11/2026 08.15` (+ `.03` with seconds) in the zone, without the zone name. */
export function formatLocal(ms: number, zone: Zone, opts: { seconds?: boolean } = {}): string {
  const d = new Date(ms + zone.offsetMs);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}.${p2(d.getUTCMinutes())}${opts.seconds ? `.${p2(d.getUTCSeconds())}` : ''}`;
}

/** ISO-like `2026-11-28 08:15:03` in the zone (CSV: sortable, spreadsheet-friendly). */
export function isoLocal(ms: number, zone: Zone): string {
  const d = new Date(ms + zone.offsetMs);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** `2 j 05 m` / `2 h 05 m`; seconds below a minute. */
export function formatDuration(ms: number, lang: 'id' | 'en' = 'id'): string {
  const s = Math.round(ms / 1000);
  if (s === 0) return '0';
  if (s < 60) return `${s} ${lang === 'id' ? 'd' : 's'}`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  const hh = lang === 'id' ? 'j' : 'h';
  if (d > 0) return `${d} ${lang === 'id' ? 'hr' : 'd'} ${h % 24} ${hh} ${p2(m % 60)} m`;
  if (h > 0) return `${h} ${hh} ${p2(m % 60)} m`;
  return `${m} m ${p2(s % 60)} ${lang === 'id' ? 'd' : 's'}`;
}

const MONTHS = {
  id: [
    'Januari',
    'Februari',
    'Maret',
    'April',
    'Mei',
    'Juni',
    'Juli',
    'Agustus',
    'September',
    'Oktober',
    'November',
    'Desember',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
} as const;

/** `2026-11` → `November 2026`. */
export function monthName(month: string, lang: 'id' | 'en' = 'id'): string {
  const [y, m] = month.split('-');
  return `${MONTHS[lang][Number(m) - 1] ?? m} ${y}`;
}
