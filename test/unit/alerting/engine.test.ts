import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { createEngine } from '../../../alerting/engine/engine.js';
import type { Effect, EngineEvent, EngineState } from '../../../alerting/engine/types.js';
import type { ProbeResult } from '../../../core/types.js';
import { device, icmp, onvif, snmp, trap } from './support.js';

// core → dist → site1 → cam1, site1 → wifi1 ; dist → site2
const inventory = buildInventory([
  device('core', null, 'fiber', 'core'),
  device('dist', 'core', 'fiber', 'distribution'),
  device('site1', 'dist', 'fiber', 'access'),
  device('site2', 'dist', 'fiber', 'ont'),
  device('cam1', 'site1', 'cctv', 'camera'),
  device('wifi1', 'site1', 'wifi', 'ap', { tags: ['publik'] }),
]);

function makeEngine(over: { downAfter?: number; upAfter?: number } = {}) {
  return createEngine({
    inventory,
    rules: [],
    degradedAfter: 2,
    flapping: { threshold: 6, windowMs: 600_000, quietMs: 300_000 },
    thresholds: (d) => ({ downAfter: d.type === 'wifi' ? 5 : (over.downAfter ?? 3), upAfter: over.upAfter ?? 2 }),
  });
}

/** Runs events at the given times; returns final state and all effects. */
function run(events: [number, EngineEvent][], engine = makeEngine(), start?: EngineState) {
  let state = start ?? engine.initialState();
  const effects: Effect[] = [];
  for (const [t, e] of events) {
    const out = engine.step(state, e, t);
    state = out.state;
    effects.push(...out.effects);
  }
  return {
    state,
    effects,
    raised: effects.filter((e) => e.kind === 'raise'),
    resolved: effects.filter((e) => e.kind === 'resolve'),
  };
}

const probe = (r: ProbeResult): EngineEvent => ({ kind: 'probe', result: r });
/** One ICMP result per 10 s for `id` from a pattern: 1 = answered, 0 = lost. */
const series = (id: string, pattern: string, t0 = 0): [number, EngineEvent][] =>
  [...pattern].map((c, i) => [t0 + i * 10_000, probe(icmp(id, t0 + i * 10_000, c === '1' ? 3 : 0))]);

