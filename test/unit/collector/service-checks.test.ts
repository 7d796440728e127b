import { expect } from 'chai';
import { judgeHttp, redirectTarget } from '../../../collector/probes/http/check.js';
import { daysLeft, judgeTls, type TlsObserved } from '../../../collector/probes/tls/check.js';
import { judgeDns } from '../../../collector/probes/dns/probe.js';
import { probeErrorOf } from '../../../collector/probes/net-errors.js';
import { httpProbeSchema } from '../../../collector/probes/http/schema.js';
import { credentialsSection } from '../../../core/config/sections/credentials.js';
import { inspect } from 'node:util';

const DAY = 86_400_000;
const now = Date.parse('2026-11-30T03:00:00Z');

describe('collector/probes: service checks (pure parts)', () => {
  describe('judgeHttp', () => {
    const e = { expectStatus: [200], contains: 'SIP', maxLatencyMs: 3000 };
    const cases: Array<[string, { status: number; body: string; totalMs: number }, string | undefined]> = [
      ['a working page', { status: 200, body: '<h1>SIP</h1>', totalMs: 80 }, undefined],
      [
        'HTTP 500, even with the title in it',
        { status: 500, body: '<h1>SIP</h1>', totalMs: 80 },
        'PANTAU_PROBE_HTTP_STATUS',
      ],
      [
        'a default page without the application',
        { status: 200, body: 'It works!', totalMs: 80 },
        'PANTAU_PROBE_HTTP_CONTENT',
      ],
      ['right page, 8 s', { status: 200, body: '<h1>SIP</h1>', totalMs: 8000 }, 'PANTAU_PROBE_HTTP_SLOW'],
      [
        'wrong page, slow: the content is the failure',
        { status: 200, body: 'It works!', totalMs: 8000 },
        'PANTAU_PROBE_HTTP_CONTENT',
      ],
      ['exactly at the limit is not slow', { status: 200, body: 'SIP', totalMs: 3000 }, undefined],
    ];
    for (const [name, o, code] of cases) it(name, () => expect(judgeHttp(o, e)?.code).to.equal(code));
    it('regex', () => {
      expect(
        judgeHttp(
          { status: 200, body: 'versi 2.3', totalMs: 1 },
          { expectStatus: [200], regex: 'versi \\d+\\.\\d+', maxLatencyMs: 10 },
        ),
      ).to.equal(undefined);
      expect(
        judgeHttp(
          { status: 200, body: 'versi x', totalMs: 1 },
          { expectStatus: [200], regex: 'versi \\d+', maxLatencyMs: 10 },
        )?.code,
      ).to.equal('PANTAU_PROBE_HTTP_CONTENT');
    });
    it('the message says what was expected', () => {
      expect(
        judgeHttp({ status: 503, body: '', totalMs: 1 }, { expectStatus: [200, 204], maxLatencyMs: 10 })?.message,
      ).to.equal('HTTP 503 (expected 200/204)');
    });
  });

  it('redirectTarget follows 30x with a Location, relative or absolute, http(s) only', () => {
    expect(redirectTarget(302, '/login', 'https://sip.okukab.go.id/')).to.equal('https://sip.okukab.go.id/login');
    expect(redirectTarget(301, 'https://www.okukab.go.id/sip', 'http://sip.okukab.go.id/')).to.equal(
      'https://www.okukab.go.id/sip',
    );
    expect(redirectTarget(200, '/x', 'https://a/')).to.equal(null);
    expect(redirectTarget(302, undefined, 'https://a/')).to.equal(null);
    expect(redirectTarget(302, 'ftp://a/x', 'https://a/')).to.equal(null);
  });

  describe('judgeTls', () => {
    const ok: TlsObserved = {
      authorizationError: null,
      hostnameError: null,
      validFrom: now - 30 * DAY,
      validTo: now + 60 * DAY,
      protocol: 'TLSv1.3',
    };
    const cases: Array<[string, Partial<TlsObserved>, string | undefined]> = [
      ['a good certificate', {}, undefined],
      ['expiring in 2 days is still valid (the rule warns, not the check)', { validTo: now + 2 * DAY }, undefined],
      ['expired', { validTo: now - DAY, authorizationError: 'CERT_HAS_EXPIRED' }, 'PANTAU_PROBE_TLS_EXPIRED'],
      [
        'expired and from an unknown CA: expiry first',
        { validTo: now - DAY, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
        'PANTAU_PROBE_TLS_EXPIRED',
      ],
      ['not yet valid', { validFrom: now + DAY }, 'PANTAU_PROBE_TLS_NOT_YET_VALID'],
      ['unknown CA', { authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'PANTAU_PROBE_TLS_CHAIN'],
      ['self-signed', { authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'PANTAU_PROBE_TLS_CHAIN'],
      [
        'another host',
        { hostnameError: "Hostname/IP does not match certificate's altnames" },
        'PANTAU_PROBE_TLS_HOSTNAME',
      ],
      [
        'another host, as Node reports it in authorizationError',
        { authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        'PANTAU_PROBE_TLS_HOSTNAME',
      ],
      ['TLS 1.0', { protocol: 'TLSv1' }, 'PANTAU_PROBE_TLS_PROTOCOL'],
    ];
    for (const [name, o, code] of cases)
      it(name, () => expect(judgeTls({ ...ok, ...o }, 'TLSv1.2', now)?.code).to.equal(code));
    it('days left are fractional, negative once expired', () => {
      expect(daysLeft(now + 2 * DAY - 3_600_000, now)).to.equal(1.96);
      expect(daysLeft(now - DAY, now)).to.equal(-1);
    });
  });

  it('judgeDns: nothing is NXDOMAIN, a wrong address is MISMATCH, trailing dots ignored', () => {
    expect(judgeDns(['127.24.0.10'], ['127.24.0.10'])).to.equal(undefined);
    expect(judgeDns([], ['127.24.0.10'])?.code).to.equal('PANTAU_PROBE_DNS_NXDOMAIN');
    expect(judgeDns(['10.0.0.1'], ['127.24.0.10'])?.code).to.equal('PANTAU_PROBE_DNS_MISMATCH');
    expect(judgeDns(['web.okukab.go.id.'], ['web.okukab.go.id'])).to.equal(undefined);
    expect(judgeDns(['10.0.0.1'], null)).to.equal(undefined);
  });

  describe('probeErrorOf (Node errors → stable codes)', () => {
    const err = (code: string, cause?: unknown) =>
      Object.assign(new Error(`e ${code}`), { code, ...(cause ? { cause } : {}) });
    const cases: Array<[string, unknown, Parameters<typeof probeErrorOf>[1], string]> = [
      ['refused', err('ECONNREFUSED'), {}, 'PANTAU_PROBE_REFUSED'],
      ['refused, tcp kind', err('ECONNREFUSED'), { refused: 'PANTAU_PROBE_TCP_REFUSED' }, 'PANTAU_PROBE_TCP_REFUSED'],
      [
        'undici wraps the TLS error in cause',
        Object.assign(new TypeError('fetch failed'), { cause: err('CERT_HAS_EXPIRED') }),
        {},
        'PANTAU_PROBE_TLS_EXPIRED',
      ],
      ['wrong host', err('ERR_TLS_CERT_ALTNAME_INVALID'), {}, 'PANTAU_PROBE_TLS_HOSTNAME'],
      ['unknown CA', err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), {}, 'PANTAU_PROBE_TLS_CHAIN'],
      ['no such name', err('ENOTFOUND'), {}, 'PANTAU_PROBE_DNS_NXDOMAIN'],
      ['c-ares timeout', err('ETIMEOUT'), {}, 'PANTAU_PROBE_TIMEOUT'],
      ['aborted by our budget', err('UND_ERR_ABORTED'), { timedOut: true }, 'PANTAU_PROBE_TIMEOUT'],
      ['something else: bad response with the code kept', err('EWEIRD'), {}, 'PANTAU_PROBE_BAD_RESPONSE'],
    ];
    for (const [name, e, o, code] of cases) it(name, () => expect(probeErrorOf(e, o).code).to.equal(code));
    it("keeps Node's code in the message of an unknown error", () =>
      expect(probeErrorOf(err('EWEIRD')).message).to.match(/^EWEIRD: /));
  });

  it('the http check schema: defaults, bad URL and bad regex rejected', () => {
    const c = httpProbeSchema.parse({ url: 'https://sip.okukab.go.id/' });
    expect(c).to.deep.include({
      method: 'GET',
      expectStatus: [200],
      followRedirects: true,
      connect: 'address',
      headers: {},
    });
    expect(httpProbeSchema.safeParse({ url: 'ftp://x/' }).success).to.equal(false);
    expect(httpProbeSchema.safeParse({ url: 'https://x/', regex: '(' }).success).to.equal(false);
    expect(httpProbeSchema.safeParse({ url: 'https://x/', headers: { 'bad header': 'x' } }).success).to.equal(false);
  });

  it('secret headers of http checks (credentials.http) are Secrets: redacted in JSON and logs', () => {
    const c = credentialsSection.parse({ http: { sip: { headers: { Authorization: 'Bearer rahasia-sekali' } } } });
    const h = c.http['sip']!.headers['Authorization']!;
    expect(h.reveal()).to.equal('Bearer rahasia-sekali');
    expect(JSON.stringify(c)).to.not.include('rahasia');
    expect(inspect(c, { depth: 5 })).to.not.include('rahasia');
  });
});
