import { expect } from 'chai';
import { ROLLUPS, continuousQueries, cqName, durationMs, influxDurationString } from '../../../metrics/retention.js';
import { pickStepS } from '../../../metrics/history.js';

describe('metrics/retention', () => {
  it('builds one 5-minute continuous query per rolled-up measurement, keeping field names', () => {
    const cqs = continuousQueries('pantau');
    expect(cqs.map((c) => c.name)).to.deep.equal(Object.keys(ROLLUPS).map(cqName));
    const icmp = cqs.find((c) => c.name === 'pantau_icmp_5m_v1')!;
    expect(icmp.query).to.equal(
      'CREATE CONTINUOUS QUERY "pantau_icmp_5m_v1" ON "pantau" BEGIN SELECT min("rtt_min_ms") AS "rtt_min_ms", mean("rtt_avg_ms") AS "rtt_avg_ms", ' +
        'max("rtt_max_ms") AS "rtt_max_ms", mean("jitter_ms") AS "jitter_ms", mean("loss_pct") AS "loss_pct", mean("up") AS "up" ' +
        'INTO "pantau"."rollup_5m"."icmp" FROM "pantau"."raw"."icmp" GROUP BY time(5m), * END',
    );
    // No string field is ever aggregated (mean of a string fails the CQ).
    for (const c of cqs) expect(c.query).to.not.match(/"(state|title|text)"/);
  });

  const durations: Array<[string, number, string]> = [
    ['48h', 48 * 3600_000, '48h0m0s'],
    ['30d', 30 * 86400_000, '720h0m0s'],
    ['104w', 104 * 7 * 86400_000, '17472h0m0s'],
  ];
  for (const [d, ms, shown] of durations) {
    it(`reads ${d} as ${shown}`, () => {
      expect(durationMs(d)).to.equal(ms);
      expect(influxDurationString(d)).to.equal(shown);
    });
  }

  const steps: Array<[number, number]> = [
    [3600_000, 30],
    [6 * 3600_000, 120],
    [86400_000, 300],
    [30 * 86400_000, 10800],
    [5 * 60_000, 10],
  ];
  for (const [range, step] of steps) {
    it(`picks a ${step}s step for a ${range / 60_000}-minute range`, () => {
      expect(pickStepS(0, range)).to.equal(step);
    });
  }
});
