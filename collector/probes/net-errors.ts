/**
 * Node's socket, TLS and DNS error codes → pantau's stable probe codes, shared by the service kinds
 * (http, tls, dns, tcp). Pure: unit-tested with the codes Node really raises.
 */
import type { ProbeError, ProbeErrorCode } from '../../core/types.js';

const BY_NODE_CODE: Readonly<Record<string, ProbeErrorCode>> = {
  ECONNREFUSED: 'PANTAU_PROBE_REFUSED',
  ECONNRESET: 'PANTAU_PROBE_BAD_RESPONSE',
  EPIPE: 'PANTAU_PROBE_BAD_RESPONSE',
  ETIMEDOUT: 'PANTAU_PROBE_TIMEOUT',
  ETIMEOUT: 'PANTAU_PROBE_TIMEOUT',
  ECANCELLED: 'PANTAU_PROBE_TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'PANTAU_PROBE_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'PANTAU_PROBE_TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'PANTAU_PROBE_TIMEOUT',
  UND_ERR_ABORTED: 'PANTAU_PROBE_TIMEOUT',
  ABORT_ERR: 'PANTAU_PROBE_TIMEOUT',
  UND_ERR_SOCKET: 'PANTAU_PROBE_BAD_RESPONSE',
  HPE_INVALID_CONSTANT: 'PANTAU_PROBE_BAD_RESPONSE',
  EHOSTUNREACH: 'PANTAU_PROBE_UNREACHABLE',
  ENETUNREACH: 'PANTAU_PROBE_UNREACHABLE',
  EADDRNOTAVAIL: 'PANTAU_PROBE_UNREACHABLE',
  // Name resolution (dns.lookup / Resolver).
  ENOTFOUND: 'PANTAU_PROBE_DNS_NXDOMAIN',
  ENODATA: 'PANTAU_PROBE_DNS_NXDOMAIN',
  ESERVFAIL: 'PANTAU_PROBE_DNS_SERVFAIL',
  EREFUSED: 'PANTAU_PROBE_DNS_SERVFAIL',
  // Certificate verification (OpenSSL's names, as Node reports them in err.code).
  CERT_HAS_EXPIRED: 'PANTAU_PROBE_TLS_EXPIRED',
  CERT_NOT_YET_VALID: 'PANTAU_PROBE_TLS_NOT_YET_VALID',
  ERR_TLS_CERT_ALTNAME_INVALID: 'PANTAU_PROBE_TLS_HOSTNAME',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'PANTAU_PROBE_TLS_CHAIN',
  SELF_SIGNED_CERT_IN_CHAIN: 'PANTAU_PROBE_TLS_CHAIN',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'PANTAU_PROBE_TLS_CHAIN',
  UNABLE_TO_GET_ISSUER_CERT: 'PANTAU_PROBE_TLS_CHAIN',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'PANTAU_PROBE_TLS_CHAIN',
  CERT_SIGNATURE_FAILURE: 'PANTAU_PROBE_TLS_CHAIN',
  CERT_UNTRUSTED: 'PANTAU_PROBE_TLS_CHAIN',
  CERT_REVOKED: 'PANTAU_PROBE_TLS_CHAIN',
  INVALID_CA: 'PANTAU_PROBE_TLS_CHAIN',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'PANTAU_PROBE_TLS_PROTOCOL',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'PANTAU_PROBE_TLS_PROTOCOL',
  ERR_SSL_WRONG_VERSION_NUMBER: 'PANTAU_PROBE_TLS_PROTOCOL',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'PANTAU_PROBE_TLS_PROTOCOL',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'PANTAU_PROBE_TLS_PROTOCOL',
};

/** Follows `cause` (undici wraps the socket error) to the first error with a code we know. */
export function nodeCodeOf(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown; name?: unknown } | null | undefined;
  let first: string | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    const code =
      typeof e.code === 'string'
        ? e.code
        : e.name === 'AbortError' || e.name === 'TimeoutError'
          ? 'ABORT_ERR'
          : undefined;
    if (code && BY_NODE_CODE[code]) return code;
    first ??= code;
    e = e.cause as typeof e;
  }
  return first;
}

/**
 * The probe error for a thrown socket/TLS/DNS error. `refused` lets the tcp kind say
 * PANTAU_PROBE_TCP_REFUSED where the others say PANTAU_PROBE_REFUSED. Unknown errors are
 * BAD_RESPONSE with Node's code in the message (never INTERNAL: that is reserved for our bugs).
 */
export function probeErrorOf(err: unknown, opts: { refused?: ProbeErrorCode; timedOut?: boolean } = {}): ProbeError {
  const message = String((err as Error)?.message ?? err).slice(0, 300);
  if (opts.timedOut) return { code: 'PANTAU_PROBE_TIMEOUT', message };
  const nodeCode = nodeCodeOf(err);
  let code = nodeCode ? BY_NODE_CODE[nodeCode] : undefined;
  if (code === 'PANTAU_PROBE_REFUSED' && opts.refused) code = opts.refused;
  return {
    code: code ?? 'PANTAU_PROBE_BAD_RESPONSE',
    message: nodeCode && !code ? `${nodeCode}: ${message}` : message,
  };
}
