/** The availability report as CSV: one table, a `level` column telling device / type / kecamatan / total rows. */
import type { SlaDeviceRow, SlaGroupRow, SlaReport } from './sla.js';

const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(2));
const pct = (v: number | null) => (v === null ? '' : v.toFixed(4));

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly (string | number)[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const SLA_CSV_HEADER = [
  'level',
  'key',
  'name',
  'type',
  'kecamatan',
  'devices',
  'availability_pct',
  'outages',
  'downtime_min',
  'mttr_min',
  'longest_outage_min',
  'maintenance_min',
  'no_data_min',
] as const;

export function slaToCsv(r: SlaReport): string {
  const fig = (x: SlaDeviceRow | SlaGroupRow) => [
    pct(x.availabilityPct),
    x.outages,
    minutes(x.downtimeMs),
    minutes(x.mttrMs),
    minutes(x.longestOutageMs),
    minutes(x.maintenanceMs),
    minutes(x.noDataMs),
  ];
  let out = csvLine(SLA_CSV_HEADER);
  out += csvLine(['total', 'total', '', '', '', r.total.devices, ...fig(r.total)]);
  for (const g of r.byType) out += csvLine(['type', g.key, '', g.key, '', g.devices, ...fig(g)]);
  for (const g of r.byKecamatan) out += csvLine(['kecamatan', g.key, '', '', g.key, g.devices, ...fig(g)]);
  for (const d of r.devices) out += csvLine(['device', d.id, d.name, d.type, d.kecamatan, 1, ...fig(d)]);
  return out;
}
