import type { Alert, Severity } from '../core/types.js';
import { formatInZone, type Zone } from '../core/time.js';
import { probeErrorText, PROBE_HINT_TEXT } from '../core/probe-error-text.js';
import type { ProbeErrorCode } from '../core/types.js';
import type { CompiledRule } from './rules/types.js';
import { DEVICE_TYPE_TEXT, DEVICE_TYPES } from '../core/vocabulary/device-types.js';
import {
  ALERT_MESSAGES,
  fillTemplate,
  probeCodeSuffix,
  serviceDegradedText,
  servicesSuffix,
} from '../core/vocabulary/alert-messages.js';

export type Lang = 'id' | 'en';
type Params = Record<string, string | number>;

const fill = fillTemplate;

/** "3 CCTV, 4 Wi-Fi" from the per-type counts in a device_down alert's params. */
export function breakdown(p: Params, lang: Lang): string {
  return DEVICE_TYPES.filter((t) => Number(p[t] ?? 0) > 0)
    .map((t) => `${p[t]} ${DEVICE_TYPE_TEXT[t].count[lang]}`)
    .join(', ');
}

/**
 * "X terganggu: ping normal tetapi ONVIF login ditolak…": the probe's own error code says why
 * (wrong credentials are not "not answering"); without a code, or on a timeout, "tidak menjawab".
 */
function degraded(p: Params, probe: 'SNMP' | 'ONVIF', lang: Lang): string {
  const m = ALERT_MESSAGES[lang];
  const code = typeof p['code'] === 'string' ? (p['code'] as ProbeErrorCode) : undefined;
  // This alert is only raised while ping answers: a silent SNMP agent then points at the credentials.
  if (probe === 'SNMP' && (!code || code === 'PANTAU_PROBE_TIMEOUT')) {
    return fill(m['alert.degraded.code'], { device: String(p['device']), why: PROBE_HINT_TEXT[lang].snmp_credentials });
  }
  const why =
    code && code !== 'PANTAU_PROBE_TIMEOUT' ? probeErrorText(code, undefined, lang) : m['alert.degraded.silent'];
  return fill(m['alert.degraded.probe'], { device: String(p['device']), probe, why });
}

/** The built-in messages of one language, rendered from the catalogue (core/vocabulary/alert-messages.ts). */
function builtin(lang: Lang): Record<string, (p: Params) => string> {
  const m = ALERT_MESSAGES[lang];
  return {
    'alert.device_down': (p) =>
      Number(p['count']) > 0
        ? fill(m['alert.device_down.breakdown'], { ...p, breakdown: breakdown(p, lang) }) + servicesSuffix(p, lang)
        : fill(m['alert.device_down'], p) + probeCodeSuffix(p, lang),
    'alert.service_degraded': (p) => serviceDegradedText(p, lang),
    'alert.snmp_failing': (p) => degraded(p, 'SNMP', lang),
    'alert.onvif_failing': (p) => degraded(p, 'ONVIF', lang),
    'alert.flapping': (p) => fill(m['alert.flapping'], p),
    'alert.pantau_health': (p) => fill(m['alert.pantau_health'], p),
    'alert.no_data': (p) => fill(m['alert.no_data'], p),
  };
}
const BUILTIN: Record<Lang, Record<string, (p: Params) => string>> = { id: builtin('id'), en: builtin('en') };

/** Recovery wording where "PULIH: X DOWN" would read oddly. */
function recovered(lang: Lang): Record<string, (p: Params) => string> {
  const m = ALERT_MESSAGES[lang];
  return {
    'alert.device_down': (p) =>
      fill(m[Number(p['count']) > 0 ? 'alert.device_down.count.recovered' : 'alert.device_down.recovered'], p),
    'alert.flapping': (p) => fill(m['alert.flapping.recovered'], p),
  };
}
const RECOVERED: Record<Lang, Record<string, (p: Params) => string>> = { id: recovered('id'), en: recovered('en') };

const SEVERITY: Record<Lang, Record<Severity, string>> = {
  id: { critical: 'KRITIS', warning: 'PERINGATAN', info: 'INFO' },
  en: { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' },
};
const ICON: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: '🔵' };

export interface Renderer {
  title(messageKey: string, params: Params, lang: Lang): string;
  recoveredTitle(messageKey: string, params: Params, lang: Lang): string;
  severity(s: Severity, lang: Lang): string;
  icon(s: Severity): string;
  /** An instant in the region's zone, e.g. `28/11/2026 09.15.03 WITA`. */
  time(ms: number): string;
}

