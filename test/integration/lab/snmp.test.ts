import { createSocket, type Socket } from 'node:dgram';
import { expect } from 'chai';
import { okuInventory, snmpGet, sh, startTestLab, V2C_ARGS, V3_ARGS } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';
import type { Lab } from '../../../simulator/lab.js';

// Debian's net-snmp tools against the lab's agents: units and values must match what the lab says it serves.
describe('lab/snmp (Debian snmpget/snmpbulkwalk against the lab)', function () {
  this.timeout(120_000);
  let lab: Lab;
  let traps: Socket;
  const received: Array<{ from: string; data: Buffer }> = [];
  const inv = okuInventory();

  before(async () => {
    traps = createSocket('udp4');
    traps.on('message', (data, rinfo) => received.push({ from: rinfo.address, data }));
    await new Promise<void>((r) => traps.bind(0, '127.0.0.1', () => r()));
    lab = await startTestLab({ inventory: inv, trapTarget: { host: '127.0.0.1', port: traps.address().port } });
  });
  after(async () => {
    await lab?.stop();
    traps?.close();
  });

  for (const [name, auth] of [
    ['v2c', V2C_ARGS],
    ['v3 authPriv SHA/AES', V3_ARGS],
  ] as const) {
    it(`reads sysUpTime, ifHCInOctets and MikroTik optical rx (thousandths of dBm) over ${name}`, async () => {
      const up = await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.3.0', [...auth]);
      expect(up).to.match(/^Timeticks: \(\d+\)/);
      const ticks = Number(/\((\d+)\)/.exec(up!)![1]);
      expect(ticks).to.be.greaterThan(100 * 86_400); // up at least a day before the lab started
      const hc = await snmpGet('127.20.0.1', '1.3.6.1.2.1.31.1.1.1.6.1', [...auth]);
      expect(hc).to.match(/^Counter64: \d+$/);
      expect(BigInt(hc!.split(' ')[1]!) > 2n ** 32n).to.equal(true);
      const rx = await snmpGet('127.20.0.1', '1.3.6.1.4.1.14988.1.1.19.1.1.10.1', [...auth]);
      expect(rx).to.equal(`INTEGER: ${Math.round(lab.expectedOptical('fo-core')!.rxDbm * 1000)}`);
      expect(lab.expectedOptical('fo-core')!.rxDbm).to.be.within(-12, -6);
    });

    it(`walks ifXTable with snmpbulkwalk over ${name} (every column, every row)`, async () => {
      const r = await sh('snmpbulkwalk', [...auth, '-On', '-Cr3', '127.20.0.1', '1.3.6.1.2.1.31.1.1.1']);
      expect(r.code, r.stderr).to.equal(0);
      const ifs = lab.expectedRate('fo-core', 1, Date.now() - 1000, Date.now()).inBps > 0;
      expect(ifs).to.equal(true);
      const hcLines = r.stdout.split('\n').filter((l) => l.startsWith('.1.3.6.1.2.1.31.1.1.1.6.'));
      const nIf = inv.children('fo-core').length > 8 ? 9 : inv.children('fo-core').length + 1;
      expect(hcLines).to.have.length(nIf);
    });
  }

  it('GetBulk returns max-repetitions rows PER column (RFC 3416), not in total as net-snmp alone does', async () => {
    const r = await sh('snmpbulkget', [
      ...V2C_ARGS,
      '-On',
      '-Cn1',
      '-Cr4',
      '127.20.0.1',
      '1.3.6.1.2.1.1.3',
      '1.3.6.1.2.1.2.2.1.2',
      '1.3.6.1.2.1.31.1.1.1.6',
    ]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(1 + 2 * 4);
    expect(lines.filter((l) => l.startsWith('.1.3.6.1.2.1.31.1.1.1.6.'))).to.have.length(4);
  });

  it('serves ENTITY-SENSOR dBm (type 14, precision 2) and hrProcessorLoad; refuses a wrong v3 key', async () => {
    expect(await snmpGet('127.20.1.10', '1.3.6.1.2.1.99.1.1.1.1.1001')).to.equal('INTEGER: 14');
    expect(await snmpGet('127.20.1.10', '1.3.6.1.2.1.99.1.1.1.3.1001')).to.equal('INTEGER: 2');
    expect(await snmpGet('127.20.1.10', '1.3.6.1.2.1.99.1.1.1.4.1001')).to.equal(
      `INTEGER: ${Math.round(lab.expectedOptical('fo-baturaja-timur-01')!.rxDbm * 100)}`,
    );
    const cpu = await snmpGet('127.20.0.1', '1.3.6.1.2.1.25.3.3.1.2.196608');
    expect(Number(cpu!.split(' ')[1])).to.be.within(0, 100);
    const wrong = V3_ARGS.map((a) => (a === 'pantau-lab-priv' ? 'salah-kunci-priv' : a));
    expect(await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.5.0', wrong)).to.equal(null);
  });

  it('names the ENTITY-SENSOR rows and the uplink port in ENTITY-MIB (entPhysicalName "SFP1 Rx Power" / "SFP1 Tx Power", entPhysicalDescr)', async () => {
    const generic = inv.devices.find((d) => d.type === 'fiber' && d.vendor === 'generic')!;
    const r = await sh('snmpbulkwalk', [...V2C_ARGS, '-On', generic.address, '1.3.6.1.2.1.47.1.1.1.1.7']);
    expect(r.stdout.trim().split('\n')).to.deep.equal([
      '.1.3.6.1.2.1.47.1.1.1.1.7.1 = STRING: "port1"',
      '.1.3.6.1.2.1.47.1.1.1.1.7.1001 = STRING: "SFP1 Rx Power"',
      '.1.3.6.1.2.1.47.1.1.1.1.7.1002 = STRING: "SFP1 Tx Power"',
    ]);
    expect(await snmpGet(generic.address, '1.3.6.1.2.1.47.1.1.1.1.2.1001')).to.match(/^STRING: "SFP1 .*receive.*"$/);
    expect(await snmpGet(generic.address, '1.3.6.1.2.1.47.1.1.1.1.5.1002')).to.equal('INTEGER: 8');
    // The uplink port entity (index 1, as hwEntityOpticalTable is indexed) carries the port's name.
    expect(await snmpGet(generic.address, '1.3.6.1.2.1.47.1.1.1.1.7.1')).to.equal('STRING: "port1"');
  });

  it('GETNEXT past a table the device lacks continues in OID order; GET of a missing object is noSuchObject/noSuchInstance', async () => {
    // A MikroTik Wi-Fi point has no mtxrOpticalTable: nothing of its MIB comes after it.
    const wifi = inv.devices.find((d) => d.type === 'wifi' && d.vendor === 'mikrotik')!;
    const next = await sh('snmpgetnext', [...V2C_ARGS, '-On', wifi.address, '1.3.6.1.4.1.14988.1.1.19.1.1.10']);
    expect(next.stdout.trim()).to.match(/No more variables left in this MIB View|endOfMibView/);
    const before = await sh('snmpgetnext', [...V2C_ARGS, '-On', wifi.address, '1.3.6.1.2.1.2.2.1.2.1']);
    expect(before.stdout.trim()).to.match(/^\.1\.3\.6\.1\.2\.1\.2\.2\.1\.2\.2 = STRING: /);
    expect(await snmpGet(wifi.address, '1.3.6.1.4.1.14988.1.1.19.1.1.10.1')).to.match(/No Such Object/);
    expect(await snmpGet(wifi.address, '1.3.6.1.2.1.2.2.1.2.99')).to.match(/No Such Instance/);
  });

  it('answers SNMPv1 too', async () => {
    expect(await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.5.0', ['-v1', '-c', 'public'])).to.equal('STRING: "fo-core"');
  });

  it('loss: an iptables statistic DROP on the address; 100 % silences ping, clear removes the rule', async () => {
    const { pingable } = await import('../../helpers/lab.js');
    await lab.fault('fo-baturaja-timur-02', { kind: 'loss', percent: 100 });
    const rules = await sh('iptables', ['-S', 'PANTAU-LAB']);
    expect(rules.stdout).to.match(/-d 127\.20\.1\.11\/32 -m statistic --mode random --probability 1\.0+ -j DROP/);
    expect(await pingable('127.20.1.11')).to.equal(false);
    await lab.clear('fo-baturaja-timur-02');
    expect((await sh('iptables', ['-S', 'PANTAU-LAB'])).stdout).to.not.contain('127.20.1.11');
    expect(await pingable('127.20.1.11')).to.equal(true);
  });

  it('serves Huawei ONT rx in hundredths and ZTE ONU rx in thousandths of dBm', async () => {
    const hw = inv.devices.find((d) => d.vendor === 'huawei' && d.role === 'ont')!;
    const zte = inv.devices.find((d) => d.vendor === 'zte' && d.type === 'fiber')!;
    const hwRx = await snmpGet(hw.address, '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.4.1.0');
    expect(hwRx).to.equal(`INTEGER: ${Math.round(lab.expectedOptical(hw.id)!.rxDbm * 100)}`);
    const hwEnt = await snmpGet(hw.address, '1.3.6.1.4.1.2011.5.25.31.1.1.3.1.8.1');
    expect(hwEnt).to.equal(hwRx);
    const zRx = await snmpGet(zte.address, '1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2.1');
    expect(zRx).to.equal(`INTEGER: ${Math.round(lab.expectedOptical(zte.id)!.rxDbm * 1000)}`);
  });

  it('HC counters grow at the expected rate and the 32-bit copy is the HC value mod 2^32', async () => {
    const read = async () => {
      const r = await sh('snmpget', [
        ...V2C_ARGS,
        '-On',
        '-Oqv',
        '127.20.0.1',
        '1.3.6.1.2.1.31.1.1.1.6.1',
        '1.3.6.1.2.1.2.2.1.10.1',
      ]);
      const [hc, c32] = r.stdout.trim().split('\n');
      return { t: Date.now(), hc: BigInt(hc!), c32: BigInt(c32!) };
    };
    const a = await read();
    // Measurement window: the counters' growth over 2 s is the rate checked.
    await new Promise((r) => setTimeout(r, 2000));
    const b = await read();
    expect(b.hc % 2n ** 32n).to.equal(b.c32);
    const measured = (Number(b.hc - a.hc) * 8 * 1000) / (b.t - a.t);
    const expected = lab.expectedRate('fo-core', 1, a.t, b.t).inBps;
    // Wall-clock read times bracket the agent's instants by a few ms; 5 % is the collector's own bound.
    expect(Math.abs(measured - expected) / expected).to.be.lessThan(0.05);
  });

  it('Wi-Fi client OIDs sum to expectedWifiClients, and a spike shows up', async () => {
    const unifi = inv.devices.find((d) => d.vendor === 'ubiquiti')!;
    await lab.fault(unifi.id, { kind: 'wifi-clients', count: 250 });
    const r = await sh('snmpwalk', [...V2C_ARGS, '-On', '-Oqv', unifi.address, '1.3.6.1.4.1.41112.1.6.1.2.1.8']);
    // The walk ends with snmpwalk's end-of-MIB notice: count the numeric lines only.
    const values = r.stdout
      .trim()
      .split('\n')
      .filter((l) => /^\d+$/.test(l.trim()));
    expect(values).to.have.length(2);
    const sum = values.reduce((a, v) => a + Number(v), 0);
    expect(sum).to.equal(250);
    expect(lab.expectedWifiClients(unifi.id)).to.equal(250);
    await lab.clear(unifi.id);
  });

  it('reboot: silent, then sysUpTime restarts and a coldStart trap arrives from the device address', async () => {
    received.length = 0;
    await lab.fault('fo-baturaja-timur', { kind: 'reboot', downMs: 1500 });
    expect(await snmpGet('127.20.1.1', '1.3.6.1.2.1.1.3.0')).to.equal(null);
    await until(
      async () => (await snmpGet('127.20.1.1', '1.3.6.1.2.1.1.3.0')) !== null,
      15_000,
      'the agent back after the reboot',
      200,
    );
    const ticks = Number(/\((\d+)\)/.exec((await snmpGet('127.20.1.1', '1.3.6.1.2.1.1.3.0'))!)![1]);
    expect(ticks).to.be.lessThan(3000); // under 30 s since the reboot
    const coldStart = Buffer.from([0x2b, 6, 1, 6, 3, 1, 1, 5, 1]);
    await until(
      () => received.some((t) => t.from === '127.20.1.1' && t.data.includes(coldStart)),
      5000,
      'coldStart trap',
      200,
    );
  });

  it('ifdown sets ifOperStatus down and sends linkDown; ifup sends linkUp', async () => {
    received.length = 0;
    await lab.fault('fo-core', { kind: 'ifdown', ifIndex: 2 });
    expect(await snmpGet('127.20.0.1', '1.3.6.1.2.1.2.2.1.8.2')).to.equal('INTEGER: 2');
    const linkDown = Buffer.from([0x2b, 6, 1, 6, 3, 1, 1, 5, 3]);
    const linkUp = Buffer.from([0x2b, 6, 1, 6, 3, 1, 1, 5, 4]);
    await until(
      () => received.some((t) => t.from === '127.20.0.1' && t.data.includes(linkDown)),
      5000,
      'linkDown trap',
      200,
    );
    await lab.fault('fo-core', { kind: 'ifup', ifIndex: 2 });
    expect(await snmpGet('127.20.0.1', '1.3.6.1.2.1.2.2.1.8.2')).to.equal('INTEGER: 1');
    await until(
      () => received.some((t) => t.from === '127.20.0.1' && t.data.includes(linkUp)),
      5000,
      'linkUp trap',
      200,
    );
  });

  it('malformed-snmp makes snmpget fail to parse; latency delays replies', async () => {
    await lab.fault('fo-baturaja-timur-01', { kind: 'malformed-snmp' });
    expect(await snmpGet('127.20.1.10', '1.3.6.1.2.1.1.3.0')).to.equal(null);
    await lab.clear('fo-baturaja-timur-01');
    await lab.fault('fo-baturaja-timur-01', { kind: 'latency', ms: 800 });
    const t0 = Date.now();
    const r = await sh('snmpget', [...V2C_ARGS, '-t', '3', '-r', '0', '127.20.1.10', '1.3.6.1.2.1.1.3.0']);
    expect(r.code).to.equal(0);
    expect(Date.now() - t0).to.be.greaterThan(750);
    await lab.clear('fo-baturaja-timur-01');
  });
});
