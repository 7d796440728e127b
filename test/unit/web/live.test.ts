import { expect } from 'chai';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import type { Delta, Snapshot } from '../../../core/realtime.js';
import { LiveState } from '../../../web/src/live.js';

const status = (id: string, state: DeviceStatus['state'], since: number): DeviceStatus => ({
  deviceId: id,
  state,
  since,
});
const alert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id,
  key: `k:${id}`,
  rule: 'device_down',
  deviceId: 'a',
  deviceType: 'fiber',
  kecamatan: 'Lengkiti',
  severity: 'critical',
  status: 'open',
  messageKey: 'device_down',
  params: {},
  title: id,
  affected: [],
  openedAt: 1,
  updatedAt: 1,
  ...over,
});
const snap = (seq: number, over: Partial<Snapshot> = {}): Snapshot => ({
  seq,
  at: 0,
  serverId: 's1',
  user: { id: 1, username: 'op', displayName: 'op', role: 'operator', groups: [] },
  ui: {
    tileUrl: '',
    language: 'id',
    region: {
      name: 'Kabupaten Ogan Komering Ulu',
      shortName: 'OKU',
      timeZone: 'WIB',
      kecamatan: [{ id: '16.01.28', name: 'Lengkiti' }],
    },
  },
  devices: [
    {
      id: 'a',
      name: 'A',
      type: 'fiber',
      role: 'core',
      kecamatan: 'Lengkiti',
      lat: -4,
      lon: 104,
      address: '127.20.0.1',
      parent: null,
      vendor: 'generic',
    },
    {
      id: 'b',
      name: 'B',
      type: 'fiber',
      role: 'access',
      kecamatan: 'Lengkiti',
      lat: -4,
      lon: 104,
      address: '127.20.0.2',
      parent: 'a',
      vendor: 'generic',
    },
  ],
  statuses: [status('a', 'UP', 1), status('b', 'UP', 1)],
  alerts: [],
  latest: [],
  ...over,
});

describe('web/live', () => {
  it('ignores deltas before the first snapshot and those at or below its seq', () => {
    const s = new LiveState();
    expect(s.applyDeltas([{ seq: 1, kind: 'status', status: status('a', 'DOWN', 2) }]).devices.size).to.equal(0);
    s.applySnapshot(snap(10));
    const r = s.applyDeltas([
      { seq: 9, kind: 'status', status: status('a', 'DOWN', 2) },
      { seq: 10, kind: 'alert', alert: alert('x') },
    ]);
    expect(r.devices.size).to.equal(0);
    expect(s.alerts.size).to.equal(0);
    expect(s.stateOf('a')).to.equal('UP');
  });

  it('applies ordered deltas and reports new criticals once', () => {
    const s = new LiveState();
    s.applySnapshot(snap(10));
    const batch: Delta[] = [
      { seq: 11, kind: 'status', status: status('a', 'DOWN', 5) },
      { seq: 12, kind: 'status', status: status('b', 'UNREACHABLE', 5) },
      { seq: 13, kind: 'alert', alert: alert('x', { updatedAt: 5 }) },
    ];
    const r = s.applyDeltas(batch);
    expect([...r.devices]).to.deep.equal(['a', 'b']);
    expect(r.newCritical.map((a) => a.id)).to.deep.equal(['x']);
    expect(r.gap).to.equal(false);
    // the same batch again (a duplicate delivery) changes nothing and alarms nobody
    const again = s.applyDeltas(batch);
    expect(again.newCritical).to.have.length(0);
    expect(again.alerts).to.have.length(0);
    expect(s.seq).to.equal(13);
  });

  it('flags a gap so the page asks for a resync', () => {
    const s = new LiveState();
    s.applySnapshot(snap(10));
    expect(s.applyDeltas([{ seq: 12, kind: 'metrics', samples: [] }]).gap).to.equal(true);
  });

  it('never lets an older alert or status overwrite a newer one', () => {
    const s = new LiveState();
    s.applySnapshot(
      snap(10, {
        alerts: [alert('x', { status: 'acknowledged', updatedAt: 9 })],
        statuses: [status('a', 'DOWN', 9), status('b', 'UP', 1)],
      }),
    );
    s.applyDeltas([
      { seq: 11, kind: 'alert', alert: alert('x', { status: 'open', updatedAt: 5 }) },
      { seq: 12, kind: 'status', status: status('a', 'UP', 3) },
    ]);
    expect(s.alerts.get('x')?.status).to.equal('acknowledged');
    expect(s.stateOf('a')).to.equal('DOWN');
  });

  it('a reconnect snapshot replaces everything and alarms only for criticals opened meanwhile', () => {
    const s = new LiveState();
    s.applySnapshot(snap(10, { alerts: [alert('old')] }));
    const r = s.applySnapshot(
      snap(3, {
        serverId: 's2',
        alerts: [alert('old'), alert('new'), alert('warn', { severity: 'warning' })],
        statuses: [status('a', 'DOWN', 20), status('b', 'UP', 1)],
      }),
    );
    expect(s.seq).to.equal(3); // a restarted server counts from its own seq
    expect(r.newCritical.map((a) => a.id)).to.deep.equal(['new']);
    expect([...r.devices]).to.deep.equal(['a']);
    expect(s.alerts.size).to.equal(3);
  });

  it('sorts active alerts: critical first, open before acknowledged, newest first; resolved hidden', () => {
    const s = new LiveState();
    s.applySnapshot(
      snap(1, {
        alerts: [
          alert('w', { severity: 'warning', openedAt: 50 }),
          alert('c-old', { openedAt: 10 }),
          alert('c-new', { openedAt: 40 }),
          alert('c-ack', { openedAt: 60, status: 'acknowledged' }),
          alert('gone', { status: 'resolved' }),
        ],
      }),
    );
    expect(s.activeAlerts().map((a) => a.id)).to.deep.equal(['c-new', 'c-old', 'c-ack', 'w']);
  });

  it('indexes children for the drawer', () => {
    const s = new LiveState();
    s.applySnapshot(snap(1));
    expect(s.children.get('a')).to.deep.equal(['b']);
  });
});

