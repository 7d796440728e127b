/** The alert history rows as CSV (what the page's export button downloads), times in the region zone. */
import { csvLine } from './report-csv.js';
import type { AlertHistoryRow } from './alert-search.js';
import { isoLocal, type Zone } from '../core/period.js';

const HEADER = {
  id: [
    'id',
    'dibuka',
    'diakui_pertama',
    'semua_pengakuan',
    'selesai',
    'durasi_menit',
    'status',
    'tingkat',
    'perangkat',
    'jenis',
    'kecamatan',
    'akar_masalah',
    'dampak_perangkat',
    'judul',
  ],
  en: [
    'id',
    'opened',
    'first_acknowledged',
    'all_acknowledgements',
    'resolved',
    'duration_min',
    'status',
    'severity',
    'device',
    'type',
    'kecamatan',
    'root_cause',
    'impact_devices',
    'title',
  ],
} as const;

export function alertsToCsv(rows: readonly AlertHistoryRow[], zone: Zone, lang: 'id' | 'en' = 'id'): string {
  const t = (ms: number | undefined) => (ms === undefined ? '' : `${isoLocal(ms, zone)} ${zone.name}`);
  let out = csvLine(HEADER[lang]);
  for (const a of rows) {
    out += csvLine([
      a.id,
      t(a.openedAt),
      t(a.ackLog[0]?.at),
      a.ackLog.map((k) => `${k.by} ${t(k.at)}${k.comment ? `: ${k.comment}` : ''}`).join(' | '),
      t(a.resolvedAt),
      (a.durationMs / 60_000).toFixed(1),
      a.status,
      a.severity,
      a.deviceId,
      a.deviceType,
      a.kecamatan,
      a.rootCause,
      a.impact,
      a.title,
    ]);
  }
  return out;
}
