/**
 * An alert's title on the NOC page, in a given language. Pure (no DOM, no storage) so a unit test renders
 * exactly what the page shows. The engine sends its own Indonesian title too; the page renders from the
 * key and params so the language switch applies, through the same catalogue and the same service-alert
 * parts as the engine (core/vocabulary/alert-messages.ts).
 */
import type { Alert, ProbeErrorCode } from '../../core/types.js';
import { probeErrorText } from '../../core/probe-error-text.js';
import {
  probeCodeSuffix,
  serviceDegradedText,
  servicesSuffix,
  type MessageLang,
} from '../../core/vocabulary/alert-messages.js';
import { hasString, translate } from './strings.js';

export function alertTextIn(a: Alert, lang: MessageLang): string {
  if (a.messageKey === 'alert.service_degraded') return serviceDegradedText(a.params, lang);
  if (a.messageKey === 'alert.device_down') {
    // A cut names the services it takes down; a failing application says why (its probe's code).
    return Number(a.params['count'] ?? 0) > 0
      ? fallback(a, lang, translate(lang, 'alert.device_down.count', a.params) + servicesSuffix(a.params, lang))
      : fallback(a, lang, translate(lang, 'alert.device_down', a.params) + probeCodeSuffix(a.params, lang));
  }
  // A degraded check with a probe error code says what failed (wrong password, timeout), not only which protocol.
  const code = a.params['code'];
  if (
    a.severity !== 'critical' &&
    typeof code === 'string' &&
    code.startsWith('PANTAU_PROBE_') &&
    a.params['device'] !== undefined
  ) {
    const kind = /snmp/.test(a.messageKey) ? 'snmp' : /onvif|camera/.test(a.messageKey) ? 'onvif' : undefined;
    // The degraded alert is only raised while ping answers: a silent SNMP agent points at its credentials.
    const hint = kind === 'snmp' && code === 'PANTAU_PROBE_TIMEOUT' ? ('snmp_credentials' as const) : undefined;
    return translate(lang, 'alert.degraded.code', {
      device: a.params['device'],
      why: probeErrorText(code as ProbeErrorCode, kind, lang, hint),
    });
  }
  if (!hasString(a.messageKey)) return localTitle(a.title, lang);
  return fallback(a, lang, translate(lang, a.messageKey, a.params));
}

/** A template whose params are missing would show "{x}": the engine's own title is better then. */
function fallback(a: Alert, lang: MessageLang, text: string): string {
  return /\{\w+\}/.test(text) ? localTitle(a.title, lang) : text;
}

/** The engine's own title, without the English state word inside an Indonesian sentence. */
function localTitle(title: string, lang: MessageLang): string {
  return lang === 'id' ? title.replace(/\bDOWN\b/g, 'mati') : title;
}