describe('web/live inventory reload (devices delta)', () => {
  const c = {
    id: 'c',
    name: 'C',
    type: 'wifi' as const,
    role: 'ap',
    kecamatan: 'Lengkiti' as const,
    lat: -4.1,
    lon: 104.1,
    address: '127.22.0.1',
    parent: 'a',
    vendor: 'generic',
  };

  it('adds and removes devices in seq order; removed ones lose status and latest values, their alerts stay', () => {
    const s = new LiveState();
    const base = snap(10, {
      latest: [{ deviceId: 'b', ts: 1, name: 'rtt_avg_ms', value: 3 }],
      alerts: [alert('x', { deviceId: 'b', status: 'resolved' })],
    });
    s.applySnapshot(base);
    const [a] = base.devices;
    const r = s.applyDeltas([
      { seq: 11, kind: 'devices', devices: [a!, c] },
      { seq: 12, kind: 'status', status: status('c', 'UP', 7) },
    ]);
    expect(r.inventory).to.equal(true);
    expect(r.gap).to.equal(false);
    expect([...s.devices.keys()]).to.deep.equal(['a', 'c']);
    expect(s.children.get('a')).to.deep.equal(['c']);
    expect(s.statuses.has('b')).to.equal(false);
    expect([...s.latest.values()].some((m) => m.deviceId === 'b')).to.equal(false);
    expect(s.stateOf('c')).to.equal('UP');
    expect(r.devices.has('b') && r.devices.has('c')).to.equal(true);
    expect(s.alerts.has('x')).to.equal(true);
    // a duplicate delivery is ignored by seq; a re-sent identical list is no change
    expect(s.applyDeltas([{ seq: 11, kind: 'devices', devices: [a!] }]).inventory).to.equal(false);
    expect(s.devices.size).to.equal(2);
    expect(s.applyDeltas([{ seq: 13, kind: 'devices', devices: [a!, c] }]).inventory).to.equal(false);
  });

  it('a devices delta after a skipped seq still applies and flags the gap', () => {
    const s = new LiveState();
    s.applySnapshot(snap(10));
    const r = s.applyDeltas([{ seq: 12, kind: 'devices', devices: [c] }]);
    expect(r.gap).to.equal(true);
    expect([...s.devices.keys()]).to.deep.equal(['c']);
  });

  it('a snapshot with another device list (reconnect after a reload) reports the change; the same list does not', () => {
    const s = new LiveState();
    expect(s.applySnapshot(snap(10)).inventory).to.equal(true);
    expect(s.applySnapshot(snap(11)).inventory).to.equal(false);
    const moved = snap(12);
    moved.devices = [moved.devices[0]!, { ...moved.devices[1]!, lat: -4.5 }];
    expect(s.applySnapshot(moved).inventory).to.equal(true);
    expect(s.devices.get('b')!.lat).to.equal(-4.5);
    const r = s.applySnapshot(snap(13, { devices: [snap(0).devices[0]!], statuses: [status('a', 'UP', 1)] }));
    expect(r.inventory).to.equal(true);
    expect(r.devices.has('b')).to.equal(true);
    expect(s.devices.has('b')).to.equal(false);
  });
});

describe('web/live descendantCount', () => {
  it('counts every device below, at any depth, and survives a cycle', () => {
    const live = new LiveState();
    const dev = (id: string, parent: string | null) => ({
      id,
      name: id,
      type: 'fiber' as const,
      role: 'access',
      kecamatan: 'Lengkiti' as const,
      lat: 0,
      lon: 0,
      address: '',
      parent,
      vendor: '',
    });
    live.applySnapshot({
      seq: 0,
      at: 0,
      serverId: 's',
      user: { id: 1, username: 'u', displayName: 'u', role: 'operator', groups: [] },
      ui: {
        tileUrl: '',
        language: 'id',
        region: {
          name: 'Kabupaten Ogan Komering Ulu',
          shortName: 'OKU',
          timeZone: 'WIB',
          kecamatan: [{ id: '16.01.28', name: 'Lengkiti' }],
        },
      },
      devices: [dev('a', null), dev('b', 'a'), dev('c', 'b'), dev('d', 'b'), dev('x', 'y'), dev('y', 'x')],
      statuses: [],
      alerts: [],
      latest: [],
    });
    expect(live.descendantCount('a')).to.equal(3);
    expect(live.descendantCount('b')).to.equal(2);
    expect(live.descendantCount('c')).to.equal(0);
    expect(live.descendantCount('x')).to.equal(2);
  });
});

describe('web/live applySamples', () => {
  it('keeps the newest value per metric, ignores older ones and unknown devices', () => {
    const live = new LiveState();
    live.applySnapshot(snap(1));
    expect(live.applySamples([{ deviceId: 'a', ts: 5, name: 'rtt_avg_ms', value: 1 }]).length).to.equal(1);
    expect(
      live.applySamples([
        { deviceId: 'a', ts: 4, name: 'rtt_avg_ms', value: 9 },
        { deviceId: 'zz', ts: 9, name: 'rtt_avg_ms', value: 9 },
      ]),
    ).to.deep.equal([]);
    expect([...live.latest.values()].map((m) => m.value)).to.deep.equal([1]);
  });
});
