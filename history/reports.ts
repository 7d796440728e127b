/** The monthly availability report: store + inventory → SlaReport → csv / html / pdf / json. */
import type { Config } from '../core/config/schema.js';
import type { Inventory } from '../core/inventory/topology.js';
import { monthRange, zoneOf, type Zone, type ZoneName } from '../core/period.js';
import { slaToCsv } from './report-csv.js';
import { slaToHtml, type ReportMeta } from './report-html.js';
import type { Lang } from './report-text.js';
import { computeSla, type SlaReport } from './sla.js';
import type { StateLog } from './state-log.js';

export const REPORT_FORMATS = ['csv', 'html', 'pdf', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  contentType: string;
  filename: string;
  body: Buffer;
}

export interface ReportDeps {
  stateLog: Pick<StateLog, 'timelines'>;
  inventory: () => Inventory;
  config: Pick<Config, 'reports'>;
  now: () => number;
  /** The region's zone, used when reports.zone is not set. */
  regionZone?: ZoneName;
}

export function createReports(deps: ReportDeps) {
  const zone = (): Zone => zoneOf(deps.config.reports.zone ?? deps.regionZone ?? 'WIB');
  function compute(month: string): SlaReport {
    const { from, to } = monthRange(month, zone());
    // A month still running is computed up to now.
    const end = Math.min(to, Math.max(from, deps.now()));
    const devices = deps
      .inventory()
      .devices.map((d) => ({ id: d.id, name: d.name, type: d.type, kecamatan: d.kecamatan }));
    const report = computeSla({ from, to: end, devices, timelines: deps.stateLog.timelines(from, end) });
    return report;
  }
  return {
    zone,
    compute,
    async render(
      month: string,
      format: ReportFormat,
      lang: Lang = deps.config.reports.language,
    ): Promise<RenderedReport> {
      const report = compute(month);
      const meta: ReportMeta = {
        month,
        zone: zone(),
        lang,
        generatedAt: deps.now(),
        letterhead: deps.config.reports.letterhead,
      };
      const base = `pantau-ketersediaan-${month}`;
      switch (format) {
        case 'csv':
          return {
            contentType: 'text/csv; charset=utf-8',
            filename: `${base}.csv`,
            body: Buffer.from(slaToCsv(report)),
          };
        case 'html':
          return {
            contentType: 'text/html; charset=utf-8',
            filename: `${base}.html`,
            body: Buffer.from(slaToHtml(report, meta)),
          };
        case 'pdf': {
          // pdfkit (and its fonts) load on the first PDF, not with every `pantau start` (issue 12: OKU ≤ 150 MB RSS).
          const { slaToPdf } = await import('./report-pdf.js');
          return { contentType: 'application/pdf', filename: `${base}.pdf`, body: await slaToPdf(report, meta) };
        }
        case 'json':
          return {
            contentType: 'application/json',
            filename: `${base}.json`,
            body: Buffer.from(JSON.stringify({ month, zone: meta.zone.name, ...report })),
          };
      }
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
