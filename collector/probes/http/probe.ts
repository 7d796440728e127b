import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import { Resolver, lookup } from 'node:dns/promises';
import { Client, request } from './undici.js';
import type { ProbeError } from '../../../core/types.js';
import { probeErrorOf } from '../net-errors.js';
import { judgeHttp, redirectTarget } from './check.js';
import type { HttpCheck, HttpSettings } from './schema.js';

/** Phase times of the last request (ms); null when the phase did not happen (plain HTTP has no TLS). */
export interface HttpTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  totalMs: number | null;
}

export interface HttpOutcome extends HttpTimings {
  ok: boolean;
  error?: ProbeError;
  url: string;
  status: number | null;
  bytes: number | null;
  redirects: number;
}

export interface HttpRunOptions {
  /** Where to connect when `connect: address` (the device's address). */
  address: string;
  settings: HttpSettings;
  /** Extra trusted CAs (PEM) beside the system roots; null = system roots only. */
  extraCa: string | null;
  /** Secret headers (already revealed), added last so they win. Never logged. */
  secretHeaders: Readonly<Record<string, string>>;
  signal: AbortSignal;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * One request with its phases timed by our own connector (undici has no per-request timing API;
 * its connector hook sees DNS, TCP and TLS separately): DNS, TCP connect, TLS handshake, time to the
 * response headers (first byte) and total (body read). A fresh connection each time, like a
 * citizen's first visit; certificate errors fail the request exactly as a browser would.
 */
async function requestOnce(
  url: URL,
  check: HttpCheck,
  o: HttpRunOptions,
  sameHost: boolean,
): Promise<{ status: number; location: string | string[] | undefined; body: string; bytes: number; t: HttpTimings }> {
  const t: HttpTimings = { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: null };
  const start = performance.now();
  const https = url.protocol === 'https:';
  const port = Number(url.port || (https ? 443 : 80));
  const servername = url.hostname.replace(/^\[|\]$/g, '');
  const ca = o.extraCa ? [...rootCertificates, o.extraCa] : undefined;
  const resolveHost = async (): Promise<string> => {
    if (check.connect === 'address' && sameHost) return o.address;
    const t0 = performance.now();
    let ip: string;
    if (o.settings.dnsServer) {
      const r = new Resolver({ timeout: 3000, tries: 1 });
      r.setServers([o.settings.dnsServer]);
      const onAbort = () => r.cancel();
      o.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const addrs = await r.resolve4(servername);
        if (!addrs[0]) throw Object.assign(new Error(`no address for ${servername}`), { code: 'ENODATA' });
        ip = addrs[0];
      } finally {
        o.signal.removeEventListener('abort', onAbort);
      }
    } else {
      ip = (await lookup(servername, { family: 4 })).address;
    }
    t.dnsMs = round(performance.now() - t0);
    return ip;
  };
  const client = new Client(url.origin, {
    connect: (_opts, cb) => {
      let sock: Socket | null = null;
      let tlsSock: TLSSocket | null = null;
      let settled = false;
      // Our budget ends a connect that hangs (a silent address): the socket goes with it.
      const onAbort = () => {
        sock?.destroy();
        tlsSock?.destroy();
        finish(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      };
      const finish = (err: Error | null, s?: Socket | TLSSocket) => {
        if (settled) return;
        settled = true;
        o.signal.removeEventListener('abort', onAbort);
        if (err) {
          sock?.destroy();
          cb(err, null);
        } else cb(null, s!);
      };
      if (o.signal.aborted) {
        onAbort();
        return;
      }
      o.signal.addEventListener('abort', onAbort, { once: true });
      resolveHost().then(
        (ip) => {
          if (settled) return;
          const t1 = performance.now();
          const raw = netConnect({ host: ip, port });
          sock = raw;
          const fail = (err: Error) => finish(err);
          raw.once('error', fail);
          raw.once('connect', () => {
            t.connectMs = round(performance.now() - t1);
            if (!https) {
              raw.removeListener('error', fail);
              finish(null, raw);
              return;
            }
            const t2 = performance.now();
            // SNI carries a name, never an address (RFC 6066); certificate checks still use the URL's host.
            const sni = isIP(servername) ? {} : { servername };
            const secure = tlsConnect({
              socket: raw,
              ...sni,
              host: servername,
              ALPNProtocols: ['http/1.1'],
              ...(ca ? { ca } : {}),
            });
            tlsSock = secure;
            secure.once('error', fail);
            secure.once('secureConnect', () => {
              t.tlsMs = round(performance.now() - t2);
              raw.removeListener('error', fail);
              secure.removeListener('error', fail);
              finish(null, secure);
            });
          });
        },
        (err: unknown) => finish(err as Error),
      );
    },
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 1,
  });
  try {
    const headers: Record<string, string> = {
      'user-agent': o.settings.userAgent,
      ...check.headers,
      ...o.secretHeaders,
    };
    const res = await request(client, {
      path: `${url.pathname}${url.search}`,
      method: check.method,
      headers,
      signal: o.signal,
    });
    t.ttfbMs = round(performance.now() - start);
    let body = '';
    let bytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (body.length < o.settings.maxBodyBytes)
        body += chunk.toString('utf8', 0, Math.min(chunk.length, o.settings.maxBodyBytes - body.length));
    }
    t.totalMs = round(performance.now() - start);
    return { status: res.statusCode, location: res.headers['location'], body, bytes, t };
  } finally {
    await client.destroy().catch(() => {});
  }
}

/** The check of one device: follows redirects (each hop timed alone; total adds up), then judges. */
export async function runHttpCheck(check: HttpCheck, o: HttpRunOptions): Promise<HttpOutcome> {
  const first = new URL(check.url);
  let url = first;
  let redirects = 0;
  let total = 0;
  let last: HttpTimings = { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: null };
  const failed = (error: ProbeError, status: number | null = null): HttpOutcome => ({
    ok: false,
    error,
    url: url.toString(),
    status,
    bytes: null,
    redirects,
    ...last,
    totalMs: total > 0 ? round(total) : null,
  });
  for (;;) {
    let r: Awaited<ReturnType<typeof requestOnce>>;
    try {
      r = await requestOnce(url, check, o, url.hostname === first.hostname);
    } catch (err) {
      return failed(probeErrorOf(err, { timedOut: o.signal.aborted }));
    }
    last = r.t;
    total += r.t.totalMs ?? 0;
    const next = check.followRedirects ? redirectTarget(r.status, r.location, url.toString()) : null;
    if (next !== null) {
      if (redirects >= o.settings.maxRedirects)
        return failed(
          { code: 'PANTAU_PROBE_HTTP_REDIRECTS', message: `more than ${o.settings.maxRedirects} redirects` },
          r.status,
        );
      redirects++;
      url = new URL(next);
      continue;
    }
    const maxLatencyMs = check.maxLatencyMs ?? o.settings.maxLatencyMs;
    const error = judgeHttp(
      { status: r.status, body: r.body, totalMs: total },
      { expectStatus: check.expectStatus, contains: check.contains, regex: check.regex, maxLatencyMs },
    );
    return {
      ok: error === undefined,
      ...(error ? { error } : {}),
      url: url.toString(),
      status: r.status,
      bytes: r.bytes,
      redirects,
      ...last,
      totalMs: round(total),
    };
  }
}
