import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseFpingC, statsFromRtts } from '../../../collector/probes/icmp/parse.js';

describe('collector/probes/icmp/parse', () => {
  // Captured from fping 5.1 here: `fping -C 5 -q -p 20 -t 300` inside `unshare -n`, with 127.0.0.7
  // losing every other packet and 127.0.0.9 and 10.0.0.1 silenced by iptables.
  const captured = readFileSync(new URL('../../fixtures/collector/fping-C5-stderr.txt', import.meta.url), 'utf8');

  it('reads min/avg/max, jitter and loss per host from real fping -C output', () => {
    const m = parseFpingC(captured);
    expect([...m.keys()]).to.deep.equal(['127.0.0.1', '127.0.0.7', '127.0.0.9', '10.0.0.1']);
    expect(m.get('127.0.0.1')).to.deep.equal({
      sent: 5,
      received: 5,
      lossPct: 0,
      rttMinMs: 0.047,
      rttAvgMs: 0.091,
      rttMaxMs: 0.26,
      jitterMs: 0.056,
    });
    const lossy = m.get('127.0.0.7')!;
    expect(lossy).to.include({ sent: 5, received: 2, lossPct: 60, rttMinMs: 0.052, rttMaxMs: 0.302 });
    expect(m.get('127.0.0.9')).to.include({ received: 0, lossPct: 100, rttAvgMs: null, jitterMs: null });
    expect(m.get('10.0.0.1')!.lossPct).to.equal(100);
  });

  it('ignores lines that are not per-host summaries', () => {
    const m = parseFpingC(
      'nonexist.invalid: Name or service not known\nICMP Host Unreachable from 10.0.0.1\n127.0.0.1 : 1.5 2.5\n',
    );
    expect([...m.keys()]).to.deep.equal(['127.0.0.1']);
    expect(m.get('127.0.0.1')).to.include({ rttAvgMs: 2, jitterMs: 1 });
  });

  const cases: Array<[string, (number | null)[], { lossPct: number; jitterMs: number | null }]> = [
    ['all answered', [1, 3, 2], { lossPct: 0, jitterMs: 1.5 }],
    ['single reply', [null, 4, null], { lossPct: 66.667, jitterMs: 0 }],
    ['nothing', [null, null], { lossPct: 100, jitterMs: null }],
    ['no packets sent', [], { lossPct: 100, jitterMs: null }],
  ];
  for (const [name, rtts, want] of cases) {
    it(`stats: ${name}`, () => expect(statsFromRtts(rtts)).to.include(want));
  }
});