describe('alerting/engine', () => {
  describe('device state from its own ICMP results', () => {
    const cases: { name: string; id: string; pattern: string; state: string; raised: number; resolved: number }[] = [
      {
        name: 'marks DOWN after 3 consecutive losses',
        id: 'site2',
        pattern: '1000',
        state: 'DOWN',
        raised: 1,
        resolved: 0,
      },
      { name: 'stays UP through 2 losses', id: 'site2', pattern: '100100100', state: 'UP', raised: 0, resolved: 0 },
      {
        name: 'stays DOWN after one success (upAfter 2)',
        id: 'site2',
        pattern: '10001',
        state: 'DOWN',
        raised: 1,
        resolved: 0,
      },
      {
        name: 'comes back UP after 2 successes and resolves',
        id: 'site2',
        pattern: '100011',
        state: 'UP',
        raised: 1,
        resolved: 1,
      },
      { name: 'UNKNOWN until the first answer', id: 'site2', pattern: '00', state: 'UNKNOWN', raised: 0, resolved: 0 },
      {
        name: 'per-type override: Wi-Fi needs 5 losses',
        id: 'wifi1',
        pattern: '10000',
        state: 'UP',
        raised: 0,
        resolved: 0,
      },
      {
        name: 'per-type override: Wi-Fi DOWN at the 5th loss',
        id: 'wifi1',
        pattern: '100000',
        state: 'DOWN',
        raised: 1,
        resolved: 0,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        // Keep the ancestors answering so topology does not interfere.
        const parents = inventory.ancestors(c.id).flatMap((a) => series(a.id, '1'.repeat(c.pattern.length)));
        const { state, raised, resolved } = run([...parents, ...series(c.id, c.pattern)].sort((a, b) => a[0] - b[0]));
        expect(state.devices.get(c.id)?.effective).to.equal(c.state);
        expect(raised.length, 'raised').to.equal(c.raised);
        expect(resolved.length, 'resolved').to.equal(c.resolved);
      });
    }
  });

  it('a leaf device DOWN is a warning, a device with children DOWN is critical naming them', () => {
    const { raised } = run([...series('core', '1111'), ...series('dist', '1000')].sort((a, b) => a[0] - b[0]));
    expect(raised).to.have.length(1);
    const r = raised[0] as Extract<Effect, { kind: 'raise' }>;
    expect(r.severity).to.equal('critical');
    expect(r.affected).to.have.members(['site1', 'site2', 'cam1', 'wifi1']);
    expect(r.params).to.include({ count: 4, fiber: 2, cctv: 1, wifi: 1 });
    const leaf = run(
      [
        ...series('core', '1111'),
        ...series('dist', '1111'),
        ...series('site1', '1111'),
        ...series('cam1', '1000'),
      ].sort((a, b) => a[0] - b[0]),
    );
    expect((leaf.raised[0] as Extract<Effect, { kind: 'raise' }>).severity).to.equal('warning');
  });

  it('DEGRADED (not DOWN) when ICMP answers but SNMP fails twice; resolves when SNMP answers', () => {
    const ev: [number, EngineEvent][] = [
      ...series('core', '11111'),
      ...series('dist', '11111'),
      [5_000, probe(snmp('dist', 5_000, false))],
      [15_000, probe(snmp('dist', 15_000, false))],
    ];
    const mid = run(ev.sort((a, b) => a[0] - b[0]));
    expect(mid.state.devices.get('dist')?.effective).to.equal('DEGRADED');
    expect(mid.raised.map((r) => (r as { key: string }).key)).to.deep.equal(['device_degraded:dist']);
    const end = run([[60_000, probe(snmp('dist', 60_000, true))]], makeEngine(), mid.state);
    expect(end.state.devices.get('dist')?.effective).to.equal('UP');
    expect(end.resolved).to.have.length(1);
  });

  it('ONVIF failing on a camera that answers ping is DEGRADED', () => {
    const up = [
      ...series('core', '111'),
      ...series('dist', '111'),
      ...series('site1', '111'),
      ...series('cam1', '111'),
    ];
    const { state } = run(
      [...up, [25_000, probe(onvif('cam1', 25_000, false))], [26_000, probe(onvif('cam1', 26_000, false))]].sort(
        (a, b) => (a[0] as number) - (b[0] as number),
      ) as [number, EngineEvent][],
    );
    expect(state.devices.get('cam1')?.effective).to.equal('DEGRADED');
    expect(state.devices.get('cam1')?.effReason).to.equal('onvif_failing');
  });

  it('a camera with a failing snapshot is DEGRADED for the rules to alert; clock drift alone is not', () => {
    const up = [
      ...series('core', '111'),
      ...series('dist', '111'),
      ...series('site1', '111'),
      ...series('cam1', '111'),
    ];
    const snap = run(
      [
        ...up,
        [25_000, probe(onvif('cam1', 25_000, true, { snapshotOk: false }))],
        [26_000, probe(onvif('cam1', 26_000, true, { snapshotOk: false }))],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)) as [number, EngineEvent][],
    );
    expect(snap.state.devices.get('cam1')?.effReason).to.equal('camera_media_failing');
    expect(snap.raised).to.have.length(0);
    const drift = run(
      [
        ...up,
        [25_000, probe(onvif('cam1', 25_000, true, { driftS: 30 }))],
        [26_000, probe(onvif('cam1', 26_000, true, { driftS: 30 }))],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)) as [number, EngineEvent][],
    );
    expect(drift.state.devices.get('cam1')?.effective).to.equal('UP');
  });

  describe('linkDown trap on the uplink port', () => {
    const base = () =>
      run([...series('core', '11'), ...series('dist', '11'), ...series('site2', '11')].sort((a, b) => a[0] - b[0]));
    it('is confirmed by the next failed probe: DOWN without waiting for 3 losses', () => {
      const { state } = base();
      const out = run(
        [
          [21_000, probe(trap('site2', 21_000, 'linkDown'))],
          [30_000, probe(icmp('site2', 30_000, 0))],
        ],
        makeEngine(),
        state,
      );
      expect(out.state.devices.get('site2')?.effective).to.equal('DOWN');
      expect(out.raised).to.have.length(1);
    });
    it('is cleared by a successful probe (no alert)', () => {
      const out = run(
        [
          [21_000, probe(trap('site2', 21_000, 'linkDown'))],
          [30_000, probe(icmp('site2', 30_000, 3))],
          [40_000, probe(icmp('site2', 40_000, 0))],
        ],
        makeEngine(),
        base().state,
      );
      expect(out.state.devices.get('site2')?.effective).to.equal('UP');
      expect(out.raised).to.have.length(0);
    });
    it('on another port is ignored', () => {
      const out = run(
        [
          [21_000, probe(trap('site2', 21_000, 'linkDown', 7))],
          [30_000, probe(icmp('site2', 30_000, 0))],
        ],
        makeEngine(),
        base().state,
      );
      expect(out.state.devices.get('site2')?.effective).to.equal('UP');
    });
  });

  describe('root cause through the topology', () => {
    // The cut: every device below dist (and dist) stops answering at t=100 s. Children are probed
    // before their parent in each cycle, so they reach 3 losses first: the hard case.
    const cut = (repairAt = Infinity, stayDown: string[] = []) => {
      const ev: [number, EngineEvent][] = [];
      for (let cycle = 0; cycle < 40; cycle++) {
        const t = cycle * 10_000;
        ['cam1', 'wifi1', 'site1', 'site2', 'dist', 'core'].forEach((id, i) => {
          const down = id !== 'core' && t >= 100_000 && (t < repairAt || stayDown.includes(id));
          ev.push([t + i * 500, probe(icmp(id, t + i * 500, down ? 0 : 3))]);
        });
      }
      return run(ev);
    };
    it('a cut gives one alert for the parent; descendants UNREACHABLE with the root cause', () => {
      const { state, raised } = cut();
      expect(raised.map((r) => (r as { key: string }).key)).to.deep.equal(['device_down:dist']);
      for (const id of ['site1', 'site2', 'cam1', 'wifi1']) {
        expect(state.devices.get(id)?.effective, id).to.equal('UNREACHABLE');
        expect(state.devices.get(id)?.rootCauseId, id).to.equal('dist');
      }
    });
    it('the repair resolves the one alert and raises nothing for the children', () => {
      const { raised, resolved, state } = cut(250_000);
      expect(raised).to.have.length(1);
      expect(resolved.map((r) => (r as { key: string }).key)).to.deep.equal(['device_down:dist']);
      expect([...state.devices.values()].every((m) => m.effective === 'UP')).to.equal(true);
    });
    it('a child still down after the parent recovers alerts then (and only it)', () => {
      const { raised, state } = cut(250_000, ['cam1']);
      expect(raised.map((r) => (r as { key: string }).key)).to.deep.equal(['device_down:dist', 'device_down:cam1']);
      expect(state.devices.get('cam1')?.effective).to.equal('DOWN');
    });
    it('every raised alert is resolved once everything is back', () => {
      const first = cut(250_000, ['cam1']);
      const back = run(series('cam1', '111', 400_000), makeEngine(), first.state);
      expect(back.resolved.map((r) => (r as { key: string }).key)).to.deep.equal(['device_down:cam1']);
      expect([...back.state.open.keys()]).to.deep.equal([]);
    });
  });

  describe('flapping', () => {
    it('a device changing every 20 s raises one FLAPPING alert and no DOWN; quiet clears it', () => {
      const ev: [number, EngineEvent][] = [];
      for (let i = 0; i < 60; i++) {
        const t = i * 10_000;
        ev.push([t, probe(icmp('core', t, 3))], [t + 1, probe(icmp('dist', t + 1, 3))]);
        ev.push([t + 2, probe(icmp('site2', t + 2, Math.floor(t / 20_000) % 2 === 0 ? 3 : 0))]);
      }
      const { raised, state } = run(ev);
      expect(raised.map((r) => (r as { key: string }).key)).to.deep.equal(['flapping:site2']);
      expect(state.devices.get('site2')?.effective).to.equal('DEGRADED');
      const quiet = run(
        [...series('site2', '1'.repeat(40), 600_000), [1_000_000, { kind: 'tick' }]],
        makeEngine(),
        state,
      );
      expect(quiet.resolved.map((r) => (r as { key: string }).key)).to.deep.equal(['flapping:site2']);
      expect(quiet.state.devices.get('site2')?.effective).to.equal('UP');
    });
  });

  describe('maintenance', () => {
    const window = {
      id: 'm1',
      deviceId: 'site1',
      subtree: true,
      reason: 'ganti ODP',
      createdBy: 'noc',
      startsAt: 50_000,
      endsAt: 200_000,
    };
    it('a planned outage inside a subtree window shows MAINTENANCE and raises nothing', () => {
      const ev: [number, EngineEvent][] = [
        [0, { kind: 'maintenance', windows: [window] }],
        ...series('core', '1'.repeat(15)),
        ...series('dist', '1'.repeat(15)),
        ...series('site1', '11111111111111'),
        ...series('cam1', '111110000000000'),
      ];
      const { state, raised } = run(ev.sort((a, b) => a[0] - b[0]));
      expect(raised).to.have.length(0);
      expect(state.devices.get('cam1')?.effective).to.equal('MAINTENANCE');
      expect(state.devices.get('site1')?.effective).to.equal('MAINTENANCE');
      // Still down after the window ends: now it alerts.
      const after = run([[200_000, { kind: 'tick' }]], makeEngine(), state);
      expect(after.raised.map((r) => (r as { key: string }).key)).to.deep.equal(['device_down:cam1']);
    });
    it('recurring daily window (WIB) is active only during its minutes', () => {
      // 02:00-03:00 WIB = 19:00-20:00 UTC the day before.
      const day = Date.UTC(2026, 10, 27, 19, 30);
      const w = {
        ...window,
        startsAt: 0,
        endsAt: Date.UTC(2030, 0, 1),
        recurrence: { every: 'day' as const, durationMin: 60, startMinuteWib: 120 },
      };
      const inside = run([
        [day, { kind: 'maintenance', windows: [w] }],
        [day, probe(icmp('site1', day, 3))],
      ]);
      expect(inside.state.devices.get('site1')?.effective).to.equal('MAINTENANCE');
      const outside = run([
        [day + 3_600_000, { kind: 'maintenance', windows: [w] }],
        [day + 3_600_000, probe(icmp('site1', day + 3_600_000, 3))],
      ]);
      expect(outside.state.devices.get('site1')?.effective).to.equal('UP');
    });
  });

  it('pantau.health degraded raises an alert on pantau itself; ok resolves it', () => {
    const h = { component: 'metrics', code: 'PANTAU_SINK_OUTBOX_FULL', message: 'outbox full', at: 0 };
    const { raised, resolved } = run([
      [0, { kind: 'health', health: { ...h, status: 'degraded' } }],
      [1, { kind: 'health', health: { ...h, status: 'degraded' } }],
      [2, { kind: 'health', health: { ...h, status: 'ok' } }],
    ]);
    expect(raised.map((r) => (r as { key: string; deviceId: string }).deviceId)).to.deep.equal(['pantau']);
    expect(resolved).to.have.length(1);
  });

  it('never mutates the input state', () => {
    const engine = makeEngine();
    const s0 = engine.initialState();
    const s1 = engine.step(s0, probe(icmp('core', 0, 3)), 0).state;
    const frozen = JSON.stringify(s1);
    engine.step(s1, probe(icmp('core', 10_000, 0)), 10_000);
    expect(JSON.stringify(s1)).to.equal(frozen);
    expect(s0.devices.size).to.equal(0);
  });
});
