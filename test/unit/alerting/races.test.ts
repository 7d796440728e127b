import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { UPSTREAM_VERIFY_MS } from '../../../alerting/engine/topology.js';
import type { Effect } from '../../../alerting/engine/types.js';
import type { OnvifResult } from '../../../core/types.js';
import { createRenderer } from '../../../alerting/i18n.js';
import { device, engineWorld, icmp, onvif, probe, snmp, testEngine } from './support.js';

// core → dist → site → { wifi, cam }
const inventory = buildInventory([
  device('core', null, 'fiber', 'core'),
  device('dist', 'core', 'fiber', 'distribution'),
  device('site', 'dist', 'fiber', 'access'),
  device('wifi', 'site', 'wifi', 'ap'),
  device('cam', 'site', 'cctv', 'camera'),
]);
const ALL = ['core', 'dist', 'site', 'wifi', 'cam'];

const engine = testEngine(inventory, { degradedAfter: 2 });
const world = () => engineWorld(engine);

/** Everything answers at t = 0 and 1 s. */
function healthy() {
  const w = world();
  for (const t of [0, 1000]) for (const id of ALL) w.ping(t, id, true);
  return w;
}

describe('alerting/engine: root cause under races (injected time)', () => {
  it('a child whose ping success predates its parent\'s failure gets no "ping fine but SNMP silent" alert', () => {
    const w = healthy();
    // The fiber to `site` is cut at 5 s. The child's last ping success (1 s) is older than the
    // parent's first failure (6 s); its SNMP fails twice before the parent is confirmed DOWN.
    w.ping(6000, 'site', false);
    w.at(6500, probe(snmp('wifi', 6500, false)));
    w.at(7000, probe(snmp('wifi', 7000, false)));
    expect(w.state.devices.get('wifi')?.observed).to.equal('DEGRADED');
    expect(w.raised().map((r) => r.key)).to.deep.equal([]);
    w.ping(6200, 'core', true);
    w.ping(6200, 'dist', true); // re-probed upstream answers
    w.ping(8000, 'site', false);
    w.ping(9000, 'site', false);
    expect(w.eff('site')).to.equal('DOWN');
    // Stale evidence below a DOWN parent: UNREACHABLE at once, and one alert for the cut.
    expect(w.eff('wifi')).to.equal('UNREACHABLE');
    expect(w.eff('cam')).to.equal('UNREACHABLE');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:site']);
  });

  it('a child that answers after its parent failed keeps its own state (evidence is fresh)', () => {
    const w = healthy();
    for (const t of [6000, 7000, 8000]) w.ping(t, 'site', false);
    w.ping(8100, 'core', true);
    w.ping(8100, 'dist', true);
    expect(w.eff('site')).to.equal('DOWN');
    w.ping(8500, 'wifi', true);
    expect(w.eff('wifi')).to.equal('UP');
  });

  it("an alert raised on a child that then turns out to be below a DOWN parent is folded into the parent's", () => {
    const w = healthy();
    // The child fails first; its parent answered at 4.5 s (after the child's failure began at 4 s): no reason to wait.
    w.ping(4000, 'wifi', false);
    w.ping(4500, 'site', true);
    w.ping(4500, 'dist', true);
    w.ping(4500, 'core', true);
    w.ping(5000, 'wifi', false);
    w.ping(6000, 'wifi', false);
    expect(w.eff('wifi')).to.equal('DOWN');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:wifi']);
    // Then the parent goes: the child's alert is resolved as folded into the parent's, no second story.
    for (const t of [7000, 8000, 9000]) w.ping(t, 'site', false);
    w.ping(9100, 'core', true);
    w.ping(9100, 'dist', true);
    expect(w.eff('site')).to.equal('DOWN');
    expect(w.eff('wifi')).to.equal('UNREACHABLE');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:wifi', 'device_down:site']);
    const folded = w.resolved().find((r) => r.key === 'device_down:wifi')!;
    expect(folded).to.deep.include({ reason: 'folded', into: 'device_down:site', at: 9000 });
    // The folded alert does not come back while the parent stays DOWN.
    w.ping(10_000, 'wifi', false);
    w.at(12_000, { kind: 'tick' });
    expect(w.raised()).to.have.length(2);
  });

  it('a DOWN child waits for ancestors whose last result predates its failure, then alerts on its own', () => {
    const w = healthy();
    for (const t of [5000, 6000, 7000]) w.ping(t, 'wifi', false);
    // Observed DOWN, but `site`, `dist` and `core` last answered at 1 s, before the failure (5 s).
    expect(w.state.devices.get('wifi')?.observed).to.equal('DOWN');
    expect(w.eff('wifi')).to.equal('UNREACHABLE');
    expect(w.state.devices.get('wifi')?.effReason).to.equal('upstream_unverified');
    expect(w.raised()).to.have.length(0);
    // The re-probed ancestors answer: now the child is the root cause.
    w.ping(7200, 'core', true);
    w.ping(7300, 'dist', true);
    expect(w.raised()).to.have.length(0);
    w.ping(7400, 'site', true);
    expect(w.eff('wifi')).to.equal('DOWN');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:wifi']);
  });

  it('the wait for upstream evidence is bounded: with no fresh ancestor result the child alerts after the window', () => {
    const w = healthy();
    for (const t of [5000, 6000, 7000]) w.ping(t, 'wifi', false);
    w.at(5000 + UPSTREAM_VERIFY_MS - 1, { kind: 'tick' });
    expect(w.raised()).to.have.length(0);
    w.at(5000 + UPSTREAM_VERIFY_MS, { kind: 'tick' });
    expect(w.eff('wifi')).to.equal('DOWN');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:wifi']);
  });
});

