import type { Inventory } from '../core/inventory/topology.js';
import type { ProbeResult } from '../core/types.js';
import { probeOf } from './probes/list.js';

const T = {
  id: { device: 'PERANGKAT', kind: 'PROBE', status: 'STATUS', detail: 'RINCIAN', ok: 'OK', fail: 'GAGAL' },
  en: { device: 'DEVICE', kind: 'PROBE', status: 'STATUS', detail: 'DETAIL', ok: 'OK', fail: 'FAIL' },
};

export { formatUptime } from './probes/snmp/index.js';

/** One line of human detail per result (numbers, not prose, so both languages read it). */
export function detailOf(r: ProbeResult, lang: 'id' | 'en'): string {
  if (r.kind === 'trap') return `${r.trap}${r.ifName ? ` ${r.ifName}` : ''}`;
  return probeOf(r.kind).summary(r, lang);
}

/** A plain-text table for operators: Indonesian by default. */
export function formatResultsTable(
  results: readonly ProbeResult[],
  inventory: Inventory,
  lang: 'id' | 'en' = 'id',
): string {
  const t = T[lang];
  const rows = results.map((r) => [r.deviceId, r.kind, r.ok ? t.ok : t.fail, `${r.durationMs} ms`, detailOf(r, lang)]);
  const head = [t.device, t.kind, t.status, 'WAKTU', t.detail];
  if (lang === 'en') head[3] = 'TIME';
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  void inventory;
  return `${[line(head), ...rows.map(line)].join('\n')}\n${pollSummary(results, lang)}\n`;
}

/** The last line of `pantau poll`: how many probes ran and how many failed. */
export function pollSummary(results: readonly ProbeResult[], lang: 'id' | 'en'): string {
  const failed = results.filter((r) => !r.ok).length;
  if (results.length === 0) return lang === 'id' ? 'tidak ada probe yang dijalankan' : 'no probe ran';
  return lang === 'id'
    ? `${results.length - failed} dari ${results.length} probe berhasil, ${failed} gagal`
    : `${results.length - failed} of ${results.length} probes succeeded, ${failed} failed`;
}

/** `pantau poll --once` exit code: 0 every probe ok, 1 any failed (or none ran); usage/config errors are 2 (set by the command). */
export function pollExitCode(results: readonly ProbeResult[]): 0 | 1 {
  return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
}
