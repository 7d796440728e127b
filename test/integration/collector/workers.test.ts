import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createInProcessBus } from '../../../core/bus.js';
import { createLogger } from '../../../core/logger.js';
import type { OnvifResult, ProbeResult, SnmpResult } from '../../../core/types.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import { startFixtureCamera, type FixtureCamera } from '../../helpers/onvif-camera.js';
import { startSnmpd, type SnmpdHandle } from '../../helpers/snmpd.js';
import { testConfig, testDevice, testInventory } from './helpers.js';
import { until } from '../../helpers/wait.js';

const configDir = new URL('../../../config', import.meta.url).pathname;

// `collector.workers: 1` (ADR 0208): the scheduled SNMP and ONVIF runs happen in a worker thread,
// against real snmpd (v2c and v3 authPriv) and a fixture ONVIF camera. Intervals of 1–2 s instead of
// the shipped 60 s so two polls (for rates) fit in a short test.
describe('collector with probe worker threads (collector.workers)', function () {
  this.timeout(60_000);
  let snmpd: SnmpdHandle;
  let cam: FixtureCamera;
  let collector: Collector | undefined;
  const lines: string[] = [];
  let profilesDir: string;
  before(async () => {
    // A vendor profile with an OID snmpd lacks: the prober logs it once per device, and that line
    // says which thread wrote it.
    profilesDir = mkdtempSync(join(tmpdir(), 'pantau-workers-prof-'));
    writeFileSync(
      join(profilesDir, 'acme.yaml'),
      'vendor: acme\nmetrics:\n  - name: typo_scalar\n    oid: 1.3.6.1.2.1.1.77.0\n    unit: x\n',
    );
    snmpd = await startSnmpd();
    cam = await startFixtureCamera({ address: '127.4.1.1', username: 'admin', password: 'pantau-lab-cam' });
  });
  after(async () => {
    await collector?.stop();
    await snmpd?.stop();
    await cam?.stop();
    rmSync(profilesDir, { recursive: true, force: true });
  });

  it('polls SNMP (v2c, v3) and ONVIF on schedule from a worker: same results, rates across polls, secrets never logged', async () => {
    const seen: ProbeResult[] = [];
    const bus = createInProcessBus();
    bus.subscribe('probe.result', (r) => {
      seen.push(r);
    });
    const config = testConfig({
      credentials: {
        snmp: {
          v2: { version: 'v2c', community: snmpd.community },
          v3: {
            version: 'v3',
            user: snmpd.v3.user,
            level: 'authPriv',
            authProtocol: 'sha',
            authKey: snmpd.v3.authKey,
            privProtocol: 'aes',
            privKey: snmpd.v3.privKey,
          },
        },
        onvif: { cctv: { username: 'admin', password: 'pantau-lab-cam' } },
      },
      collector: { traps: { enabled: false }, workers: 1, profilesDir },
    });
    const snmp = (credentials: string) => ({
      enabled: true,
      version: credentials === 'v3' ? ('v3' as const) : ('v2c' as const),
      credentials,
      port: snmpd.port,
      intervalS: 2,
    });
    const inventory = testInventory([
      testDevice('dev-v2', snmpd.address, { icmp: { enabled: false }, snmp: snmp('v2') }, { vendor: 'acme' }),
      testDevice('dev-v3', snmpd.address, { icmp: { enabled: false }, snmp: snmp('v3') }, { vendor: 'acme' }),
      // Nothing listens there: the worker's run ends in a timeout result like the main thread's would.
      testDevice(
        'dev-silent',
        '127.4.1.9',
        { icmp: { enabled: false }, snmp: { ...snmp('v2'), port: 9 } },
        { vendor: 'acme' },
      ),
      testDevice(
        'cam-1',
        cam.address,
        { icmp: { enabled: false }, onvif: { enabled: true, credentials: 'cctv', port: cam.httpPort, intervalS: 2 } },
        { type: 'cctv', role: 'camera' },
      ),
    ]);
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }),
    });
    collector = createCollector({ config, inventory, bus, logger, configDir });
    await collector.start();
    const started = lines
      .map((l) => JSON.parse(l) as { msg: string; threads?: number })
      .find((l) => l.msg === 'probe worker threads started');
    expect(started?.threads).to.equal(1);

    for (const id of ['dev-v2', 'dev-v3']) {
      const r = await until(
        () =>
          seen.find(
            (x): x is SnmpResult =>
              x.kind === 'snmp' && x.deviceId === id && x.ok && x.interfaces.some((i) => i.inBps !== null),
          ),
        20_000,
        `${id}: a second SNMP poll with rates`,
      );
      expect(r.sysName).to.equal('pantau-test-snmpd');
      expect(r.interfaces.length).to.be.greaterThan(0);
    }
    const silent = await until(() => seen.find((x) => x.deviceId === 'dev-silent'), 20_000, 'the silent device');
    expect(silent.error?.code).to.equal('PANTAU_PROBE_TIMEOUT');
    const camResult = await until(
      () => seen.find((x): x is OnvifResult => x.kind === 'onvif' && x.ok),
      20_000,
      'an ONVIF result',
    );
    expect(camResult).to.deep.include({ reachable: true, authenticated: true });
    expect(camResult.snapshot).to.include({ ok: true, status: 200 });

    // The probes ran in the worker: its log lines (the profile OID snmpd lacks) reached this logger, marked.
    const missing = lines
      .map((l) => JSON.parse(l) as { device?: string; missing?: string[]; probeWorker?: number; module?: string })
      .filter((l) => l.missing !== undefined);
    expect(missing.map((l) => [l.device, l.probeWorker, l.module]).sort()).to.deep.equal([
      ['dev-v2', 0, 'snmp'],
      ['dev-v3', 0, 'snmp'],
    ]);

    await collector.stop();
    collector = undefined;
    const all = lines.join('');
    for (const secret of [snmpd.v3.authKey, snmpd.v3.privKey, 'pantau-lab-cam']) expect(all).to.not.include(secret);
  });

  it('a worker that cannot build its probers fails start() with the reason', async () => {
    const config = testConfig({
      collector: { traps: { enabled: false }, workers: 1, profilesDir: '/nonexistent-profiles' },
    });
    let err: unknown;
    try {
      const c = createCollector({
        config,
        inventory: testInventory([]),
        bus: createInProcessBus(),
        logger: createLogger({ level: 'silent' }),
        configDir,
      });
      await c.start();
      await c.stop();
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/profile/i);
  });
});
