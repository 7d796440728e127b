import type { Inventory } from '../core/inventory/topology.js';
import type { ProbeResult } from '../core/types.js';

const T = {
  id: { device: 'PERANGKAT', kind: 'PROBE', status: 'STATUS', detail: 'RINCIAN', ok: 'OK', fail: 'GAGAL' },
  en: { device: 'DEVICE', kind: 'PROBE', status: 'STATUS', detail: 'DETAIL', ok: 'OK', fail: 'FAIL' },
};

/** Uptime as days and hours, e.g. `39 hari 6 jam` / `39 d 6 h`. */
export function formatUptime(s: number | null, lang: 'id' | 'en'): string {
  if (s === null) return '?';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const [dd, hh, mm] = lang === 'id' ? ['hari', 'jam', 'mnt'] : ['d', 'h', 'min'];
  return d > 0 ? `${d} ${dd} ${h} ${hh}` : h > 0 ? `${h} ${hh} ${m} ${mm}` : `${m} ${mm}`;
}

// Operator-facing metrics first; generic sensor rows last (they repeat vendor optics).
const METRIC_ORDER = ['optical_rx_dbm', 'optical_tx_dbm', 'ont_optical_rx_dbm', 'optical_olt_rx_dbm', 'wifi_clients', 'cpu_load_pct', 'temperature_c'];
const rank = (name: string) => { const i = METRIC_ORDER.indexOf(name); return i < 0 ? METRIC_ORDER.length : i; };

/** One line of human detail per result (numbers, not prose, so both languages read it). */
export function detailOf(r: ProbeResult, lang: 'id' | 'en'): string {
  const err = r.error ? `${r.error.code} ${r.error.message}` : '';
  switch (r.kind) {
    case 'icmp':
      return r.ok ? `rtt ${r.rttAvgMs} ms (min ${r.rttMinMs} / max ${r.rttMaxMs}), jitter ${r.jitterMs} ms, ${lang === 'id' ? 'hilang' : 'loss'} ${r.lossPct}%` : err;
    case 'snmp': {
      if (!r.ok) return err;
      const up = r.interfaces.filter((i) => i.operUp).length;
      const m = [...r.metrics].sort((a, b) => rank(a.name) - rank(b.name)).slice(0, 4)
        .map((x) => `${x.name}=${x.value}${x.unit === 'dBm' ? ' dBm' : ''}`).join(' ');
      const ifs = lang === 'id' ? `${up}/${r.interfaces.length} port aktif` : `${up}/${r.interfaces.length} ports up`;
      return `${ifs}, uptime ${formatUptime(r.sysUpTimeS, lang)}${r.rebooted ? (lang === 'id' ? ', REBOOT' : ', REBOOTED') : ''}${m ? `, ${m}` : ''}`;
    }
    case 'onvif':
      return r.ok ? `${r.info?.model ?? '?'} fw ${r.info?.firmware ?? '?'}, drift ${r.clockDriftS} s, snapshot ${r.snapshot?.bytes ?? 0} B, RTSP ${r.rtsp?.status ?? '-'}${r.mismatches.length ? `, ${r.mismatches.join('; ')}` : ''}` : err;
    case 'trap':
      return `${r.trap}${r.ifName ? ` ${r.ifName}` : ''}`;
  }
}

/** A plain-text table for operators: Indonesian by default. */
export function formatResultsTable(results: readonly ProbeResult[], inventory: Inventory, lang: 'id' | 'en' = 'id'): string {
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
