import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runHttpCheck } from '../../../collector/probes/http/probe.js';
import { httpProbeSchema, httpSettingsSchema } from '../../../collector/probes/http/schema.js';

/**
 * runHttpCheck against a real HTTP server on loopback: the request goes through undici's Client and
 * request() as collector/probes/http/undici.ts loads them (not undici's index, ADR 0011), so an
 * undici upgrade that moves those files fails here, not in the field.
 */
describe('collector/http probe: one check through undici, on loopback', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ url: string; ua: string; auth: string }> = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({
        url: req.url ?? '',
        ua: String(req.headers['user-agent']),
        auth: String(req.headers['authorization']),
      });
      if (req.url === '/old') {
        res.writeHead(302, { location: '/login' });
        res.end();
        return;
      }
      if (req.url === '/broken') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>SIMPEG Kabupaten OKU</title>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const opts = () => ({
    address: '127.0.0.1',
    settings: httpSettingsSchema.parse({}),
    extraCa: null,
    secretHeaders: { authorization: 'Bearer rahasia' },
    signal: AbortSignal.timeout(5000),
  });

  it('follows a redirect, reads the body, times the phases and sends the headers', async () => {
    const check = httpProbeSchema.parse({ url: `${base}/old`, contains: 'SIMPEG' });
    const out = await runHttpCheck(check, opts());
    expect(out.ok, JSON.stringify(out.error)).to.equal(true);
    expect(out.status).to.equal(200);
    expect(out.redirects).to.equal(1);
    expect(out.url).to.equal(`${base}/login`);
    expect(out.bytes).to.equal('<title>SIMPEG Kabupaten OKU</title>'.length);
    expect(out.connectMs).to.be.a('number');
    expect(out.ttfbMs).to.be.a('number');
    expect(seen.at(-1)).to.deep.include({ url: '/login', auth: 'Bearer rahasia' });
    expect(seen.at(-1)!.ua).to.match(/^pantau\//);
  });

  it('an application answering 500 fails with its status', async () => {
    const out = await runHttpCheck(httpProbeSchema.parse({ url: `${base}/broken` }), opts());
    expect(out.ok).to.equal(false);
    expect(out.status).to.equal(500);
    expect(out.error?.code).to.match(/^PANTAU_PROBE_HTTP/);
  });
});
