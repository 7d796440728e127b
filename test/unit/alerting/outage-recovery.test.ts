import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { device, engineWorld, testEngine } from './support.js';

// Issue 11 "recover": SNMP/ONVIF failures during an outage must not leave a recovered device DEGRADED.
const inventory = buildInventory([device('desa', null, 'fiber', 'access'), device('cam', null, 'cctv', 'camera')]);
const engine = testEngine(inventory, { degradedAfter: 3 });
const world = () => engineWorld(engine);

describe('alerting/engine: recovery after an outage (injected time)', () => {
  it('an SNMP device whose SNMP failed during the outage comes back UP, not DEGRADED', () => {
    const w = world();
    w.ping(0, 'desa', true);
    w.ping(1000, 'desa', true);
    w.snmp(1500, 'desa', true);
    expect(w.eff('desa')).to.equal('UP');
    // Power cut at 5 s: SNMP happens to fail first (ping still fine), then ping too.
    w.snmp(5000, 'desa', false);
    w.ping(10_000, 'desa', false);
    w.snmp(10_500, 'desa', false);
    w.ping(10_500, 'desa', false);
    w.snmp(15_500, 'desa', false);
    w.ping(11_000, 'desa', false);
    expect(w.eff('desa')).to.equal('DOWN');
    for (let t = 20_000; t < 80_000; t += 5000) {
      w.snmp(t, 'desa', false);
      w.ping(t + 100, 'desa', false);
    }
    // Power back: two pings answer; the SNMP agent is still booting and misses once more.
    w.ping(90_000, 'desa', true);
    w.snmp(90_200, 'desa', false);
    w.ping(90_500, 'desa', true);
    expect(w.eff('desa')).to.equal('UP');
  });

  it('SNMP failures while the ping fails (not yet DOWN) do not count toward DEGRADED', () => {
    const w = world();
    w.ping(0, 'desa', true);
    w.ping(1000, 'desa', true);
    w.snmp(2000, 'desa', false);
    w.ping(3000, 'desa', false);
    w.snmp(3500, 'desa', false);
    w.snmp(4000, 'desa', false);
    w.ping(4500, 'desa', true);
    expect(w.eff('desa')).to.equal('UP');
  });

  it('a camera whose ONVIF failed during the outage comes back UP', () => {
    const w = world();
    w.ping(0, 'cam', true);
    w.ping(1000, 'cam', true);
    w.onvif(1500, 'cam', true);
    w.onvif(4000, 'cam', false);
    for (let t = 5000; t < 40_000; t += 5000) {
      w.ping(t, 'cam', false);
      w.onvif(t + 100, 'cam', false);
    }
    expect(w.eff('cam')).to.equal('DOWN');
    w.ping(50_000, 'cam', true);
    w.onvif(50_100, 'cam', false);
    w.ping(50_500, 'cam', true);
    expect(w.eff('cam')).to.equal('UP');
  });

  it('a real SNMP fault with the ping fine still degrades after degradedAfter failures', () => {
    const w = world();
    w.ping(0, 'desa', true);
    w.ping(1000, 'desa', true);
    w.snmp(2000, 'desa', false);
    w.snmp(7000, 'desa', false);
    expect(w.eff('desa')).to.equal('UP');
    w.snmp(12_000, 'desa', false);
    expect(w.eff('desa')).to.equal('DEGRADED');
    // One lost ping does not hide the standing SNMP fault.
    w.ping(13_000, 'desa', false);
    expect(w.eff('desa')).to.equal('DEGRADED');
  });
});
