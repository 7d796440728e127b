import { expect } from 'chai';
import { computeRates, type CounterSnapshot, type IfCounters } from '../../../collector/probes/snmp/rates.js';

const snap = (ts: number, uptimeS: number | null, ifs: Record<number, Partial<IfCounters>>): CounterSnapshot => ({
  ts,
  uptimeS,
  ifs: new Map(
    Object.entries(ifs).map(([k, v]) => [
      Number(k),
      { inOctets: null, outOctets: null, hc: true, speedBps: 1e9, ...v },
    ]),
  ),
});

describe('collector/probes/snmp/rates', () => {
  const cases: Array<{
    name: string;
    prev?: CounterSnapshot;
    cur: CounterSnapshot;
    rebooted: boolean;
    inBps: number | null;
    outBps?: number | null;
  }> = [
    {
      name: 'first poll gives no rate',
      cur: snap(10_000, 100, { 1: { inOctets: 1000n, outOctets: 0n } }),
      rebooted: false,
      inBps: null,
    },
    {
      name: '64-bit delta over 10 s',
      prev: snap(0, 100, { 1: { inOctets: 5_000_000_000n, outOctets: 0n } }),
      cur: snap(10_000, 110, { 1: { inOctets: 5_012_500_000n, outOctets: 1250n } }),
      rebooted: false,
      inBps: 10_000_000,
      outBps: 1000,
    },
    {
      name: '32-bit wrap is unwrapped',
      prev: snap(0, 100, { 1: { inOctets: 4_294_967_000n, outOctets: 0n, hc: false } }),
      cur: snap(10_000, 110, { 1: { inOctets: 704n, outOctets: 0n, hc: false } }),
      rebooted: false,
      inBps: 800,
    },
    {
      name: '32-bit "wrap" faster than the link is a reset',
      prev: snap(0, 100, { 1: { inOctets: 3_000_000_000n, outOctets: 0n, hc: false, speedBps: 10e6 } }),
      cur: snap(10_000, 110, { 1: { inOctets: 5n, outOctets: 0n, hc: false, speedBps: 10e6 } }),
      rebooted: false,
      inBps: null,
    },
    {
      name: '64-bit counter going backwards is a reset, never a spike',
      prev: snap(0, 100, { 1: { inOctets: 9_000_000_000n, outOctets: 0n } }),
      cur: snap(10_000, 110, { 1: { inOctets: 10n, outOctets: 0n } }),
      rebooted: false,
      inBps: null,
    },
    {
      name: 'sysUpTime decrease: reboot, no rates',
      prev: snap(0, 5000, { 1: { inOctets: 9_000_000_000n, outOctets: 1n } }),
      cur: snap(10_000, 3, { 1: { inOctets: 12n, outOctets: 5n } }),
      rebooted: true,
      inBps: null,
      outBps: null,
    },
    {
      name: 'sysUpTime wrapping at 2^32 ticks (497 days) is not a reboot',
      prev: snap(0, 2 ** 32 / 100 - 4, { 1: { inOctets: 0n, outOctets: 0n } }),
      cur: snap(10_000, 6, { 1: { inOctets: 1250n, outOctets: 0n } }),
      rebooted: false,
      inBps: 1000,
    },
    {
      name: 'new interface has no rate yet',
      prev: snap(0, 100, {}),
      cur: snap(10_000, 110, { 7: { inOctets: 1n, outOctets: 1n } }),
      rebooted: false,
      inBps: null,
    },
    {
      name: 'switch from 32-bit to HC counters gives no rate',
      prev: snap(0, 100, { 1: { inOctets: 10n, outOctets: 10n, hc: false } }),
      cur: snap(10_000, 110, { 1: { inOctets: 5_000_000_000n, outOctets: 10n } }),
      rebooted: false,
      inBps: null,
    },
    {
      name: 'zero elapsed time gives no rate',
      prev: snap(10_000, 100, { 1: { inOctets: 1n, outOctets: 1n } }),
      cur: snap(10_000, 100, { 1: { inOctets: 2n, outOctets: 2n } }),
      rebooted: false,
      inBps: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = computeRates(c.prev, c.cur);
      expect(r.rebooted).to.equal(c.rebooted);
      const idx = [...c.cur.ifs.keys()][0]!;
      expect(r.rates.get(idx)!.inBps).to.equal(c.inBps);
      if (c.outBps !== undefined) expect(r.rates.get(idx)!.outBps).to.equal(c.outBps);
    });
  }
});
