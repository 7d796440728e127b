import { expect } from 'chai';
import { createManualClock } from '../../../core/time.js';
import type { Lab } from '../../../simulator/lab.js';
import { okuInventory, sh, snmpGet, startTestLab, subInventory, V2C_ARGS } from '../../helpers/lab.js';

// workers: 0 runs the agents in this process on the injected clock: collector tests can move time
// by hours and check their rate maths against the lab's expectation exactly.
describe('lab/clock: in-process agents on a manual clock', function () {
  this.timeout(60_000);
  const clock = createManualClock(Date.UTC(2026, 10, 28, 6, 0, 0));
  let lab: Lab;
  before(async () => {
    lab = await startTestLab({
      inventory: subInventory(okuInventory(), ['wifi-01', 'fo-baturaja-timur-01']),
      workers: 0,
      clock,
    });
  });
  after(async () => {
    await lab?.stop();
  });

  const hc = async (addr: string) =>
    BigInt((await sh('snmpget', [...V2C_ARGS, '-Oqv', addr, '1.3.6.1.2.1.31.1.1.1.6.1'])).stdout.trim());

  it('counters and sysUpTime follow the clock; the rate over an hour matches expectedRate', async () => {
    const t0 = clock.now();
    const a = await hc('127.20.0.1');
    const up0 = Number(/\((\d+)\)/.exec((await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.3.0'))!)![1]);
    clock.advance(3_600_000);
    const b = await hc('127.20.0.1');
    const up1 = Number(/\((\d+)\)/.exec((await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.3.0'))!)![1]);
    expect(up1 - up0).to.equal(360_000);
    const measured = (Number(b - a) * 8) / 3600;
    expect(measured / lab.expectedRate('fo-core', 1, t0, clock.now()).inBps).to.be.closeTo(1, 1e-6);
  });

  it('optical degradation and Wi-Fi opening hours follow the clock', async () => {
    const id = 'fo-baturaja-timur-01';
    const start = lab.expectedOptical(id)!.rxDbm;
    await lab.fault(id, { kind: 'optical', toDbm: -29, durationMs: 600_000 });
    clock.advance(300_000);
    expect(lab.expectedOptical(id)!.rxDbm).to.be.closeTo((start - 29) / 2, 0.01);
    const raw = await snmpGet('127.20.1.10', '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.4.1.0');
    expect(raw).to.equal(`INTEGER: ${Math.round(lab.expectedOptical(id)!.rxDbm * 100)}`);
    clock.set(Date.UTC(2026, 10, 28, 17, 0, 0)); // 00:00 WIB: the park's Wi-Fi is closed
    expect(lab.expectedWifiClients('wifi-01')).to.equal(0);
  });
});
