import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { createEngine } from '../../../alerting/engine/engine.js';
import { noDataAfterMs } from '../../../alerting/engine/no-data.js';
import type { Effect, EngineEvent, NoDataContext } from '../../../alerting/engine/types.js';
import { formatInZone } from '../../../core/time.js';
import { device, engineWorld, icmp, probe } from './support.js';

/*
 * No data (ADR 0406) in the pure engine, on injected time: results stop, ticks go on.
 * Zones: core and desa in "oku", cam in "okut" (the cluster's zones, docs/scale.md).
 */
const T0 = Date.UTC(2026, 10, 30, 7, 0, 0); // 14.00 WIB
const inventory = buildInventory([
  device('core', null, 'fiber', 'core'),
  device('desa', 'core', 'fiber', 'access'),
  device('cam', null, 'cctv', 'camera'),
]);
const ZONES: Record<string, string> = { core: 'oku', desa: 'oku', cam: 'okut' };
const noData: NoDataContext = {
  afterMs: () => noDataAfterMs(10, { intervals: 6, minS: 60 }),
  zoneOf: (id) => ZONES[id] ?? 'default',
  timeText: (ms) => formatInZone(ms, 'WIB', { seconds: false }),
};
const engine = createEngine({
  inventory,
  rules: [],
  degradedAfter: 3,
  flapping: { threshold: 6, windowMs: 600_000, quietMs: 300_000 },
  thresholds: () => ({ downAfter: 3, upAfter: 2 }),
  noData,
});
const tick = (from = T0): EngineEvent => ({ kind: 'tick', noData: { from } });

/** Every device pinged every 10 s from T0 for `ms`, with a tick after each round; returns the world. */
function running(ms: number, ok: (id: string) => boolean = () => true) {
  const w = engineWorld(engine);
  for (let t = T0; t < T0 + ms; t += 10_000) {
    for (const id of ['core', 'desa', 'cam']) w.ping(t, id, ok(id));
    w.at(t + 1, tick());
  }
  return w;
}
const states = (fx: Effect[]) =>
  fx.flatMap((e) =>
    e.kind === 'state' ? [`${e.change.deviceId}:${e.change.to}:${e.change.status.reason ?? ''}`] : [],
  );

