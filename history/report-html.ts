/** The availability report as one self-contained HTML document (printable; what the page downloads). */
import { formatDuration, formatLocal, monthName, type Zone } from '../core/period.js';
import { REPORT_TEXT, formatPct, type Lang } from './report-text.js';
import type { SlaGroupRow, SlaReport } from './sla.js';

export interface ReportMeta {
  month: string;
  zone: Zone;
  lang: Lang;
  generatedAt: number;
  letterhead: { lines: readonly string[]; signature?: { city: string; role: string; name: string } };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function slaToHtml(r: SlaReport, meta: ReportMeta): string {
  const t = REPORT_TEXT[meta.lang];
  const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, meta.lang));
  const head = (first: string) =>
    `<tr><th>${esc(first)}</th><th>${t.devices}</th><th>${t.availability}</th><th>${t.outages}</th><th>${t.downtime}</th><th>${t.mttr}</th><th>${t.longest}</th><th>${t.maintenanceTime}</th></tr>`;
  const groupRow = (label: string, g: SlaGroupRow) =>
    `<tr><td>${esc(label)}</td><td class="n">${g.devices}</td><td class="n">${formatPct(g.availabilityPct, meta.lang)}</td><td class="n">${g.outages}</td><td class="n">${dur(g.downtimeMs)}</td><td class="n">${dur(g.mttrMs)}</td><td class="n">${dur(g.longestOutageMs)}</td><td class="n">${dur(g.maintenanceMs)}</td></tr>`;
  const devRows = r.devices
    .map(
      (d) =>
        `<tr><td>${esc(d.id)}</td><td>${esc(d.name)}</td><td>${esc(d.type)}</td><td>${esc(d.kecamatan)}</td><td class="n">${formatPct(d.availabilityPct, meta.lang)}</td><td class="n">${d.outages}</td><td class="n">${dur(d.downtimeMs)}</td><td class="n">${dur(d.mttrMs)}</td><td class="n">${dur(d.longestOutageMs)}</td><td class="n">${dur(d.maintenanceMs)}</td></tr>`,
    )
    .join('\n');
  const maint = r.devices.flatMap((d) =>
    d.maintenancePeriods.map(
      (p) =>
        `<tr><td>${esc(d.id)}</td><td>${esc(d.name)}</td><td>${formatLocal(p.start, meta.zone)} ${meta.zone.name}</td><td>${formatLocal(p.end, meta.zone)} ${meta.zone.name}</td><td class="n">${dur(p.end - p.start)}</td></tr>`,
    ),
  );
  const sig = meta.letterhead.signature;
  return `<!doctype html>
<html lang="${meta.lang}"><head><meta charset="utf-8"><title>${t.title} — ${esc(monthName(meta.month, meta.lang))}</title>
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px;margin:24px;color:#111}
.kop{text-align:center;border-bottom:3px double #000;padding-bottom:6px;margin-bottom:12px}
.kop div:first-child{font-size:15px;font-weight:bold}.kop div{font-size:13px}
h1{text-align:center;font-size:15px;margin:8px 0 2px}.sub{text-align:center;margin-bottom:12px}
h2{font-size:13px;margin:16px 0 4px}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:2px 4px}th{background:#eee}td.n{text-align:right}
.method{font-size:10px;color:#333;margin-top:8px}.sig{margin-top:32px;margin-left:60%}
</style></head><body>
<div class="kop">${meta.letterhead.lines.map((l) => `<div>${esc(l)}</div>`).join('')}</div>
<h1>${t.title}</h1>
<div class="sub">${t.period}: ${esc(monthName(meta.month, meta.lang))} (${formatLocal(r.from, meta.zone)} – ${formatLocal(r.to, meta.zone)} ${meta.zone.name}) · ${t.generated}: ${formatLocal(meta.generatedAt, meta.zone)} ${meta.zone.name}</div>
<h2>${t.summary}</h2>
<table>${head('')}${groupRow(t.total, r.total)}</table>
<h2>${t.byType}</h2>
<table>${head(t.type)}${r.byType.map((g) => groupRow(t.types[g.key] ?? g.key, g)).join('')}</table>
<h2>${t.byKecamatan}</h2>
<table>${head(t.kecamatan)}${r.byKecamatan.map((g) => groupRow(g.key, g)).join('')}</table>
<h2>${t.maintenance}</h2>
${maint.length ? `<table><tr><th>${t.device}</th><th>${t.name}</th><th>${t.start}</th><th>${t.end}</th><th>${t.duration}</th></tr>${maint.join('')}</table>` : `<p>${t.none}</p>`}
<h2>${t.byDevice}</h2>
<table><tr><th>${t.device}</th><th>${t.name}</th><th>${t.type}</th><th>${t.kecamatan}</th><th>${t.availability}</th><th>${t.outages}</th><th>${t.downtime}</th><th>${t.mttr}</th><th>${t.longest}</th><th>${t.maintenanceTime}</th></tr>
${devRows}</table>
<p class="method">${t.method}</p>
${sig && (sig.name || sig.role) ? `<div class="sig">${esc(sig.city)}, ${formatLocal(meta.generatedAt, meta.zone).slice(0, 10)}<br>${esc(sig.role)}<br><br><br><br>${esc(sig.name)}</div>` : ''}
</body></html>
`;
}
