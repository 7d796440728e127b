import { expect } from 'chai';
import { compareIds, trimPoint } from '../../../../core/redis/streams.js';
import { decodePayload } from '../../../../core/redis/payloads.js';
import { redisSection, clusterSection } from '../../../../core/config/sections/redis.js';

describe('core/redis/streams', () => {
  it('compares stream ids as (ms, seq) numbers, not strings', () => {
    expect(compareIds('9-0', '10-0')).to.equal(-1);
    expect(compareIds('10-2', '10-10')).to.equal(-1);
    expect(compareIds('10-1', '10-1')).to.equal(0);
    expect(compareIds('11-0', '10-99')).to.equal(1);
  });

  const cases: Array<[string, Parameters<typeof trimPoint>[0], string | null]> = [
    ['no group yet: keep everything', [], null],
    [
      'one group, all acknowledged: after its last delivered entry',
      [{ lastDelivered: '100-3', oldestPending: null }],
      '100-4',
    ],
    ['one group with pending entries: its oldest pending', [{ lastDelivered: '100-3', oldestPending: '90-0' }], '90-0'],
    [
      'the slowest group wins',
      [
        { lastDelivered: '100-3', oldestPending: null },
        { lastDelivered: '50-0', oldestPending: null },
      ],
      '50-1',
    ],
    [
      'a group that read nothing keeps the whole stream',
      [
        { lastDelivered: '0-0', oldestPending: null },
        { lastDelivered: '100-0', oldestPending: null },
      ],
      '0-1',
    ],
  ];
  for (const [name, groups, want] of cases) {
    it(`trim point: ${name}`, () => expect(trimPoint(groups)).to.equal(want));
  }
});

describe('core/redis/payloads', () => {
  const good = {
    kind: 'icmp',
    deviceId: 'fo-001',
    ts: 1,
    durationMs: 2,
    ok: true,
    sent: 3,
    received: 3,
    lossPct: 0,
    rttMinMs: 1,
    rttAvgMs: 1,
    rttMaxMs: 1,
    jitterMs: 0,
  };
  it('accepts a probe result that fits its kind', () => {
    const v = decodePayload('probe.result', JSON.stringify(good));
    expect(v.ok).to.equal(true);
  });
  const bad: Array<[string, string | undefined]> = [
    ['no payload field', undefined],
    ['not JSON', '{oops'],
    ['unknown kind', JSON.stringify({ ...good, kind: 'telnet' })],
    ['missing field', JSON.stringify({ ...good, lossPct: undefined })],
    ['wrong type', JSON.stringify({ ...good, ts: 'yesterday' })],
    ['an array', '[]'],
  ];
  for (const [name, raw] of bad) {
    it(`refuses a probe result entry: ${name}`, () => {
      const v = decodePayload('probe.result', raw);
      expect(v.ok).to.equal(false);
      if (!v.ok) expect(v.reason.length).to.be.greaterThan(5);
    });
  }
  it('refuses a health entry with an unknown status', () => {
    expect(
      decodePayload('pantau.health', JSON.stringify({ component: 'x', status: 'meh', code: 'C', message: '', at: 1 }))
        .ok,
    ).to.equal(false);
  });
});

describe('config: redis and cluster sections', () => {
  it('takes a plain URL and defaults the prefix and bounds', () => {
    const r = redisSection.parse({ url: 'redis://10.0.0.5:6379' });
    expect(r.keyPrefix).to.equal('pantau:');
    expect(r.streamMaxLen).to.equal(200_000);
    expect(r.tls).to.equal(false);
  });
  it('refuses a password inside the URL (it belongs in the secret field)', () => {
    const r = redisSection.safeParse({ url: 'redis://:hunter2@10.0.0.5:6379' });
    expect(r.success).to.equal(false);
    expect(JSON.stringify(r.error?.issues)).to.contain('redis.password');
  });
  it('keeps the password a secret that prints redacted', () => {
    const r = redisSection.parse({ url: 'rediss://redis.example:6380', password: 's3cret' });
    expect(String(r.password)).to.equal('[REDACTED]');
    expect(JSON.stringify(r)).not.to.contain('s3cret');
    expect(r.password?.reveal()).to.equal('s3cret');
  });
  it('refuses a member TTL shorter than two heartbeats', () => {
    expect(clusterSection.safeParse({ heartbeatS: 5, memberTtlS: 6 }).success).to.equal(false);
  });
});
