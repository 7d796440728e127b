import { expect } from 'chai';
import {
  averageRate,
  counter64Buffer,
  dailyFactor,
  DAY_MS,
  octetsBetween,
  wrap32,
} from '../../../simulator/model/traffic.js';

const utc = (h: number, m = 0) => Date.UTC(2026, 10, 28, h, m);

describe('simulator/model/traffic', () => {
  it('the daily pattern averages to 1 over a day and never goes negative', () => {
    let sum = 0;
    let min = Infinity;
    for (let t = 0; t < DAY_MS; t += 60_000) {
      const f = dailyFactor(utc(0) + t);
      sum += f;
      min = Math.min(min, f);
    }
    expect(sum / (DAY_MS / 60_000)).to.be.closeTo(1, 0.001);
    expect(min).to.be.greaterThan(0.2);
  });

  it('peaks in the evening WIB and is quiet before dawn', () => {
    // 20:00 WIB = 13:00 UTC; 04:00 WIB = 21:00 UTC the day before.
    expect(dailyFactor(utc(13))).to.be.greaterThan(1.3);
    expect(dailyFactor(utc(21) - DAY_MS)).to.be.lessThan(0.7);
  });

  it('octets over a window equal the integral of the rate (closed form vs numeric)', () => {
    const base = 100e6;
    const t0 = utc(5, 17);
    const t1 = t0 + 3_600_000;
    let numeric = 0;
    for (let t = t0; t < t1; t += 1000) numeric += (base * dailyFactor(t + 500)) / 8;
    expect(octetsBetween(base, t0, t1) / numeric).to.be.closeTo(1, 1e-4);
    expect(averageRate(base, t0, t1)).to.be.closeTo((octetsBetween(base, t0, t1) * 8) / 3600, 1e-6);
  });

  it('a whole day carries exactly base × 1 day', () => {
    expect(octetsBetween(80e6, utc(3), utc(3) + DAY_MS)).to.be.closeTo((80e6 / 8) * 86_400, 1);
  });

  it('wrap32 folds a 64-bit counter the way ifInOctets wraps', () => {
    const cases: Array<[bigint, number]> = [
      [0n, 0],
      [2n ** 32n - 1n, 4294967295],
      [2n ** 32n, 0],
      [2n ** 32n + 5n, 5],
      [3n * 2n ** 32n + 7n, 7],
    ];
    for (const [v, want] of cases) expect(wrap32(v)).to.equal(want);
  });

  it('encodes Counter64 as minimal unsigned BER content', () => {
    expect(counter64Buffer(0n).toString('hex')).to.equal('00');
    expect(counter64Buffer(255n).toString('hex')).to.equal('00ff');
    expect(counter64Buffer(2n ** 32n).toString('hex')).to.equal('0100000000');
    expect(counter64Buffer(2n ** 64n - 1n).toString('hex')).to.equal('00ffffffffffffffff');
  });
});
