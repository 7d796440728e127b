import { expect } from 'chai';
import {
  activationTime,
  nextHandoverAt,
  orphanZones,
  ownedBy,
  ownerOf,
  zonesOf,
  type Member,
} from '../../../cluster/assign.js';
import { buildInventory } from '../../../core/inventory/topology.js';
import type { Device } from '../../../core/types.js';

const dev = (id: string, parent: string | null, zone?: string) =>
  ({
    id,
    name: id,
    type: 'fiber',
    role: 'ont',
    kecamatan: 'Baturaja Timur',
    lat: -4.1,
    lon: 104.1,
    address: `127.0.0.${id.length}`,
    parent,
    vendor: 'generic',
    tags: [],
    probes: { icmp: { enabled: true } },
    ...(zone ? { zone } : {}),
  }) as unknown as Device;

const member = (name: string, zones: string[] = [], activeFrom = 0): Member => ({
  name,
  role: 'collector',
  zones,
  activeFrom,
  startedAt: 0,
  at: 0,
});

describe('cluster/assign', () => {
  it('a device without a zone takes its nearest ancestor\'s, else "default"', () => {
    const inv = buildInventory([
      dev('core', null),
      dev('dist-a', 'core', 'a'),
      dev('ont-1', 'dist-a'),
      dev('ont-2', 'ont-1'),
      dev('dist-b', 'core', 'b'),
      dev('ont-3', 'dist-b', 'c'),
    ]);
    const z = zonesOf(inv);
    expect(Object.fromEntries(z)).to.deep.equal({
      core: 'default',
      'dist-a': 'a',
      'ont-1': 'a',
      'ont-2': 'a',
      'dist-b': 'b',
      'ont-3': 'c',
    });
  });

  const zones = new Map(Array.from({ length: 3000 }, (_, i) => [`d-${i}`, `z${i % 3}`] as [string, string]));

  it('every device has exactly one owner among the collectors of its zone, and the split is even', () => {
    const members = [member('c1'), member('c2'), member('c3')];
    const counts = new Map<string, number>();
    for (const [id, z] of zones) {
      const o = ownerOf(id, z, members, 1)!;
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(n).to.be.within(850, 1150);
    const sum = ['c1', 'c2', 'c3'].reduce((s, m) => s + ownedBy(m, zones, members, 1).size, 0);
    expect(sum).to.equal(3000);
  });

  it('a collector only gets devices of the zones it serves', () => {
    const members = [member('c1', ['z0']), member('c2', ['z1', 'z2'])];
    for (const id of ownedBy('c1', zones, members, 1)) expect(zones.get(id)).to.equal('z0');
    expect(ownedBy('c1', zones, members, 1).size).to.equal(1000);
  });

  it('adding a collector moves only about a quarter of the devices, all to the new one', () => {
    const three = [member('c1'), member('c2'), member('c3')];
    const four = [...three, member('c4')];
    let moved = 0;
    for (const [id, z] of zones) {
      const before = ownerOf(id, z, three, 1);
      const after = ownerOf(id, z, four, 1);
      if (before !== after) {
        moved++;
        expect(after).to.equal('c4');
      }
    }
    expect(moved).to.be.within(600, 900);
  });

  it('a joining collector owns nothing before its activeFrom, and the handover instant is known ahead', () => {
    const members = [member('c1'), member('c2', [], 10_500)];
    expect(ownedBy('c2', zones, members, 10_499).size).to.equal(0);
    expect(ownedBy('c2', zones, members, 10_500).size).to.be.greaterThan(1000);
    expect(nextHandoverAt(members, 5000)).to.equal(10_500);
    expect(nextHandoverAt(members, 10_500)).to.equal(undefined);
  });

  it('activation falls on a half second after the settle time (never on an ICMP slot)', () => {
    expect(activationTime(1_000, 6000)).to.equal(7_500);
    expect(activationTime(1_001, 6000)).to.equal(8_500);
  });

  it('names the zones no collector serves', () => {
    expect(orphanZones(zones, [member('c1', ['z0'])])).to.deep.equal(['z1', 'z2']);
    expect(orphanZones(zones, [member('c1')])).to.deep.equal([]);
  });
});

describe('cluster/status', () => {
  it('lists members and warns about a missing core and a zone without a collector', async () => {
    const { formatClusterStatus } = await import('../../../cluster/status.js');
    const zones = new Map([
      ['a', 'z1'],
      ['b', 'z2'],
      ['c', 'z2'],
    ]);
    const m: Member = {
      name: 'col-1',
      role: 'collector',
      zones: ['z1'],
      activeFrom: 0,
      startedAt: 0,
      at: 9000,
      stats: { devices: 1, buffered: 7 },
    };
    const r = formatClusterStatus([m], zones, 10_000);
    expect(r.text).to.match(/collector\s+col-1\s+z1\s+1\s+7\s+-\s+-\s+-\s+1\.0 s/);
    expect(r.text).to.include('no core is running');
    expect(r.text).to.include('zona z2 (2 perangkat / devices) tanpa kolektor / has no collector');
    expect(r.problems).to.equal(2);
  });

  it('with a core and a web server: seq and inventory columns, a missing collector, an inventory not yet followed', async () => {
    const { formatClusterStatus } = await import('../../../cluster/status.js');
    const zones = new Map([['a', 'z1']]);
    const base = { zones: [], activeFrom: 0, startedAt: 0, at: 9000 };
    const members: Member[] = [
      { ...base, name: 'core-1', role: 'core', stats: { lag: 3, seq: 120, inventory: 0xabcdef123456 } },
      { ...base, name: 'web-1', role: 'web', stats: { seq: 118, inventory: 0xabcdef123456 } },
      { ...base, name: 'web-2', role: 'web', stats: { seq: 120, inventory: 0x111111111111 } },
      { ...base, name: 'col-1', role: 'collector', zones: ['z1'], stats: { devices: 1, inventory: 0xabcdef123456 } },
    ];
    const seen = new Map([
      ['col-1', 9000],
      ['col-2', 4000],
      ['col-old', 10_000 - 25 * 3600_000],
    ]);
    const r = formatClusterStatus(members, zones, 10_000, seen);
    expect(r.text).to.match(/core\s+core-1\s+-\s+-\s+-\s+3\s+120\s+abcdef12\s+1\.0 s/);
    expect(r.text).to.match(/web\s+web-1\s+-\s+-\s+-\s+-\s+118\s+abcdef12/);
    expect(r.text).to.include('collector col-2 missing for 6 s');
    expect(r.text).to.not.include('col-old');
    expect(r.text).to.include(
      "web web-2: inventaris 11111111 belum sama dengan inti (abcdef12) / inventory is not the core's yet",
    );
    expect(r.text).to.not.include('no core');
    expect(r.problems).to.equal(2);
  });
});
