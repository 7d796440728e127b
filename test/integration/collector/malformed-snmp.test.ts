import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { createInProcessBus } from '../../../core/bus.js';
import { silentLogger } from '../../../core/logger.js';
import type { SnmpResult } from '../../../core/types.js';
import { createCollector } from '../../../collector/collector.js';
import { startSnmpd, type SnmpdHandle } from '../../helpers/snmpd.js';
import { testConfig, testDevice, testInventory } from './helpers.js';

const configDir = new URL('../../../config', import.meta.url).pathname;

/** UDP responders that answer every request with something that is not a proper SNMP reply. */
const MODES: Record<string, (req: Buffer) => Buffer> = {
  random: () => randomBytes(64),
  empty: () => Buffer.alloc(0),
  truncated: (req) => req.subarray(0, Math.floor(req.length / 2)),
  // The request itself sent back: a well-formed message, but a GetRequest PDU, not a Response.
  echo: (req) => req,
  hugeLength: () => Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]),
};

describe('collector/snmp: malformed replies never crash or stall the collector', function () {
  this.timeout(60_000);
  let snmpd: SnmpdHandle;
  const responders: Socket[] = [];
  const ports: Record<string, number> = {};
  before(async () => {
    snmpd = await startSnmpd();
    for (const [mode, reply] of Object.entries(MODES)) {
      const sock = createSocket('udp4');
      sock.on('message', (msg, rinfo) => sock.send(reply(msg), rinfo.port, rinfo.address));
      await new Promise<void>((r) => sock.bind(0, '127.5.0.1', r));
      ports[mode] = sock.address().port;
      responders.push(sock);
    }
  });
  after(async () => {
    for (const s of responders) s.close();
    await snmpd?.stop();
  });

  it('each broken agent is a failed result with a code; the healthy agent polled alongside is fine', async () => {
    const config = testConfig({
      credentials: { snmp: { v2: { version: 'v2c', community: 'public' } } },
      collector: { traps: { enabled: false }, timeoutsMs: { snmp: 2000 } },
    });
    const snmp = (port: number) => ({
      icmp: { enabled: false },
      snmp: { enabled: true, version: 'v2c' as const, credentials: 'v2', port },
    });
    const inventory = testInventory([
      testDevice('healthy', snmpd.address, snmp(snmpd.port)),
      ...Object.keys(MODES).map((m) => testDevice(`bad-${m.toLowerCase()}`, '127.5.0.1', snmp(ports[m]!))),
    ]);
    const collector = createCollector({
      config,
      inventory,
      bus: createInProcessBus(),
      logger: silentLogger(),
      configDir,
    });
    const started = Date.now();
    const results = (await collector.pollOnce()) as SnmpResult[];
    expect(results).to.have.length(1 + Object.keys(MODES).length);
    expect(results.find((r) => r.deviceId === 'healthy')!.ok).to.equal(true);
    for (const r of results.filter((x) => x.deviceId !== 'healthy')) {
      expect(r.ok, r.deviceId).to.equal(false);
      expect(['PANTAU_PROBE_BAD_RESPONSE', 'PANTAU_PROBE_TIMEOUT'], `${r.deviceId} ${r.error?.code}`).to.include(
        r.error!.code,
      );
    }
    // Unparseable datagrams are named as such, not as a silent device.
    expect(results.find((r) => r.deviceId === 'bad-random')!.error!.code).to.equal('PANTAU_PROBE_BAD_RESPONSE');
    // All in parallel: bounded by one probe timeout, not the sum.
    expect(Date.now() - started).to.be.lessThan(2000 * 2);
  });
});
