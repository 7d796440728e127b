import { expect } from 'chai';
import type { Device } from '../../../core/inventory/schema.js';
import { deviceSchema } from '../../../core/inventory/schema.js';
import { DeviceModel } from '../../../simulator/model/device.js';
import { octetsBetween } from '../../../simulator/model/traffic.js';

const T0 = Date.UTC(2026, 10, 28, 1, 0, 0);
const dev = (over: Partial<Device> = {}): Device =>
  deviceSchema.parse({
    id: 'fo-x',
    name: 'X',
    type: 'fiber',
    role: 'ont',
    kecamatan: 'Lengkiti',
    lat: -4.2,
    lon: 104,
    address: '127.20.9.9',
    parent: 'fo-core',
    vendor: 'huawei',
    probes: { icmp: { enabled: true } },
    ...over,
  });

describe('simulator/model/device', () => {
  it('counters grow by the integral of the rate; the uplink is ifIndex 1', () => {
    const m = new DeviceModel(dev(), 0, T0);
    const a = m.octets(1, T0 + 1000)!;
    const b = m.octets(1, T0 + 61_000)!;
    const itf = m.profile.interfaces[0]!;
    expect(Number(b.in - a.in)).to.be.closeTo(octetsBetween(itf.baseInBps, T0 + 1000, T0 + 61_000), 2);
    expect(a.in > 2n ** 32n).to.equal(true);
  });

  it('reboot: silent while down, then sysUpTime and counters restart and a coldStart is due', () => {
    const m = new DeviceModel(dev(), 0, T0);
    expect(m.uptimeTicks(T0)).to.be.greaterThan(8_640_000);
    const traps = m.apply({ kind: 'reboot', downMs: 5000 }, 'fo-x', T0 + 10_000);
    expect(traps).to.deep.equal([{ at: T0 + 15_000, kind: 'coldStart' }]);
    expect(m.silent(T0 + 12_000)).to.equal(true);
    expect(m.silent(T0 + 15_000)).to.equal(false);
    expect(m.uptimeTicks(T0 + 17_000)).to.equal(200);
    expect(m.octets(1, T0 + 15_000)!.in).to.equal(0n);
  });

  it('ifdown freezes the counters and sends linkDown; ifup resumes with linkUp', () => {
    const m = new DeviceModel(dev(), 0, T0);
    expect(m.apply({ kind: 'ifdown', ifIndex: 1 }, 'fo-x', T0 + 1000)).to.deep.equal([
      { at: T0 + 1000, kind: 'linkDown', ifIndex: 1 },
    ]);
    expect(m.operUp(1)).to.equal(false);
    const frozen = m.octets(1, T0 + 2000)!.in;
    expect(m.octets(1, T0 + 60_000)!.in).to.equal(frozen);
    expect(m.apply({ kind: 'ifup', ifIndex: 1 }, 'fo-x', T0 + 60_000)).to.deep.equal([
      { at: T0 + 60_000, kind: 'linkUp', ifIndex: 1 },
    ]);
    expect(m.octets(1, T0 + 70_000)!.in > frozen).to.equal(true);
  });

  it('clear of an ifdown brings the link up with a linkUp trap', () => {
    const m = new DeviceModel(dev(), 0, T0);
    m.apply({ kind: 'ifdown', ifIndex: 2 }, 'fo-x', T0);
    expect(m.clear(T0 + 5000)).to.deep.equal([{ at: T0 + 5000, kind: 'linkUp', ifIndex: 2 }]);
    expect(m.operUp(2)).to.equal(true);
  });

  it('optical power degrades linearly toward the target over the duration', () => {
    const m = new DeviceModel(dev(), 0, T0);
    const start = m.optical(T0)!.rxDbm;
    m.apply({ kind: 'optical', toDbm: -30, durationMs: 100_000 }, 'fo-x', T0);
    expect(m.optical(T0 + 50_000)!.rxDbm).to.be.closeTo((start - 30) / 2, 0.01);
    expect(m.optical(T0 + 200_000)!.rxDbm).to.equal(-30);
    m.clear(T0 + 300_000);
    expect(m.optical(T0 + 300_000)!.rxDbm).to.equal(start);
  });

  it('Wi-Fi clients follow opening hours and can be forced', () => {
    const m = new DeviceModel(
      dev({ id: 'wifi-x', type: 'wifi', role: 'ap', vendor: 'ubiquiti', openingHours: '06:00-22:00' }),
      0,
      T0,
    );
    // 23:30 WIB = 16:30 UTC: closed.
    expect(m.wifiClients(Date.UTC(2026, 10, 28, 16, 30))).to.equal(0);
    expect(m.wifiClients(Date.UTC(2026, 10, 28, 12, 0))).to.be.greaterThan(0);
    m.apply({ kind: 'wifi-clients', count: 300 }, 'wifi-x', T0);
    expect(m.wifiClients(Date.UTC(2026, 10, 28, 16, 30))).to.equal(300);
    expect(new DeviceModel(dev(), 0, T0).wifiClients(T0)).to.equal(null);
  });

  it('subtree faults are cleared by their origin only', () => {
    const m = new DeviceModel(dev(), 0, T0);
    m.apply({ kind: 'down' }, 'fo-core', T0);
    m.apply({ kind: 'latency', ms: 200 }, 'fo-x', T0);
    m.clear(T0, 'fo-other');
    expect(m.silent(T0)).to.equal(true);
    m.clear(T0, 'fo-core');
    expect(m.silent(T0)).to.equal(false);
    expect(m.replyDelayMs()).to.equal(200);
  });

  it('profiles: optics only on fiber, radios on Wi-Fi, one downlink per child (max 8)', () => {
    expect(new DeviceModel(dev({ type: 'cctv', role: 'camera', vendor: 'generic' }), 0, T0).profile.optical).to.equal(
      null,
    );
    const ap = new DeviceModel(dev({ id: 'wifi-w', type: 'wifi', role: 'ap', vendor: 'ubiquiti' }), 0, T0).profile;
    expect(ap.interfaces.filter((i) => i.type === 71).map((i) => i.name)).to.deep.equal(['ath0', 'ath1']);
    expect(
      new DeviceModel(dev({ role: 'distribution', vendor: 'mikrotik' }), 20, T0).profile.interfaces,
    ).to.have.length(9);
  });
});
