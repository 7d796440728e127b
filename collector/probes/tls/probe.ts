import { isIP } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { ProbeError } from '../../../core/types.js';
import { probeErrorOf } from '../net-errors.js';
import { daysLeft, judgeTls } from './check.js';
import type { TlsSettings } from './schema.js';

export interface TlsOutcome {
  ok: boolean;
  error?: ProbeError;
  host: string;
  daysLeft: number | null;
  validTo: number | null;
  issuer: string | null;
  protocol: string | null;
  handshakeMs: number | null;
}

/**
 * One TLS handshake to `address:port` with `host` as SNI, verification done by us afterwards
 * (rejectUnauthorized: false) so an untrusted or expired certificate is still read and reported
 * with its dates, instead of being a bare handshake error.
 */
export async function runTlsCheck(o: {
  address: string;
  host: string;
  port: number;
  settings: TlsSettings;
  extraCa: string | null;
  now: () => number;
  signal: AbortSignal;
}): Promise<TlsOutcome> {
  const base = { host: o.host, daysLeft: null, validTo: null, issuer: null, protocol: null, handshakeMs: null };
  const t0 = performance.now();
  let sock: TLSSocket | null = null;
  try {
    sock = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({
        host: o.address,
        port: o.port,
        ...(isIP(o.host) ? {} : { servername: o.host }),
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        ...(o.extraCa ? { ca: [...rootCertificates, o.extraCa] } : {}),
      });
      const onAbort = () => s.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      o.signal.addEventListener('abort', onAbort, { once: true });
      s.once('secureConnect', () => {
        o.signal.removeEventListener('abort', onAbort);
        resolve(s);
      });
      s.once('error', (err) => {
        o.signal.removeEventListener('abort', onAbort);
        reject(err);
      });
    });
    const handshakeMs = Math.round((performance.now() - t0) * 100) / 100;
    const x509 = sock.getPeerX509Certificate();
    if (!x509)
      return {
        ...base,
        handshakeMs,
        ok: false,
        error: { code: 'PANTAU_PROBE_BAD_RESPONSE', message: 'no certificate presented' },
      };
    const validTo = Date.parse(x509.validTo);
    const validFrom = Date.parse(x509.validFrom);
    // The certificate's own name check (subjectAltName DNS/IP, CN only without SANs), as browsers do.
    const named = isIP(o.host) ? x509.checkIP(o.host) : x509.checkHost(o.host, { subject: 'default' });
    // A string (OpenSSL's or Node's code) at run time, although @types/node says Error.
    const authErr = sock.authorizationError as unknown as string | Error | null | undefined;
    const now = o.now();
    const error = judgeTls(
      {
        authorizationError: authErr
          ? typeof authErr === 'string'
            ? authErr
            : String((authErr as { code?: string }).code ?? authErr.message)
          : null,
        hostnameError: named
          ? null
          : `certificate is not for ${o.host} (${x509.subjectAltName ?? x509.subject.replace(/\n/g, ', ')})`.slice(
              0,
              300,
            ),
        validFrom,
        validTo,
        protocol: sock.getProtocol(),
      },
      o.settings.minProtocol,
      now,
    );
    const issuer =
      x509.issuer
        .split('\n')
        .find((l) => l.startsWith('CN='))
        ?.slice(3) ??
      x509.issuer.split('\n')[0] ??
      null;
    return {
      ok: error === undefined,
      ...(error ? { error } : {}),
      host: o.host,
      daysLeft: daysLeft(validTo, now),
      validTo,
      issuer,
      protocol: sock.getProtocol(),
      handshakeMs,
    };
  } catch (err) {
    return { ...base, ok: false, error: probeErrorOf(err, { timedOut: o.signal.aborted }) };
  } finally {
    sock?.destroy();
  }
}
