import { parse } from 'csv-parse/sync';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { deviceSchema, type Device } from './schema.js';
import { checkInventory, type DeviceOrigin } from './validate.js';
import { DEVICE_TYPE_TEXT, isDeviceType } from '../vocabulary/device-types.js';

/** The columns a spreadsheet export needs; others are ignored. */
export const CSV_COLUMNS = [
  'id',
  'name',
  'type',
  'role',
  'kecamatan',
  'lat',
  'lon',
  'address',
  'parent',
  'vendor',
  'model',
  'snmp_version',
  'snmp_credentials',
  'onvif_credentials',
  'tags',
] as const;
const REQUIRED = ['id', 'name', 'type', 'kecamatan', 'lat', 'lon', 'address', 'parent'] as const;

export interface ImportResult {
  devices: Device[];
  /** `row N: …` where N is the spreadsheet row (the header is row 1). */
  problems: string[];
}

type Row = Record<string, string>;

function rowToInput(r: Row): z.input<typeof deviceSchema> {
  const num = (s: string | undefined) =>
    s === undefined || s.trim() === '' ? Number.NaN : Number(s.replace(',', '.'));
  const probes: Record<string, unknown> = { icmp: { enabled: true } };
  if (r['snmp_credentials'])
    probes['snmp'] = { version: (r['snmp_version'] || 'v2c').toLowerCase(), credentials: r['snmp_credentials'] };
  if (r['onvif_credentials']) probes['onvif'] = { credentials: r['onvif_credentials'] };
  const type = (r['type'] ?? '').trim().toLowerCase();
  return {
    id: (r['id'] ?? '').trim(),
    name: (r['name'] ?? '').trim(),
    type: type as Device['type'],
    role: ((r['role'] ?? '').trim() ||
      (isDeviceType(type) ? DEVICE_TYPE_TEXT[type].defaultRole : 'access')) as Device['role'],
    kecamatan: (r['kecamatan'] ?? '').trim() as Device['kecamatan'],
    lat: num(r['lat']),
    lon: num(r['lon']),
    address: (r['address'] ?? '').trim(),
    parent: (r['parent'] ?? '').trim() === '' ? null : (r['parent'] ?? '').trim(),
    vendor: ((r['vendor'] ?? '').trim().toLowerCase() || 'generic') as Device['vendor'],
    ...(r['model']?.trim() ? { model: r['model'].trim() } : {}),
    tags: (r['tags'] ?? '')
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean),
    probes: probes as z.input<typeof deviceSchema>['probes'],
  };
}

/**
 * Turns a spreadsheet export (CSV with a header row) into devices. Every bad row is reported
 * with its spreadsheet row number; parents may live in the CSV or in `existing`.
 */
export function importDevicesCsv(
  csv: string,
  existing: readonly Device[],
  known: { snmpCredentials: ReadonlySet<string>; onvifCredentials: ReadonlySet<string> },
): ImportResult {
  let rows: Row[];
  try {
    rows = parse(csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      delimiter: csv.split('\n', 1)[0]?.includes(';') && !csv.split('\n', 1)[0]?.includes(',') ? ';' : ',',
    }) as Row[];
  } catch (err) {
    return { devices: [], problems: [`CSV cannot be read: ${(err as Error).message}`] };
  }
  const problems: string[] = [];
  const header = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (rows.length === 0) return { devices: [], problems: ['CSV has no data rows'] };
  if (missing.length > 0) return { devices: [], problems: [`row 1: missing column(s) ${missing.join(', ')}`] };

  const devices: Device[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    const rowNo = i + 2;
    const parsed = deviceSchema.safeParse(rowToInput(r));
    if (!parsed.success) {
      const msgs = parsed.error.issues.map(
        (iss) =>
          `${iss.path.join('.') || 'row'}: ${iss.message.replace('expected number, received NaN', 'not a number')}`,
      );
      problems.push(`row ${rowNo}: ${msgs.join('; ')}`);
      return;
    }
    devices.push(parsed.data);
    rowOf.push(rowNo);
  });
  if (problems.length > 0) return { devices: [], problems };

  const all = [...existing, ...devices];
  const origins: DeviceOrigin[] = all.map((_d, i) => ({
    file: i < existing.length ? 'inventory' : 'csv',
    index: i,
    lineOf: () => (i < existing.length ? 0 : rowOf[i - existing.length]!),
  }));
  for (const p of checkInventory(all, origins, known)) {
    const field = p.path.replace(/^devices\[\d+\]\./, '');
    problems.push(p.file === 'csv' ? `row ${p.line}: ${field}: ${p.message}` : `existing inventory: ${p.message}`);
  }
  return problems.length > 0 ? { devices: [], problems } : { devices, problems: [] };
}

export function devicesToYaml(devices: readonly Device[], source: string): string {
  return `# Imported from ${source} by \`pantau inventory import\`.\n${stringify({ devices }, { lineWidth: 0 })}`;
}
