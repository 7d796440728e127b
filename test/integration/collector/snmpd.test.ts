import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import { createInProcessBus } from '../../../core/bus.js';
import { silentLogger } from '../../../core/logger.js';
import type { SnmpResult } from '../../../core/types.js';
import { createCollector } from '../../../collector/collector.js';
import { startSnmpd, type SnmpdHandle } from '../../helpers/snmpd.js';
import { testConfig, testDevice, testInventory } from './helpers.js';

const configDir = new URL('../../../config', import.meta.url).pathname;

/** Pushes `bytes` through loopback so lo's counters move by at least that much. */
async function loopbackTraffic(bytes: number): Promise<void> {
  const rx = createSocket('udp4');
  const tx = createSocket('udp4');
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
  const port = rx.address().port;
  const chunk = Buffer.alloc(8192, 7);
  let got = 0;
  const done = new Promise<void>((resolve) =>
    rx.on('message', (m) => {
      got += m.length;
      if (got >= bytes) resolve();
    }),
  );
  for (let sent = 0; sent < bytes * 1.05; sent += chunk.length) {
    await new Promise<void>((r, j) => tx.send(chunk, port, '127.0.0.1', (e) => (e ? j(e) : r())));
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
  rx.close();
  tx.close();
}

describe('collector against a real Debian snmpd', function () {
  this.timeout(60_000);
  let snmpd: SnmpdHandle;
  before(async () => {
    snmpd = await startSnmpd();
  });
  after(async () => {
    await snmpd?.stop();
  });

  function collectorFor(credential: string) {
    const config = testConfig({
      credentials: {
        snmp: {
          v1: { version: 'v1', community: 'public' },
          v2: { version: 'v2c', community: 'public' },
          v3: {
            version: 'v3',
            user: snmpd.v3.user,
            level: 'authPriv',
            authProtocol: 'sha',
            authKey: snmpd.v3.authKey,
            privProtocol: 'aes',
            privKey: snmpd.v3.privKey,
          },
          v3auth: {
            version: 'v3',
            user: snmpd.v3.user,
            level: 'authNoPriv',
            authProtocol: 'sha',
            authKey: snmpd.v3.authKey,
          },
          wrongCommunity: { version: 'v2c', community: 'not-public' },
          v3bad: {
            version: 'v3',
            user: snmpd.v3.user,
            level: 'authPriv',
            authProtocol: 'sha',
            authKey: 'not-the-key-1',
            privProtocol: 'aes',
            privKey: snmpd.v3.privKey,
          },
        },
      },
      collector: { traps: { enabled: false }, timeoutsMs: { snmp: 3000 } },
    });
    const inventory = testInventory([
      testDevice('snmpd', snmpd.address, {
        icmp: { enabled: false },
        snmp: { enabled: true, version: 'v2c', credentials: credential, port: snmpd.port, uplinkIfIndex: 1 },
      }),
    ]);
    return createCollector({ config, inventory, bus: createInProcessBus(), logger: silentLogger(), configDir });
  }

  it('reads interfaces and loopback traffic in bits/s through the generic profile (v2c, HC counters)', async () => {
    const c = collectorFor('v2');
    const [first] = (await c.pollOnce()) as SnmpResult[];
    expect(first).to.include({ ok: true, kind: 'snmp', sysName: 'pantau-test-snmpd', rebooted: false });
    const lo = first!.interfaces.find((i) => i.ifName === 'lo')!;
    expect(lo).to.include({ ifIndex: 1, operUp: true, adminUp: true, isUplink: true, inBps: null });
    const t0 = Date.now();
    await loopbackTraffic(4_000_000);
    // Measurement window, not a wait for an event: snmpd caches ifTable for ~5 s, so the second read
    // must come later than that to see the traffic.
    await new Promise((r) => setTimeout(r, 5200));
    const [second] = (await c.pollOnce()) as SnmpResult[];
    const dt = (second!.ts - first!.ts) / 1000;
    const lo2 = second!.interfaces.find((i) => i.ifName === 'lo')!;
    expect(lo2.inBps).to.be.a('number');
    // At least the traffic we pushed (4 MB·8 over the window); loopback counts both directions as in and out.
    expect(lo2.inBps!).to.be.at.least(((4_000_000 * 8) / dt) * 0.9);
    expect(lo2.outBps!).to.be.at.least(((4_000_000 * 8) / dt) * 0.9);
    expect(second!.sysUpTimeS!).to.be.greaterThan(first!.sysUpTimeS!);
    expect(Date.now() - t0).to.be.lessThan(30_000);
  });

  it('over v1 (no Counter64) rates come from the 32-bit ifIn/OutOctets', async () => {
    const c = collectorFor('v1');
    const [first] = (await c.pollOnce()) as SnmpResult[];
    await loopbackTraffic(2_000_000);
    // Measurement window: past snmpd's ~5 s ifTable cache (as above).
    await new Promise((r) => setTimeout(r, 5200));
    const [second] = (await c.pollOnce()) as SnmpResult[];
    const dt = (second!.ts - first!.ts) / 1000;
    const lo = second!.interfaces.find((i) => i.ifName === 'lo')!;
    expect(lo.inBps!).to.be.at.least(((2_000_000 * 8) / dt) * 0.9);
    // A 32-bit counter over a few seconds of loopback cannot have wrapped more than once.
    expect(lo.inBps!).to.be.lessThan((2 ** 32 * 8) / dt);
  });

  for (const cred of ['v1', 'v3', 'v3auth']) {
    it(`reads the system group and interfaces over ${cred}`, async () => {
      const [r] = (await collectorFor(cred).pollOnce()) as SnmpResult[];
      expect(r!.ok, JSON.stringify(r!.error)).to.equal(true);
      expect(r!.sysName).to.equal('pantau-test-snmpd');
      expect(r!.interfaces.map((i) => i.ifName)).to.include('lo');
    });
  }

  it('a wrong v3 key is PANTAU_PROBE_AUTH, a wrong community a timeout', async () => {
    const [bad] = (await collectorFor('v3bad').pollOnce()) as SnmpResult[];
    expect(bad).to.deep.include({ ok: false, error: { code: 'PANTAU_PROBE_AUTH', message: bad!.error!.message } });
    // v1/v2c agents stay silent on a wrong community: indistinguishable from a dead agent.
    const [wrong] = (await collectorFor('wrongCommunity').pollOnce()) as SnmpResult[];
    expect(wrong!.error!.code).to.equal('PANTAU_PROBE_TIMEOUT');
    expect(wrong!.durationMs).to.be.lessThan(3500);
  });
});
