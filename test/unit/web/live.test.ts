import { expect } from 'chai';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import type { Delta, Snapshot } from '../../../server/realtime/events.js';
import { LiveState } from '../../../web/src/live.js';

const status = (id: string, state: DeviceStatus['state'], since: number): DeviceStatus => ({ deviceId: id, state, since });
const alert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id, key: `k:${id}`, rule: 'device_down', deviceId: 'a', deviceType: 'fiber', kecamatan: 'Lengkiti', severity: 'critical', status: 'open',
  messageKey: 'device_down', params: {}, title: id, affected: [], openedAt: 1, updatedAt: 1, ...over,
});
const snap = (seq: number, over: Partial<Snapshot> = {}): Snapshot => ({
  seq, at: 0, serverId: 's1', user: { id: 1, username: 'op', displayName: 'op', role: 'operator', groups: [] }, ui: { tileUrl: '', language: 'id' },
  devices: [
    { id: 'a', name: 'A', type: 'fiber', role: 'core', kecamatan: 'Lengkiti', lat: -4, lon: 104, address: '127.20.0.1', parent: null, vendor: 'generic' },
    { id: 'b', name: 'B', type: 'fiber', role: 'access', kecamatan: 'Lengkiti', lat: -4, lon: 104, address: '127.20.0.2', parent: 'a', vendor: 'generic' },
  ],
  statuses: [status('a', 'UP', 1), status('b', 'UP', 1)], alerts: [], latest: [], ...over,
});

describe('web/live', () => {
  it('ignores deltas before the first snapshot and those at or below its seq', () => {
    const s = new LiveState();
    expect(s.applyDeltas([{ seq: 1, kind: 'status', status: status('a', 'DOWN', 2) }]).devices.size).to.equal(0);
    s.applySnapshot(snap(10));
    const r = s.applyDeltas([{ seq: 9, kind: 'status', status: status('a', 'DOWN', 2) }, { seq: 10, kind: 'alert', alert: alert('x') }]);
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
    s.applySnapshot(snap(10, { alerts: [alert('x', { status: 'acknowledged', updatedAt: 9 })], statuses: [status('a', 'DOWN', 9), status('b', 'UP', 1)] }));
    s.applyDeltas([{ seq: 11, kind: 'alert', alert: alert('x', { status: 'open', updatedAt: 5 }) }, { seq: 12, kind: 'status', status: status('a', 'UP', 3) }]);
    expect(s.alerts.get('x')?.status).to.equal('acknowledged');
    expect(s.stateOf('a')).to.equal('DOWN');
  });

  it('a reconnect snapshot replaces everything and alarms only for criticals opened meanwhile', () => {
    const s = new LiveState();
    s.applySnapshot(snap(10, { alerts: [alert('old')] }));
    const r = s.applySnapshot(snap(3, { serverId: 's2', alerts: [alert('old'), alert('new'), alert('warn', { severity: 'warning' })], statuses: [status('a', 'DOWN', 20), status('b', 'UP', 1)] }));
    expect(s.seq).to.equal(3); // a restarted server counts from its own seq
    expect(r.newCritical.map((a) => a.id)).to.deep.equal(['new']);
    expect([...r.devices]).to.deep.equal(['a']);
    expect(s.alerts.size).to.equal(3);
  });

  it('sorts active alerts: critical first, open before acknowledged, newest first; resolved hidden', () => {
    const s = new LiveState();
    s.applySnapshot(snap(1, { alerts: [
      alert('w', { severity: 'warning', openedAt: 50 }), alert('c-old', { openedAt: 10 }), alert('c-new', { openedAt: 40 }),
      alert('c-ack', { openedAt: 60, status: 'acknowledged' }), alert('gone', { status: 'resolved' }),
    ] }));
    expect(s.activeAlerts().map((a) => a.id)).to.deep.equal(['c-new', 'c-old', 'c-ack', 'w']);
  });

  it('indexes children for the drawer', () => {
    const s = new LiveState();
    s.applySnapshot(snap(1));
    expect(s.children.get('a')).to.deep.equal(['b']);
  });
});
