import { expect } from 'chai';
import {
  createLoginThrottle,
  delayAfter,
  DEFAULT_THROTTLE_POLICY,
  type ThrottleDecision,
  type ThrottlePolicy,
} from '../../../server/auth/login-throttle.js';

const P: ThrottlePolicy = {
  userFreeFailures: 3,
  addressFreeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  forgetAfterMs: 60_000,
  maxKeys: 100,
};

type Step =
  | { at: number; fail: [string, string] }
  | { at: number; ok: string }
  | { at: number; check: [string, string]; expect: ThrottleDecision };

describe('login throttle (pure)', () => {
  describe('delayAfter', () => {
    const rows: Array<[number, number, number]> = [
      // failure n, free, delay ms
      [1, 3, 0],
      [3, 3, 0],
      [4, 3, 1000],
      [5, 3, 2000],
      [6, 3, 4000],
      [7, 3, 8000],
      [8, 3, 8000],
      [500, 3, 8000],
    ];
    for (const [n, free, ms] of rows) {
      it(`failure ${n} with ${free} free → ${ms} ms`, () => {
        expect(delayAfter(n, free, P)).to.equal(ms);
      });
    }
  });

  const cases: Array<{ name: string; steps: Step[] }> = [
    {
      name: 'free failures do not block',
      steps: [
        { at: 0, fail: ['a', 'X'] },
        { at: 1, fail: ['a', 'X'] },
        { at: 2, fail: ['a', 'X'] },
        { at: 3, check: ['a', 'X'], expect: { allowed: true } },
      ],
    },
    {
      name: 'the failure past the free ones blocks the username for base, then doubling',
      steps: [
        { at: 0, fail: ['a', 'X'] },
        { at: 0, fail: ['a', 'X'] },
        { at: 0, fail: ['a', 'X'] },
        { at: 0, fail: ['a', 'X'] },
        { at: 0, check: ['a', 'X'], expect: { allowed: false, scope: 'username', retryAfterMs: 1000 } },
        { at: 400, check: ['a', 'Y'], expect: { allowed: false, scope: 'username', retryAfterMs: 600 } },
        { at: 1000, check: ['a', 'X'], expect: { allowed: true } },
        { at: 1000, fail: ['a', 'X'] },
        { at: 1000, check: ['a', 'X'], expect: { allowed: false, scope: 'username', retryAfterMs: 2000 } },
      ],
    },
    {
      name: 'username matching ignores case',
      steps: [
        { at: 0, fail: ['Admin', 'X'] },
        { at: 0, fail: ['ADMIN', 'Y'] },
        { at: 0, fail: ['admin', 'Z'] },
        { at: 0, fail: ['aDmin', 'W'] },
        { at: 0, check: ['admin', 'V'], expect: { allowed: false, scope: 'username', retryAfterMs: 1000 } },
      ],
    },
    {
      name: 'an address guessing at many names: a clean user from that address is still checked',
      steps: [
        ...['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'].map((n) => ({ at: 0, fail: [n, 'X'] as [string, string] })),
        // address has 7 failures > 5 free: blocked 2 s (6th: 1 s, 7th: 2 s), but "b" has none of its own
        { at: 10, check: ['b', 'X'], expect: { allowed: true } },
        // a name with a failure of its own is held by the address block
        { at: 10, check: ['n1', 'X'], expect: { allowed: false, scope: 'address', retryAfterMs: 1990 } },
        // the same name from another address is not
        { at: 10, check: ['n1', 'Y'], expect: { allowed: true } },
      ],
    },
    {
      name: 'a correct password clears the username but not the address',
      steps: [
        ...[1, 2, 3, 4, 5, 6].map(() => ({ at: 0, fail: ['a', 'X'] as [string, string] })),
        { at: 9000, ok: 'a' },
        { at: 9000, check: ['a', 'X'], expect: { allowed: true } },
        { at: 9000, fail: ['a', 'X'] },
        // a's own count restarted (1, free) but the address (7 failures: 2 s) still blocks a failing name
        { at: 9000, check: ['a', 'X'], expect: { allowed: false, scope: 'address', retryAfterMs: 2000 } },
      ],
    },
    {
      name: 'failures are forgotten after forgetAfterMs of quiet',
      steps: [
        ...[1, 2, 3, 4].map(() => ({ at: 0, fail: ['a', 'X'] as [string, string] })),
        { at: 61_000, fail: ['a', 'X'] },
        { at: 61_000, check: ['a', 'X'], expect: { allowed: true } },
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const t = createLoginThrottle(P);
      for (const s of c.steps) {
        if ('fail' in s) t.recordFailure(s.at, s.fail[0], s.fail[1]);
        else if ('ok' in s) t.recordSuccess(s.ok);
        else
          expect(t.check(s.at, s.check[0], s.check[1]), `${c.name} @${s.at} ${s.check.join('/')}`).to.deep.equal(
            s.expect,
          );
      }
    });
  }

  it('keeps at most maxKeys keys, dropping the oldest failure first', () => {
    const t = createLoginThrottle({ ...P, maxKeys: 10 });
    for (let i = 0; i < 100; i++) t.recordFailure(i, `user${i}`, 'X');
    expect(t.size()).to.equal(10);
  });

  it('shipped defaults: the address allows more free failures than a username', () => {
    expect(DEFAULT_THROTTLE_POLICY.addressFreeFailures).to.be.greaterThan(DEFAULT_THROTTLE_POLICY.userFreeFailures);
  });
});
