import { expect } from 'chai';
import { decodeFeedEntry, nextStep, type FeedEntry } from '../../../cluster/realtime-wire.js';
import { clusterView, FORGET_MISSING_MS } from '../../../cluster/health-view.js';
import type { Member } from '../../../cluster/assign.js';

const status = (seq: number, epoch = 'e1'): FeedEntry => ({
  epoch,
  delta: { seq, kind: 'status', status: { deviceId: 'd1', state: 'UP', since: 1 } },
});

describe("cluster/realtime-wire: what a web server does with the core's next delta", () => {
  it('applies the next seq, skips what its snapshot already has, resyncs on a gap or a new core epoch', () => {
    expect(nextStep({ epoch: 'e1', seq: 10 }, status(11))).to.equal('apply');
    expect(nextStep({ epoch: 'e1', seq: 10 }, status(10))).to.equal('skip');
    expect(nextStep({ epoch: 'e1', seq: 10 }, status(3))).to.equal('skip');
    expect(nextStep({ epoch: 'e1', seq: 10 }, status(13))).to.equal('resync');
    // The core restarted: its seq starts again, lower than ours, under a new epoch.
    expect(nextStep({ epoch: 'e1', seq: 10 }, status(1, 'e2'))).to.equal('resync');
    expect(nextStep(null, status(1))).to.equal('resync');
  });

  it('decodes a feed entry and refuses anything else', () => {
    const ok = status(5);
    expect(decodeFeedEntry(JSON.stringify(ok))).to.deep.equal(ok);
    const alert = { epoch: 'e', delta: { seq: 2, kind: 'alert', alert: { id: 'A-1' } }, groups: ['noc'] };
    expect(decodeFeedEntry(JSON.stringify(alert))?.groups).to.deep.equal(['noc']);
    for (const bad of [
      undefined,
      '',
      'not json',
      '{"epoch":"e"}',
      JSON.stringify({ epoch: 'e', delta: { seq: 0, kind: 'status', status: {} } }),
      JSON.stringify({ epoch: 'e', delta: { seq: 1, kind: 'status' } }),
      JSON.stringify({ epoch: 'e', delta: { seq: 1, kind: 'alert', alert: null } }),
      JSON.stringify({ epoch: 'e', delta: { seq: 1.5, kind: 'status', status: {} } }),
      JSON.stringify({ epoch: 'e', delta: { seq: 1, kind: 'devices', devices: [] } }),
    ]) {
      expect(decodeFeedEntry(bad), String(bad)).to.equal(null);
    }
  });
});

describe("cluster/health-view: the NOC header's cluster warning", () => {
  const m = (name: string, role: Member['role'], zones: string[] = []): Member => ({
    name,
    role,
    zones,
    activeFrom: 0,
    startedAt: 0,
    at: 1000,
  });
  const zones = new Map([
    ['d1', 'z1'],
    ['d2', 'z1'],
    ['d3', 'z2'],
  ]);
  const now = 10_000_000;

  it('nothing to warn about when every zone has a collector and a core runs', () => {
    expect(
      clusterView(
        [m('core', 'core'), m('c1', 'collector', ['z1']), m('c2', 'collector', ['z2'])],
        zones,
        new Map([
          ['c1', now],
          ['c2', now],
        ]),
        now,
      ),
    ).to.deep.equal({ missingCollectors: [], zonesWithoutCollector: [], core: true });
  });

  it('a collector seen before and gone now is missing; its zone without another collector is named with its device count', () => {
    const v = clusterView(
      [m('core', 'core'), m('c1', 'collector', ['z1'])],
      zones,
      new Map([
        ['c1', now],
        ['c2', now - 20_000],
      ]),
      now,
    );
    expect(v.missingCollectors).to.deep.equal([{ name: 'c2', lastSeen: now - 20_000 }]);
    expect(v.zonesWithoutCollector).to.deep.equal([{ zone: 'z2', devices: 1 }]);
  });

  it('no core; a collector gone for more than a day is forgotten', () => {
    const v = clusterView(
      [m('c1', 'collector')],
      zones,
      new Map([
        ['c1', now],
        ['old', now - FORGET_MISSING_MS - 1],
      ]),
      now,
    );
    expect(v).to.deep.equal({ missingCollectors: [], zonesWithoutCollector: [], core: false });
  });
});
