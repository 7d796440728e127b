import type { ProbeError } from '../../../core/types.js';
import { TLS_PROTOCOLS } from './schema.js';

/** What the handshake showed, before it is judged. */
export interface TlsObserved {
  /** OpenSSL's verification error against the trusted roots (e.g. CERT_HAS_EXPIRED), null when trusted. */
  authorizationError: string | null;
  /** tls.checkServerIdentity's message, null when the certificate names the host. */
  hostnameError: string | null;
  validFrom: number;
  validTo: number;
  protocol: string | null;
}

const EXPIRY = new Set(['CERT_HAS_EXPIRED']);
/** Node reports a failed host check in authorizationError too (when the chain itself is fine). */
const HOSTNAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID']);
const NOT_YET = new Set(['CERT_NOT_YET_VALID']);

/**
 * Judges a certificate (pure). Expiry and validity dates first (an expired certificate is the most
 * common fault and the clearest to act on), then trust, then the host name, then the protocol.
 * A certificate that merely expires soon is NOT a failure here: the tls_expiry_days rule warns.
 */
export function judgeTls(
  o: TlsObserved,
  minProtocol: (typeof TLS_PROTOCOLS)[number],
  now: number,
): ProbeError | undefined {
  const until = new Date(o.validTo).toISOString();
  if (o.validTo < now || (o.authorizationError && EXPIRY.has(o.authorizationError)))
    return { code: 'PANTAU_PROBE_TLS_EXPIRED', message: `certificate expired ${until}` };
  if (o.validFrom > now || (o.authorizationError && NOT_YET.has(o.authorizationError)))
    return {
      code: 'PANTAU_PROBE_TLS_NOT_YET_VALID',
      message: `certificate valid from ${new Date(o.validFrom).toISOString()}`,
    };
  if (o.authorizationError && !HOSTNAME.has(o.authorizationError))
    return { code: 'PANTAU_PROBE_TLS_CHAIN', message: o.authorizationError };
  if (o.authorizationError && !o.hostnameError)
    return { code: 'PANTAU_PROBE_TLS_HOSTNAME', message: o.authorizationError };
  if (o.hostnameError) return { code: 'PANTAU_PROBE_TLS_HOSTNAME', message: o.hostnameError.slice(0, 300) };
  const got = TLS_PROTOCOLS.indexOf(o.protocol as (typeof TLS_PROTOCOLS)[number]);
  if (got >= 0 && got < TLS_PROTOCOLS.indexOf(minProtocol))
    return { code: 'PANTAU_PROBE_TLS_PROTOCOL', message: `${o.protocol} (minimum ${minProtocol})` };
  return undefined;
}

/** Days left, fractional, to two decimals (negative once expired): rules compare it with 14 and 3. */
export function daysLeft(validTo: number, now: number): number {
  return Math.round(((validTo - now) / 86_400_000) * 100) / 100;
}