describe('alerting/engine: no data (ADR 0406, injected time)', () => {
  it('the threshold is max(6 × interval, 60 s)', () => {
    const cfg = { intervals: 6, minS: 60 };
    expect(noDataAfterMs(2, cfg)).to.equal(60_000);
    expect(noDataAfterMs(10, cfg)).to.equal(60_000);
    expect(noDataAfterMs(60, cfg)).to.equal(360_000);
    expect(noDataAfterMs(300, cfg)).to.equal(1_800_000);
  });

  it('an UP device whose results stop turns UNKNOWN "no data since <last result>" after the threshold, not before', () => {
    const w = running(30_000); // last pings at T0+20 s
    expect(w.eff('desa')).to.equal('UP');
    const last = T0 + 20_000;
    // 60 s after the last result: still UP (the threshold is "longer than").
    w.at(last + 60_000, tick());
    expect(w.eff('desa')).to.equal('UP');
    const fx = w.at(last + 62_000, tick());
    expect(states(fx).sort()).to.deep.equal(['cam:UNKNOWN:no_data', 'core:UNKNOWN:no_data', 'desa:UNKNOWN:no_data']);
    const st = fx.find((e) => e.kind === 'state' && e.change.deviceId === 'desa');
    expect(st?.kind === 'state' && st.change.status).to.deep.include({ state: 'UNKNOWN', noDataSince: last });
    expect(st?.kind === 'state' && st.change.from).to.equal('UP');
  });

  it('a silent device opens no DOWN alert; one warning per zone says how many and since when (WIB)', () => {
    const w = running(30_000);
    w.at(T0 + 90_000, tick());
    expect(w.raised().filter((r) => r.rule === 'device_down')).to.deep.equal([]);
    const zones = w.raised().filter((r) => r.rule === 'no_data');
    expect(zones.map((r) => [r.key, r.severity, r.deviceId, r.params['count'], r.params['since']])).to.deep.equal([
      ['no_data:oku', 'warning', 'pantau', 2, '30/11/2026 14.00 WIB'],
      ['no_data:okut', 'warning', 'pantau', 1, '30/11/2026 14.00 WIB'],
    ]);
    // Ticks go on: no second raise, no update while the count stays.
    const again = w.at(T0 + 100_000, tick());
    expect(again.filter((e) => e.kind === 'raise' || e.kind === 'update')).to.deep.equal([]);
  });

  it('when results arrive again the ordinary machine takes over and the zone alert resolves', () => {
    const w = running(30_000);
    w.at(T0 + 90_000, tick());
    expect(w.eff('desa')).to.equal('UNKNOWN');
    // The okut camera comes back: its zone's alert resolves at the next tick, oku's stays.
    const back = w.ping(T0 + 95_000, 'cam', true);
    expect(states(back)).to.deep.equal(['cam:UP:']);
    w.at(T0 + 96_000, tick());
    expect(w.resolved().map((r) => [r.key, r.reason])).to.deep.equal([['no_data:okut', 'recovered']]);
    // desa answers again but is now failing: DOWN after 3 failures, as always.
    w.ping(T0 + 97_000, 'core', true);
    for (const t of [98_000, 99_000, 100_000]) w.ping(T0 + t, 'desa', false);
    w.ping(T0 + 100_500, 'core', true); // the uplink's fresh answer clears it of blame
    expect(w.eff('desa')).to.equal('DOWN');
    w.at(T0 + 101_000, tick());
    expect(w.resolved().map((r) => r.key)).to.include('no_data:oku');
    expect(
      w
        .raised()
        .filter((r) => r.rule === 'device_down')
        .map((r) => r.deviceId),
    ).to.deep.equal(['desa']);
  });

  it('the zone alert is updated when more of its devices fall silent', () => {
    const w = engineWorld(engine);
    for (let t = T0; t < T0 + 30_000; t += 10_000) for (const id of ['core', 'desa', 'cam']) w.ping(t, id, true);
    // core keeps answering 25 s longer than desa.
    w.ping(T0 + 45_000, 'core', true);
    w.at(T0 + 81_000, tick());
    expect(w.raised().find((r) => r.key === 'no_data:oku')?.params['count']).to.equal(1);
    const fx = w.at(T0 + 106_000, tick());
    const upd = fx.find((e) => e.kind === 'update');
    expect(upd?.kind === 'update' && [upd.key, upd.params['count']]).to.deep.equal(['no_data:oku', 2]);
  });

  it('start grace: silence counts from the watch start, so a device not polled yet is not "no data"', () => {
    const w = engineWorld(engine);
    // Nothing has arrived at all; the engine started at T0.
    w.at(T0 + 30_000, tick());
    w.at(T0 + 60_000, tick());
    expect(w.effects).to.deep.equal([]);
    // A restart an hour later (the shell moves `from`): a machine whose last result is old waits too.
    const old = running(30_000);
    old.at(T0 + 90_000, tick());
    const restart = T0 + 3_600_000;
    old.at(restart + 30_000, tick(restart));
    expect(old.eff('desa')).to.equal('UNKNOWN'); // already silent before the restart: stays so
    const fresh = running(30_000);
    fresh.at(T0 + 40_000, tick());
    expect(fresh.eff('desa')).to.equal('UP');
    fresh.at(T0 + 3_600_000 + 30_000, tick(T0 + 3_600_000));
    expect(fresh.eff('desa')).to.equal('UP');
    // Past the grace, a device never heard of becomes "no data since the watch began" too.
    const fx = w.at(T0 + 61_000, tick());
    expect(states(fx).sort()).to.deep.equal(['cam:UNKNOWN:no_data', 'core:UNKNOWN:no_data', 'desa:UNKNOWN:no_data']);
    const st = fx.find((e) => e.kind === 'state');
    expect(st?.kind === 'state' && st.change.status.noDataSince).to.equal(T0);
  });

  it('a tick without noData (held: the collector stopping, Redis away) changes nothing', () => {
    const w = running(30_000);
    const fx = w.at(T0 + 600_000, { kind: 'tick' });
    expect(fx).to.deep.equal([]);
    expect(w.eff('desa')).to.equal('UP');
  });

  it('a device in a maintenance window stays MAINTENANCE and is not counted', () => {
    const w = running(30_000);
    w.at(T0 + 31_000, {
      kind: 'maintenance',
      windows: [
        {
          id: 'M-1',
          deviceId: 'cam',
          startsAt: T0,
          endsAt: T0 + 3_600_000,
          subtree: false,
          reason: 'ganti kamera',
          createdBy: 'budi',
        },
      ],
    });
    w.at(T0 + 90_000, tick());
    expect(w.eff('cam')).to.equal('MAINTENANCE');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['no_data:oku']);
  });

  it('a DOWN device that falls silent is UNKNOWN; its DOWN alert stays open (nothing says it recovered)', () => {
    const w = running(30_000, (id) => id !== 'desa');
    expect(w.eff('desa')).to.equal('DOWN');
    expect(w.raised().map((r) => r.key)).to.deep.equal(['device_down:desa']);
    w.at(T0 + 90_000, tick());
    expect(w.eff('desa')).to.equal('UNKNOWN');
    expect(w.resolved().map((r) => r.key)).to.deep.equal([]);
    expect(w.state.open.get('device_down:desa')).to.not.equal(undefined);
    // It answers again: UP after upAfter successes, the DOWN alert resolves as recovered.
    w.ping(T0 + 91_000, 'desa', true);
    w.ping(T0 + 92_000, 'desa', true);
    expect(w.eff('desa')).to.equal('UP');
    expect(w.resolved().map((r) => [r.key, r.reason])).to.deep.include(['device_down:desa', 'recovered']);
  });

  it('without the rule (no noData in the context) a silent device keeps its last state, as before', () => {
    const plain = createEngine({
      inventory,
      rules: [],
      degradedAfter: 3,
      flapping: { threshold: 6, windowMs: 600_000, quietMs: 300_000 },
      thresholds: () => ({ downAfter: 3, upAfter: 2 }),
    });
    const w = engineWorld(plain);
    w.at(T0, probe(icmp('desa', T0, 3)));
    w.at(T0 + 3_600_000, tick());
    expect(w.eff('desa')).to.equal('UP');
  });
});
