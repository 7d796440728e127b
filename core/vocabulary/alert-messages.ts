/**
 * The built-in alert messages, as `{param}` templates in Bahasa Indonesia and English: the one
 * catalogue (issue 17) that the engine's titles and notifications (alerting/i18n.ts) and the NOC page
 * (web/src/i18n.ts, web/src/alerts.ts) render. Threshold rules bring their own messages (config/rules).
 * Zod-free, so the page imports it.
 */
import { probeErrorText, probeKindLabel } from '../probe-error-text.js';
import type { ProbeErrorCode, ProbeKind } from '../types.js';

export type MessageLang = 'id' | 'en';
export type MessageParams = Record<string, string | number>;

const id = {
  'alert.device_down': '{device} mati',
  /** The page's form: the breakdown per type needs the counts the page does not show. */
  'alert.device_down.count': '{device} mati — {count} perangkat tidak terjangkau',
  /** The engine's form, with "3 CCTV, 4 Wi-Fi" as {breakdown}. */
  'alert.device_down.breakdown': '{device} mati — {count} perangkat tidak terjangkau ({breakdown})',
  'alert.device_down.recovered': '{device} kembali normal',
  'alert.device_down.count.recovered': '{device} kembali normal — {count} perangkat terjangkau lagi',
  'alert.snmp_failing':
    '{device} terganggu: SNMP tidak menjawab padahal ping normal: periksa community / user dan kunci SNMPv3',
  'alert.onvif_failing': '{device} terganggu: ping normal tetapi ONVIF tidak menjawab',
  /** {why}: the probe error's sentence, or the hint's (core/probe-error-text.ts). */
  'alert.degraded.code': '{device} terganggu: {why}',
  /** The engine's form: {probe} SNMP or ONVIF, {why} the error's sentence or alert.degraded.silent. */
  'alert.degraded.probe': '{device} terganggu: ping normal tetapi {probe} {why}',
  'alert.degraded.silent': 'tidak menjawab',
  /** An application's own check (http/tls/dns/tcp) failing while it is reachable; with a code, alert.degraded.code. */
  'alert.service_degraded': '{device} terganggu: pemeriksaan {kind} gagal',
  /** Appended to a cut's alert when it takes public services down (issue 14). */
  'alert.services_affected': 'layanan terdampak: {services}',
  'alert.flapping': '{device} tidak stabil (flapping): {flips} kali putus-sambung dalam {windowMin} menit',
  'alert.flapping.recovered': '{device} stabil kembali',
  'alert.pantau_health': 'pantau bermasalah ({component}): {message}',
  /** One per zone (ADR 0406): the devices whose results stopped arriving; {since} in the region's zone. */
  'alert.no_data': 'Tidak ada data dari {count} perangkat di zona {zone} sejak {since}: periksa kolektor pantau',
};

export type AlertMessageKey = keyof typeof id;

const en: Record<AlertMessageKey, string> = {
  'alert.device_down': '{device} DOWN',
  'alert.device_down.count': '{device} DOWN — {count} devices unreachable',
  'alert.device_down.breakdown': '{device} DOWN — {count} devices unreachable ({breakdown})',
  'alert.device_down.recovered': '{device} is back UP',
  'alert.device_down.count.recovered': '{device} is back UP — {count} devices reachable again',
  'alert.snmp_failing':
    '{device} degraded: SNMP does not answer although ping is fine: check the community / SNMPv3 user and keys',
  'alert.onvif_failing': '{device} degraded: ping fine but ONVIF not answering',
  'alert.degraded.code': '{device} degraded: {why}',
  'alert.degraded.probe': '{device} degraded: ping fine but {probe} {why}',
  'alert.degraded.silent': 'not answering',
  'alert.service_degraded': '{device} degraded: {kind} check failing',
  'alert.services_affected': 'services down: {services}',
  'alert.flapping': '{device} is flapping: {flips} up/down changes within {windowMin} minutes',
  'alert.flapping.recovered': '{device} is stable again',
  'alert.pantau_health': 'pantau problem ({component}): {message}',
  'alert.no_data': 'No data from {count} devices in zone {zone} since {since}: check the pantau collectors',
};

export const ALERT_MESSAGES: Readonly<Record<MessageLang, Readonly<Record<AlertMessageKey, string>>>> = { id, en };

/** `{name}` → the param; a param that is missing stays `{name}` (so a caller can tell). */
export function fillTemplate(tpl: string, params: MessageParams): string {
  return tpl.replace(/\{(\w+)\}/g, (m, k: string) => (params[k] === undefined ? m : String(params[k])));
}

/*
 * The parts of an application's alerts (issue 14) that depend on their params, rendered here once so the
 * engine's titles and notifications and the NOC page say the same: the probe kind written as in every
 * other alert ("TLS", never "tls"), the probe error's sentence when the alert carries its code, and the
 * services a cut takes down.
 */

function codeOf(p: MessageParams): ProbeErrorCode | undefined {
  const code = p['code'];
  return typeof code === 'string' && code.startsWith('PANTAU_PROBE_') ? (code as ProbeErrorCode) : undefined;
}

/** `alert.service_degraded`: "SIP terganggu: TLS: sertifikat …" with a code, else "… pemeriksaan TLS gagal". */
export function serviceDegradedText(p: MessageParams, lang: MessageLang): string {
  const code = codeOf(p);
  const kind = typeof p['kind'] === 'string' ? p['kind'] : '';
  if (!code) return fillTemplate(ALERT_MESSAGES[lang]['alert.service_degraded'], { ...p, kind: probeKindLabel(kind) });
  const why = probeErrorText(code, (kind || undefined) as ProbeKind | undefined, lang);
  return fillTemplate(ALERT_MESSAGES[lang]['alert.degraded.code'], { ...p, why });
}

/** ": aplikasi menjawab dengan kode status …" after "SIP mati" when a failing application's alert has its code. */
export function probeCodeSuffix(p: MessageParams, lang: MessageLang): string {
  const code = codeOf(p);
  return code ? `: ${probeErrorText(code, undefined, lang)}` : '';
}

/** " — layanan terdampak: SIP, E-office" after a cut's title when it takes public services down. */
export function servicesSuffix(p: MessageParams, lang: MessageLang): string {
  return p['services'] ? ` — ${fillTemplate(ALERT_MESSAGES[lang]['alert.services_affected'], p)}` : '';
}
