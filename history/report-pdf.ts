/**
 * The availability report as a PDF that reads like an official document: kop surat (letterhead)
 * from config, Bahasa Indonesia by default, tables, a chart per device type, page numbers and a
 * signature block. Laid out with pdfkit (docs/adr/0802); figures come from sla.ts only.
 */
import PDFDocument from 'pdfkit';
import { formatDuration, formatLocal, monthName } from '../core/period.js';
import type { ReportMeta } from './report-html.js';
import { REPORT_TEXT, formatPct } from './report-text.js';
import { computeGroups, type SlaGroupRow, type SlaReport } from './sla.js';

const MARGIN = 50;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

export function slaToPdf(r: SlaReport, meta: ReportMeta): Promise<Buffer> {
  const t = REPORT_TEXT[meta.lang];
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${t.title} ${monthName(meta.month, meta.lang)}`,
      Author: meta.letterhead.lines[1] ?? 'pantau',
      Creator: 'pantau',
    },
    lang: meta.lang === 'id' ? 'id-ID' : 'en-US',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;
  const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, meta.lang));

  // ---- kop surat ----
  meta.letterhead.lines.forEach((line, i) => {
    doc
      .font(i < 2 ? BOLD : FONT)
      .fontSize(i === 0 ? 14 : i === 1 ? 12 : 9)
      .text(line, MARGIN, undefined, { width, align: 'center' });
  });
  const ly = doc.y + 4;
  doc
    .moveTo(MARGIN, ly)
    .lineTo(MARGIN + width, ly)
    .lineWidth(2)
    .stroke();
  doc
    .moveTo(MARGIN, ly + 3)
    .lineTo(MARGIN + width, ly + 3)
    .lineWidth(0.5)
    .stroke();
  doc.y = ly + 14;
  doc.font(BOLD).fontSize(13).text(t.title.toUpperCase(), MARGIN, undefined, { width, align: 'center' });
  doc
    .font(FONT)
    .fontSize(10)
    .text(
      `${t.period}: ${monthName(meta.month, meta.lang)}  (${formatLocal(r.from, meta.zone)} – ${formatLocal(r.to, meta.zone)} ${meta.zone.name})`,
      MARGIN,
      undefined,
      { width, align: 'center' },
    );
  doc.moveDown(1);

  function heading(text: string): void {
    if (doc.y > bottom() - 60) doc.addPage();
    doc.moveDown(0.5).font(BOLD).fontSize(11).text(text, MARGIN);
    doc.moveDown(0.3);
  }

  function table(cols: Column[], rows: string[][]): void {
    const scale = width / cols.reduce((s, c) => s + c.width, 0);
    const ws = cols.map((c) => c.width * scale);
    const rowH = 14;
    const drawRow = (cells: string[], bold: boolean) => {
      if (doc.y + rowH > bottom()) {
        doc.addPage();
        drawRow(
          cols.map((c) => c.title),
          true,
        );
      }
      const y = doc.y;
      let x = MARGIN;
      if (bold) doc.rect(MARGIN, y, width, rowH).fillColor('#e8e8e8').fill().fillColor('black');
      doc.font(bold ? BOLD : FONT).fontSize(7.5);
      cells.forEach((cell, i) => {
        doc.text(cell, x + 2, y + 3.5, {
          width: ws[i]! - 4,
          align: cols[i]!.align ?? 'left',
          lineBreak: false,
          ellipsis: true,
        });
        x += ws[i]!;
      });
      doc.rect(MARGIN, y, width, rowH).lineWidth(0.3).stroke();
      doc.x = MARGIN;
      doc.y = y + rowH;
    };
    drawRow(
      cols.map((c) => c.title),
      true,
    );
    for (const row of rows) drawRow(row, false);
    doc.moveDown(0.5);
  }

  const groupCols = (first: string): Column[] => [
    { title: first, width: 110 },
    { title: t.devices, width: 45, align: 'right' },
    { title: t.availability, width: 55, align: 'right' },
    { title: t.outages, width: 40, align: 'right' },
    { title: t.downtime, width: 60, align: 'right' },
    { title: t.mttr, width: 55, align: 'right' },
    { title: t.longest, width: 60, align: 'right' },
    { title: t.maintenanceTime, width: 60, align: 'right' },
  ];
  const groupCells = (label: string, g: SlaGroupRow) => [
    label,
    String(g.devices),
    formatPct(g.availabilityPct, meta.lang),
    String(g.outages),
    dur(g.downtimeMs),
    dur(g.mttrMs),
    dur(g.longestOutageMs),
    dur(g.maintenanceMs),
  ];

  heading(t.summary);
  table(groupCols(t.type), [
    ...r.byType.map((g) => groupCells(t.types[g.key] ?? g.key, g)),
    groupCells(t.total, r.total),
  ]);

  // ---- a chart per type: availability per kecamatan of that type's devices ----
  for (const g of r.byType) {
    const rows = computeGroups(
      r.devices.filter((d) => d.type === g.key),
      (d) => d.kecamatan,
    );
    heading(`${t.chart}: ${t.types[g.key] ?? g.key}`);
    barChart(rows.map((k) => ({ label: k.key, value: k.availabilityPct })));
  }

  heading(t.byKecamatan);
  table(
    groupCols(t.kecamatan),
    r.byKecamatan.map((g) => groupCells(g.key, g)),
  );

  heading(t.maintenance);
  const maint = r.devices.flatMap((d) =>
    d.maintenancePeriods.map((p) => [
      d.id,
      d.name,
      `${formatLocal(p.start, meta.zone)}`,
      `${formatLocal(p.end, meta.zone)}`,
      dur(p.end - p.start),
    ]),
  );
  if (maint.length === 0) doc.font(FONT).fontSize(9).text(t.none, MARGIN);
  else
    table(
      [
        { title: t.device, width: 95 },
        { title: t.name, width: 135 },
        { title: `${t.start} (${meta.zone.name})`, width: 90 },
        { title: `${t.end} (${meta.zone.name})`, width: 90 },
        { title: t.duration, width: 70, align: 'right' },
      ],
      maint,
    );

  heading(t.byDevice);
  table(
    [
      { title: t.device, width: 90 },
      { title: t.name, width: 95 },
      { title: t.kecamatan, width: 75 },
      { title: t.availability, width: 50, align: 'right' },
      { title: t.outages, width: 40, align: 'right' },
      { title: t.downtime, width: 60, align: 'right' },
      { title: t.mttr, width: 55, align: 'right' },
      { title: t.longest, width: 60, align: 'right' },
    ],
    r.devices.map((d) => [
      d.id,
      d.name,
      d.kecamatan,
      formatPct(d.availabilityPct, meta.lang),
      String(d.outages),
      dur(d.downtimeMs),
      dur(d.mttrMs),
      dur(d.longestOutageMs),
    ]),
  );

  doc.font(FONT).fontSize(8).text(t.method, MARGIN, undefined, { width });
  const sig = meta.letterhead.signature;
  if (sig && (sig.name || sig.role)) {
    if (doc.y > bottom() - 90) doc.addPage();
    doc.moveDown(2).fontSize(10);
    const x = MARGIN + width * 0.55;
    doc.text(`${sig.city}, ${formatLocal(meta.generatedAt, meta.zone).slice(0, 10)}`, x, undefined, {
      width: width * 0.45,
    });
    doc.text(sig.role, x, undefined, { width: width * 0.45 });
    doc.moveDown(3);
    doc.font(BOLD).text(sig.name || '(.................................)', x, undefined, {
      width: width * 0.45,
      underline: Boolean(sig.name),
    });
  }

  // ---- page numbers and footer on every page ----
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit start a new page: lift it for the footer.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 5;
    doc.font(FONT).fontSize(8).fillColor('#444');
    doc.text(`${t.title} — ${monthName(meta.month, meta.lang)}`, MARGIN, y, { width: width / 2, lineBreak: false });
    doc.text(`${t.page} ${i + 1 - range.start} ${t.of} ${range.count}`, MARGIN + width / 2, y, {
      width: width / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
  }
  doc.end();
  return done;

  function barChart(bars: { label: string; value: number | null }[]): void {
    const h = 12 * bars.length + 20;
    if (doc.y + h > bottom()) doc.addPage();
    const top = doc.y;
    const labelW = 110;
    const plotW = width - labelW - 50;
    // Availability near 100 % everywhere: the axis starts at the lowest value rounded down to 10 %.
    const min = Math.max(0, Math.min(90, Math.floor(Math.min(...bars.map((b) => b.value ?? 100)) / 10) * 10));
    bars.forEach((b, i) => {
      const y = top + i * 12;
      doc
        .font(FONT)
        .fontSize(7.5)
        .fillColor('black')
        .text(b.label, MARGIN, y + 2, { width: labelW - 4, lineBreak: false, ellipsis: true });
      const v = b.value;
      const w = v === null ? 0 : Math.max(1, ((v - min) / (100 - min)) * plotW);
      doc
        .rect(MARGIN + labelW, y + 1, w, 9)
        .fillColor(v === null ? '#bbbbbb' : v >= 99 ? '#2e7d32' : v >= 95 ? '#f9a825' : '#c62828')
        .fill();
      doc
        .fillColor('black')
        .text(formatPct(v, meta.lang), MARGIN + labelW + plotW + 4, y + 2, { width: 46, lineBreak: false });
    });
    const axisY = top + bars.length * 12 + 2;
    doc
      .moveTo(MARGIN + labelW, axisY)
      .lineTo(MARGIN + labelW + plotW, axisY)
      .lineWidth(0.5)
      .stroke();
    doc.fontSize(7).text(`${min}%`, MARGIN + labelW - 10, axisY + 2, { lineBreak: false });
    doc.text('100%', MARGIN + labelW + plotW - 14, axisY + 2, { lineBreak: false });
    doc.x = MARGIN;
    doc.y = axisY + 14;
  }
}
