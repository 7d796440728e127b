/**
 * Every probe error code (zod-free: the page renders them). PantauErrorCode (core/errors.ts) includes
 * them all; core/probe-error-text.ts must give each one a sentence in id and en (a test checks).
 */
export const PROBE_ERROR_CODES = [
  'PANTAU_PROBE_TIMEOUT',
  'PANTAU_PROBE_REFUSED',
  'PANTAU_PROBE_AUTH',
  'PANTAU_PROBE_BAD_RESPONSE',
  'PANTAU_PROBE_UNREACHABLE',
  'PANTAU_PROBE_SNAPSHOT',
  'PANTAU_PROBE_RTSP',
  'PANTAU_PROBE_CLOCK_DRIFT',
  'PANTAU_PROBE_INTERNAL',
] as const;
export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];
