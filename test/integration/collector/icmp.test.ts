import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createFpingEngine, createPingEngine, findBinary } from '../../../collector/probes/icmp/client.js';
import { runIcmpBatch } from '../../../collector/probes/icmp/probe.js';
import { testDevice } from './helpers.js';

// Runs inside `unshare -n` as root (scripts/test-all.sh): iptables rules die with the namespace.
describe('collector/probes/icmp with fping', function () {
  this.timeout(30_000);
  const silenced = '127.3.9.9';
  before(() => {
    execFileSync('iptables', ['-A', 'INPUT', '-d', silenced, '-j', 'DROP']);
  });
  after(() => {
    execFileSync('iptables', ['-D', 'INPUT', '-d', silenced, '-j', 'DROP']);
  });

  it('one fping run sweeps 300 hosts; a DROPped host is a timeout result, not an exception', async () => {
    const fping = await findBinary('fping');
    expect(fping, 'fping must be installed (scripts/install-system-deps.sh)').to.be.a('string');
    const devices = Array.from({ length: 300 }, (_, i) =>
      testDevice(`d${i}`, `127.3.${Math.floor(i / 250)}.${(i % 250) + 1}`, { icmp: { enabled: true } }),
    );
    devices.push(testDevice('silent', silenced, { icmp: { enabled: true } }));
    const started = Date.now();
    const results = await runIcmpBatch(
      createFpingEngine(fping!),
      devices,
      { count: 3, intervalMs: 20, timeoutMs: 300 },
      { signal: AbortSignal.timeout(20_000), now: Date.now },
    );
    expect(results).to.have.length(301);
    const ok = results.filter((r) => r.ok);
    expect(ok).to.have.length(300);
    expect(ok[0]).to.include({ sent: 3, received: 3, lossPct: 0 });
    expect(ok[0]!.rttAvgMs).to.be.a('number').and.lessThan(50);
    expect(results.find((r) => r.deviceId === 'silent')).to.deep.include({
      ok: false,
      lossPct: 100,
      error: { code: 'PANTAU_PROBE_TIMEOUT', message: 'no reply to 3 pings' },
    });
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it('an aborted sweep returns results for every device instead of throwing', async () => {
    const fping = (await findBinary('fping'))!;
    const results = await runIcmpBatch(
      createFpingEngine(fping),
      [testDevice('x', '127.3.0.1', { icmp: { enabled: true } })],
      { count: 3, intervalMs: 20, timeoutMs: 300 },
      { signal: AbortSignal.abort(), now: Date.now },
    );
    expect(results).to.have.length(1);
    expect(results[0]!.ok).to.equal(false);
    expect(results[0]!.error!.code).to.equal('PANTAU_PROBE_TIMEOUT');
  });

  it('the npm ping fallback engine gives the same result shape (system ping from iputils-ping)', async () => {
    expect(await findBinary('ping'), 'ping must be installed (iputils-ping)').to.be.a('string');
    const devices = [
      testDevice('p1', '127.3.0.1', { icmp: { enabled: true } }),
      testDevice('p2', '127.3.0.2', { icmp: { enabled: true } }),
      testDevice('gone', silenced, { icmp: { enabled: true } }),
    ];
    const results = await runIcmpBatch(
      createPingEngine(10),
      devices,
      { count: 2, intervalMs: 200, timeoutMs: 1000 },
      { signal: AbortSignal.timeout(20_000), now: Date.now },
    );
    expect(results.find((r) => r.deviceId === 'p1')).to.include({ ok: true, sent: 2, received: 2, lossPct: 0 });
    expect(results.find((r) => r.deviceId === 'p2')!.rttAvgMs).to.be.a('number');
    expect(results.find((r) => r.deviceId === 'gone')).to.include({ ok: false, received: 0, lossPct: 100 });
  });
});
