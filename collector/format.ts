import type { Inventory } from '../core/inventory/topology.js';
import type { ProbeResult } from '../core/types.js';
import { probeOf } from './probes/list.js';

const T = {
  id: { device: 'PERANGKAT', kind: 'PROBE', status: 'STATUS', detail: 'RINCIAN', ok: 'OK', fail: 'GAGAL', summary: (ok: number, n: number) => `${ok} dari ${n} probe berhasil` },
  en: { device: 'DEVICE', kind: 'PROBE', status: 'STATUS', detail: 'DETAIL', ok: 'OK', fail: 'FAIL', summary: (ok: number, n: number) => `${ok} of ${n} probes succeeded` },
};

export { formatUptime } from './probes/snmp/index.js';

/** One line of human detail per result (numbers, not prose, so both languages read it). */
export function detailOf(r: ProbeResult, lang: 'id' | 'en'): string {
  if (r.kind === 'trap') return `${r.trap}${r.ifName ? ` ${r.ifName}` : ''}`;
  return probeOf(r.kind).summary(r, lang);
}

/** A plain-text table for operators: Indonesian by default. */
export function formatResultsTable(results: readonly ProbeResult[], inventory: Inventory, lang: 'id' | 'en' = 'id'): string {
  const t = T[lang];
  const rows = results.map((r) => [r.deviceId, r.kind, r.ok ? t.ok : t.fail, `${r.durationMs} ms`, detailOf(r, lang)]);
  const head = [t.device, t.kind, t.status, 'WAKTU', t.detail];
  if (lang === 'en') head[3] = 'TIME';
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const ok = results.filter((r) => r.ok).length;
  void inventory;
  return `${[line(head), ...rows.map(line)].join('\n')}\n${t.summary(ok, results.length)}\n`;
}
