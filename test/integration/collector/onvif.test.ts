import { expect } from 'chai';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { createInProcessBus } from '../../../core/bus.js';
import { silentLogger } from '../../../core/logger.js';
import type { OnvifResult } from '../../../core/types.js';
import { createCollector } from '../../../collector/collector.js';
import { startFixtureCamera, type FixtureCamera } from '../../helpers/onvif-camera.js';
import { testConfig, testDevice, testInventory } from './helpers.js';

const configDir = new URL('../../../config', import.meta.url).pathname;

describe('collector/probes/onvif against fixture cameras', function () {
  this.timeout(60_000);
  const cams: FixtureCamera[] = [];
  let silent: Server;
  let silentPort = 0;

  before(async () => {
    for (let i = 1; i <= 2; i++)
      cams.push(await startFixtureCamera({ address: `127.4.0.${i}`, username: 'admin', password: 'pantau-lab-cam' }));
    // Accepts TCP and never answers: the library's own timeout would be 2 minutes.
    silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.4.0.9', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  after(async () => {
    for (const c of cams) await c.stop();
    silent?.close();
  });
  afterEach(() => {
    for (const c of cams) for (const k of Object.keys(c.faults)) delete (c.faults as Record<string, unknown>)[k];
  });

  function poll(extra: Record<string, unknown> = {}) {
    const config = testConfig({
      credentials: { onvif: { cctv: { username: 'admin', password: 'pantau-lab-cam' } } },
      collector: { traps: { enabled: false }, timeoutsMs: { onvif: 3000 }, ...extra },
    });
    const cam = (id: string, c: { address: string; httpPort: number }, more = {}) =>
      testDevice(
        id,
        c.address,
        { icmp: { enabled: false }, onvif: { enabled: true, credentials: 'cctv', port: c.httpPort } },
        { type: 'cctv', role: 'camera', ...more },
      );
    const inventory = testInventory([
      cam('cam-1', cams[0]!, { model: 'PC-2MP', firmware: 'V1.2.3', serial: 'SN0001' }),
      cam('cam-2', cams[1]!, { model: 'PC-2MP', firmware: 'V9.9.9' }),
      cam('cam-silent', { address: '127.4.0.9', httpPort: silentPort }),
      cam('cam-refused', { address: '127.4.0.10', httpPort: 9 }),
    ]);
    const collector = createCollector({
      config,
      inventory,
      bus: createInProcessBus(),
      logger: silentLogger(),
      configDir,
    });
    return collector.pollOnce().then((rs) => new Map(rs.map((r) => [r.deviceId, r as OnvifResult])));
  }

  it('a healthy camera passes every check: reachable, authenticated, clock, identity, snapshot JPEG, RTSP SDP', async () => {
    const r = await poll();
    const ok = r.get('cam-1')!;
    expect(ok, JSON.stringify(ok.error)).to.deep.include({
      ok: true,
      reachable: true,
      authenticated: true,
      mismatches: [],
    });
    expect(ok.info).to.deep.equal({ manufacturer: 'PantauCam', model: 'PC-2MP', firmware: 'V1.2.3', serial: 'SN0001' });
    expect(Math.abs(ok.clockDriftS!)).to.be.lessThan(2);
    expect(ok.snapshot).to.include({ ok: true, status: 200, bytes: 2056 });
    expect(ok.rtsp).to.include({ ok: true, status: 200, sdp: true });
    expect(r.get('cam-2')!.mismatches).to.deep.equal(['firmware: inventaris "V9.9.9", kamera "V1.2.3"']);
  });

  it('dead cameras are results with stable codes, bounded by our own timeout', async () => {
    const started = Date.now();
    const r = await poll();
    expect(r.get('cam-silent')).to.deep.include({ ok: false, reachable: false });
    expect(r.get('cam-silent')!.error!.code).to.equal('PANTAU_PROBE_TIMEOUT');
    expect(r.get('cam-refused')!.error!.code).to.equal('PANTAU_PROBE_REFUSED');
    expect(Date.now() - started).to.be.lessThan(4000);
  });

  const faults: Array<[string, Partial<FixtureCamera['faults']>, string, (r: OnvifResult) => void]> = [
    [
      'wrong password (connect alone would "succeed")',
      { wrongPassword: true },
      'PANTAU_PROBE_AUTH',
      (r) => expect(r).to.include({ reachable: true, authenticated: false }),
    ],
    [
      'snapshot HTTP 500',
      { snapshot: 'http500' },
      'PANTAU_PROBE_SNAPSHOT',
      (r) => expect(r.snapshot).to.include({ ok: false, status: 500 }),
    ],
    [
      'snapshot not a JPEG',
      { snapshot: 'not-jpeg' },
      'PANTAU_PROBE_SNAPSHOT',
      (r) => expect(r.snapshot!.error).to.match(/JPEG/),
    ],
    [
      'snapshot cut short',
      { snapshot: 'truncated' },
      'PANTAU_PROBE_SNAPSHOT',
      (r) => expect(r.snapshot!.ok).to.equal(false),
    ],
    ['RTSP refuses', { rtspDown: true }, 'PANTAU_PROBE_RTSP', (r) => expect(r.rtsp!.ok).to.equal(false)],
    [
      'clock 120 s ahead',
      { driftS: 120 },
      'PANTAU_PROBE_CLOCK_DRIFT',
      (r) => {
        expect(r.clockDriftS!).to.be.within(118, 122);
        expect(r.authenticated).to.equal(true);
      },
    ],
    [
      'malformed SOAP',
      { malformedSoap: true },
      'PANTAU_PROBE_BAD_RESPONSE',
      (r) => expect(r.reachable).to.equal(false),
    ],
  ];
  for (const [name, fault, code, check] of faults) {
    it(`${name} → ${code}, and the other camera is unaffected`, async () => {
      Object.assign(cams[0]!.faults, fault);
      const r = await poll();
      expect(r.get('cam-1')!.error?.code, JSON.stringify(r.get('cam-1'))).to.equal(code);
      check(r.get('cam-1')!);
      expect(r.get('cam-2')!.ok).to.equal(true);
    });
  }

  it('malformed SOAP of many shapes is BAD_RESPONSE, never an exception or a hang', async () => {
    const env = (b: string) =>
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body>${b}</s:Body></s:Envelope>`;
    const bodies = [
      '',
      'hello world',
      '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"></s:Envelope>',
      env(
        '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>',
      ),
      env(
        '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>x</tt:Hour></tt:Time></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>',
      ),
      env('<tds:GetHostnameResponse/>'),
      env(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`),
    ];
    const servers = await Promise.all(
      bodies.map(async (body, i) => {
        const srv = createHttpServer((req, res) => {
          req.resume();
          req.on('end', () => {
            res.writeHead(200, { 'content-type': 'application/soap+xml' });
            res.end(body);
          });
        });
        await new Promise<void>((r) => srv.listen(0, `127.4.1.${i + 1}`, r));
        return srv;
      }),
    );
    try {
      const config = testConfig({
        credentials: { onvif: { cctv: { username: 'admin', password: 'x' } } },
        collector: { traps: { enabled: false }, timeoutsMs: { onvif: 3000 } },
      });
      const inventory = testInventory(
        servers.map((srv, i) =>
          testDevice(
            `soap-${i}`,
            `127.4.1.${i + 1}`,
            {
              icmp: { enabled: false },
              onvif: { enabled: true, credentials: 'cctv', port: (srv.address() as { port: number }).port },
            },
            { type: 'cctv', role: 'camera' },
          ),
        ),
      );
      const results = (await createCollector({
        config,
        inventory,
        bus: createInProcessBus(),
        logger: silentLogger(),
        configDir,
      }).pollOnce()) as OnvifResult[];
      expect(results).to.have.length(bodies.length);
      for (const r of results)
        expect(r.error?.code, `${r.deviceId} ${r.error?.message}`).to.equal('PANTAU_PROBE_BAD_RESPONSE');
    } finally {
      for (const srv of servers) srv.close();
    }
  });
});
