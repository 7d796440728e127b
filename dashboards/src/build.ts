/**
 * Renders every dashboard to its committed JSON file, and checks the committed files are current.
 * `pantau dashboards build [--check]` is the shell around this.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DASHBOARDS } from './index.js';
import { TIME_ZONES, type TimeZoneName } from '../../core/region/schema.js';

export const GENERATED_DIR = 'dashboards/generated';

/** What a dashboard needs of the region (pantau.yaml `region:`): its clock and its short name. */
export interface DashboardRegion {
  shortName: string;
  timeZone: TimeZoneName;
}
/** The dashboards in dashboards/src are written for OKU's region (the committed JSON). */
export const SOURCE_REGION: DashboardRegion = { shortName: 'OKU', timeZone: 'WIB' };

/**
 * The dashboard for another regency: its time zone (Grafana shows every panel in it, whatever the
 * viewer's browser says) and its name and zone in the description, which dashboards/src writes for
 * SOURCE_REGION ("… smart city OKU …", "Waktu WIB."). Pure; OKU's dashboards come out unchanged.
 */
export function forRegion<D extends { timezone?: string; description?: string }>(
  dashboard: D,
  region: DashboardRegion,
): D {
  if (region.shortName === SOURCE_REGION.shortName && region.timeZone === SOURCE_REGION.timeZone) return dashboard;
  const description = dashboard.description
    ?.replace(new RegExp(`\\bWaktu ${SOURCE_REGION.timeZone}\\b`, 'g'), `Waktu ${region.timeZone}`)
    .replace(new RegExp(`\\b${SOURCE_REGION.shortName}\\b`, 'g'), region.shortName);
  return {
    ...dashboard,
    timezone: TIME_ZONES[region.timeZone].iana,
    ...(description !== undefined ? { description } : {}),
  };
}

/** Stable text: two-space JSON and a final newline, so diffs and the check are byte-exact. */
export function renderDashboards(region: DashboardRegion = SOURCE_REGION): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of DASHBOARDS) out.set(`${d.file}`, `${JSON.stringify(forRegion(d.build(), region), null, 2)}\n`);
  return out;
}

export interface CheckResult {
  stale: string[];
  missing: string[];
  /** JSON files in the folder that no dashboard produces any more. */
  extra: string[];
}

export async function checkDashboards(
  dir = GENERATED_DIR,
  region: DashboardRegion = SOURCE_REGION,
): Promise<CheckResult> {
  const rendered = renderDashboards(region);
  const result: CheckResult = { stale: [], missing: [], extra: [] };
  for (const [file, text] of rendered) {
    const current = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (current === undefined) result.missing.push(file);
    else if (current !== text) result.stale.push(file);
  }
  const present = await readdir(dir).catch(() => [] as string[]);
  for (const f of present) if (f.endsWith('.json') && !rendered.has(f)) result.extra.push(f);
  return result;
}

export async function writeDashboards(dir = GENERATED_DIR, region: DashboardRegion = SOURCE_REGION): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, text] of renderDashboards(region)) {
    await writeFile(join(dir, file), text);
    written.push(join(dir, file));
  }
  return written;
}