describe('alerting/engine: the reason of a probe failure reaches the pushed state before any alert', () => {
  const authFail = (t: number): OnvifResult => ({
    ...onvif('cam', t, true),
    ok: false,
    authenticated: false,
    error: { code: 'PANTAU_PROBE_AUTH', message: '401' },
  });

  it('the first failed ONVIF login is pushed as probeError (state still UP, no alert); success clears it', () => {
    const w = healthy();
    const fx = w.at(5000, probe(authFail(5000)));
    const pushed = fx.filter((e) => e.kind === 'state').map((e) => (e as Extract<Effect, { kind: 'state' }>).change);
    expect(pushed).to.have.length(1);
    expect(pushed[0]).to.deep.include({ from: 'UP', to: 'UP' });
    expect(pushed[0]!.status.probeError).to.deep.equal({ kind: 'onvif', code: 'PANTAU_PROBE_AUTH', since: 5000 });
    expect(w.raised()).to.have.length(0);
    // The second failure makes it DEGRADED; the reason still dates from the first.
    const second = w
      .at(6000, probe(authFail(6000)))
      .filter((e) => e.kind === 'state')
      .map((e) => (e as Extract<Effect, { kind: 'state' }>).change);
    expect(second.map((c) => [c.from, c.to])).to.deep.equal([['UP', 'DEGRADED']]);
    expect(second[0]!.status.probeError).to.deep.equal({ kind: 'onvif', code: 'PANTAU_PROBE_AUTH', since: 5000 });
    const back = w.at(7000, probe(onvif('cam', 7000, true)));
    const cleared = back.filter((e) => e.kind === 'state').map((e) => (e as Extract<Effect, { kind: 'state' }>).change);
    expect(cleared.map((c) => [c.from, c.to])).to.deep.equal([['DEGRADED', 'UP']]);
    expect(cleared[0]!.status.probeError).to.equal(undefined);
  });

  it('a snapshot failure is pushed with its code at the first failed check', () => {
    const w = healthy();
    const fx = w.at(5000, probe(onvif('cam', 5000, true, { snapshotOk: false })));
    const st = fx.find((e) => e.kind === 'state') as Extract<Effect, { kind: 'state' }>;
    expect(st.change.status.probeError).to.deep.equal({ kind: 'onvif', code: 'PANTAU_PROBE_SNAPSHOT', since: 5000 });
  });

  it('wrong ONVIF credentials alert as a rejected login, not "ONVIF tidak menjawab"', () => {
    const w = healthy();
    w.at(5000, probe(authFail(5000)));
    w.at(6000, probe(authFail(6000)));
    const r = w.raised();
    expect(r.map((x) => x.key)).to.deep.equal(['device_degraded:cam']);
    const renderer = createRenderer([]);
    const id = renderer.title(r[0]!.messageKey, r[0]!.params, 'id');
    expect(id).to.equal(
      'Perangkat cam terganggu: ping normal tetapi ONVIF login ditolak: nama pengguna, kata sandi atau community salah',
    );
    expect(id).not.to.match(/tidak menjawab/);
    expect(renderer.title(r[0]!.messageKey, r[0]!.params, 'en')).to.match(/ONVIF login rejected/);
  });
});

describe('alerting/engine: a linkDown trap on the uplink alerts at once', () => {
  it("raises the uplink rule's alert from the trap (no poll needed); the linkUp trap resolves it", async () => {
    const { loadRules } = await import('../../../alerting/rules/load.js');
    const { trap } = await import('./support.js');
    const withRules = testEngine(inventory, { degradedAfter: 2, rules: loadRules() });
    let state = withRules.initialState();
    for (const t of [0, 1000]) for (const id of ALL) state = withRules.step(state, probe(icmp(id, t, 3)), t).state;
    const down = withRules.step(state, probe(trap('site', 5000, 'linkDown', 1)), 5000);
    expect(down.effects.filter((e) => e.kind === 'raise').map((e) => (e as { key: string }).key)).to.deep.equal([
      'rule:uplink_down:site',
    ]);
    // A trap on another port is not the uplink: nothing.
    expect(
      withRules.step(state, probe(trap('site', 5000, 'linkDown', 7)), 5000).effects.filter((e) => e.kind === 'raise'),
    ).to.have.length(0);
    const up = withRules.step(down.state, probe(trap('site', 9000, 'linkUp', 1)), 9000);
    expect(up.effects.filter((e) => e.kind === 'resolve').map((e) => (e as { key: string }).key)).to.deep.equal([
      'rule:uplink_down:site',
    ]);
  });
});
