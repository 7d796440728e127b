import type { ProbeError } from '../../../core/types.js';

/** What one HTTP exchange gave, before it is judged. */
export interface HttpObserved {
  status: number;
  /** The first `maxBodyBytes` of the body as text ('' for HEAD). */
  body: string;
  totalMs: number;
}

export interface HttpExpectation {
  expectStatus: readonly number[];
  contains?: string | undefined;
  regex?: string | undefined;
  maxLatencyMs: number;
}

/**
 * Judges a completed exchange (pure). Order: the status (a 500 page may still contain the title),
 * then the content, then the time: a wrong page that came fast is a failure, not "slow".
 */
export function judgeHttp(o: HttpObserved, e: HttpExpectation): ProbeError | undefined {
  if (!e.expectStatus.includes(o.status)) {
    return { code: 'PANTAU_PROBE_HTTP_STATUS', message: `HTTP ${o.status} (expected ${e.expectStatus.join('/')})` };
  }
  if (e.contains !== undefined && !o.body.includes(e.contains)) {
    return { code: 'PANTAU_PROBE_HTTP_CONTENT', message: `body lacks "${e.contains.slice(0, 80)}"` };
  }
  if (e.regex !== undefined && !new RegExp(e.regex).test(o.body)) {
    return { code: 'PANTAU_PROBE_HTTP_CONTENT', message: `body does not match /${e.regex.slice(0, 80)}/` };
  }
  if (o.totalMs > e.maxLatencyMs) {
    return { code: 'PANTAU_PROBE_HTTP_SLOW', message: `${Math.round(o.totalMs)} ms (limit ${e.maxLatencyMs} ms)` };
  }
  return undefined;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** The next URL of a redirect, or null when the response is not one (pure). */
export function redirectTarget(status: number, location: string | string[] | undefined, from: string): string | null {
  if (!REDIRECT.has(status)) return null;
  const loc = Array.isArray(location) ? location[0] : location;
  if (!loc) return null;
  const next = new URL(loc, from);
  return next.protocol === 'http:' || next.protocol === 'https:' ? next.toString() : null;
}