/** `zone`: the region's time zone (WIB for OKU); every time in a message is written in it. */
export function createRenderer(rules: readonly CompiledRule[], zone: Zone = 'WIB'): Renderer {
  const ruleMsg = new Map(rules.map((r) => [`rule.${r.name}`, r.message ?? {}]));
  return {
    title(key, params, lang) {
      const builtin = BUILTIN[lang][key];
      if (builtin) return builtin(params);
      const msg = ruleMsg.get(key);
      const tpl = msg?.[lang] ?? msg?.id ?? msg?.en;
      if (tpl) return fill(tpl, params);
      return `${params['device'] ?? params['deviceId'] ?? ''}: ${key.replace(/^rule\./, '')} = ${params['value'] ?? ''}`.trim();
    },
    recoveredTitle(key, params, lang) {
      return RECOVERED[lang][key]?.(params) ?? this.title(key, params, lang);
    },
    severity: (s, lang) => SEVERITY[lang][s],
    icon: (s) => ICON[s],
    time: (ms) => formatInZone(ms, zone),
  };
}

const DUR: Record<Lang, { h: string; m: string; s: string }> = {
  id: { h: 'jam', m: 'menit', s: 'detik' },
  en: { h: 'h', m: 'min', s: 's' },
};

export function formatDuration(ms: number, lang: Lang): string {
  const u = DUR[lang];
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} ${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${u.m}`;
  return `${Math.floor(m / 60)} ${u.h} ${m % 60} ${u.m}`;
}

export type NoticeKind = 'open' | 'resolved' | 'escalated' | 'severity';

/** One line (plus detail) per alert in a message; pure so it is tested apart from sending. */
export function noticeText(
  r: Renderer,
  a: Alert,
  kind: NoticeKind,
  lang: Lang,
  extra: { escalatedAfterMin?: number; fromSeverity?: Severity; raisedAt?: number } = {},
): string {
  const title =
    kind === 'resolved' ? r.recoveredTitle(a.messageKey, a.params, lang) : r.title(a.messageKey, a.params, lang);
  const where = a.kecamatan ? `Kec. ${a.kecamatan}` : 'pantau';
  if (kind === 'resolved') {
    const dur = formatDuration((a.resolvedAt ?? a.updatedAt) - a.openedAt, lang);
    const head = lang === 'id' ? `✅ PULIH: ${title}` : `✅ RESOLVED: ${title}`;
    const tail =
      lang === 'id'
        ? `Lama gangguan ${dur} · pulih ${r.time(a.resolvedAt ?? a.updatedAt)}`
        : `Lasted ${dur} · resolved ${r.time(a.resolvedAt ?? a.updatedAt)}`;
    return `${head}\n${where} · ${tail}`;
  }
  if (kind === 'severity') {
    // Severity raised while open or acknowledged: it got worse, so it is news even after an ack.
    const from = extra.fromSeverity ? r.severity(extra.fromSeverity, lang) : '?';
    const to = r.severity(a.severity, lang);
    const at = r.time(extra.raisedAt ?? a.updatedAt);
    const acked =
      a.status === 'acknowledged' && a.acknowledgedBy
        ? lang === 'id'
          ? ` · sudah diakui oleh ${a.acknowledgedBy}`
          : ` · acknowledged by ${a.acknowledgedBy}`
        : '';
    const head =
      lang === 'id'
        ? `${r.icon(a.severity)} ${to} (naik dari ${from}): ${title}`
        : `${r.icon(a.severity)} ${to} (raised from ${from}): ${title}`;
    const line =
      lang === 'id'
        ? `⬆️ Eskalasi keparahan: ${from} → ${to} pukul ${at}`
        : `⬆️ Severity raised: ${from} → ${to} at ${at}`;
    return `${head}\n${where} · ${r.time(a.openedAt)} · ${a.id}${acked}\n${line}`;
  }
  const head = `${r.icon(a.severity)} ${r.severity(a.severity, lang)}: ${title}`;
  const esc =
    kind === 'escalated'
      ? lang === 'id'
        ? `\n⏫ Eskalasi: belum diakui selama ${extra.escalatedAfterMin ?? '?'} menit`
        : `\n⏫ Escalated: not acknowledged for ${extra.escalatedAfterMin ?? '?'} minutes`
      : '';
  return `${head}\n${where} · ${r.time(a.openedAt)} · ${a.id}${esc}`;
}

/** Storm control: several notices for one group become one message. */
export function batchText(texts: string[], lang: Lang): { subject: string; text: string } {
  if (texts.length === 1) return { subject: texts[0]!.split('\n')[0]!, text: texts[0]! };
  const subject = lang === 'id' ? `pantau: ${texts.length} pemberitahuan` : `pantau: ${texts.length} notifications`;
  return { subject, text: `${subject}\n\n${texts.join('\n\n')}` };
}
