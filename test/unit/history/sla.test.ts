import { expect } from 'chai';
import { computeSla, deviceSla, runs } from '../../../history/sla.js';
import { monthRange, previousMonth, zoneOf } from '../../../core/period.js';
import { slaToCsv } from '../../../history/report-csv.js';

const H = 3600_000;
const dev = (id: string, type = 'fiber', kecamatan = 'Baturaja Timur') => ({ id, name: id, type, kecamatan });

describe('history/sla', () => {
  it('counts DOWN and UNREACHABLE as one outage, DEGRADED as available, maintenance and no data apart', () => {
    const t = {
      initial: undefined,
      changes: [
        { at: 1 * H, to: 'UP' as const },
        { at: 2 * H, to: 'DEGRADED' as const },
        { at: 3 * H, to: 'DOWN' as const },
        { at: 4 * H, to: 'UNREACHABLE' as const },
        { at: 5 * H, to: 'UP' as const },
        { at: 6 * H, to: 'MAINTENANCE' as const },
        { at: 8 * H, to: 'UP' as const },
        { at: 9 * H, to: 'DOWN' as const },
      ],
    };
    const r = deviceSla(dev('a'), t, 0, 10 * H);
    expect(r.noDataMs).to.equal(1 * H);
    expect(r.maintenanceMs).to.equal(2 * H);
    expect(r.downtimeMs).to.equal(3 * H);
    expect(r.outages).to.equal(2);
    expect(r.longestOutageMs).to.equal(2 * H);
    expect(r.mttrMs).to.equal(1.5 * H);
    expect(r.measuredMs).to.equal(7 * H);
    expect(r.availabilityPct).to.be.closeTo((4 / 7) * 100, 1e-9);
    expect(r.outagePeriods).to.deep.equal([
      { start: 3 * H, end: 5 * H },
      { start: 9 * H, end: 10 * H },
    ]);
    expect(r.maintenancePeriods).to.deep.equal([{ start: 6 * H, end: 8 * H }]);
  });

  it('clips an outage that began before the window and uses the state in force at its start', () => {
    const t = { initial: 'DOWN' as const, changes: [{ at: 2 * H, to: 'UP' as const }] };
    const r = deviceSla(dev('a'), t, 0, 10 * H);
    expect(r.downtimeMs).to.equal(2 * H);
    expect(r.outages).to.equal(1);
    expect(r.availabilityPct).to.be.closeTo(80, 1e-9);
    expect(runs(t, 0, 10 * H).map((x) => x.kind)).to.deep.equal(['down', 'up']);
  });

  it('a device never seen has no availability (null), not 0 % or 100 %', () => {
    const r = computeSla({ from: 0, to: H, devices: [dev('a')], timelines: new Map() });
    expect(r.devices[0]!.availabilityPct).to.equal(null);
    expect(r.total.availabilityPct).to.equal(null);
    expect(r.devices[0]!.noDataMs).to.equal(H);
  });

  it('groups weight by measured time (not a mean of percentages)', () => {
    const timelines = new Map([
      ['a', { initial: 'UP' as const, changes: [{ at: 9 * H, to: 'DOWN' as const }] }],
      ['b', { initial: 'MAINTENANCE' as const, changes: [{ at: 9 * H, to: 'UP' as const }] }],
      ['c', { initial: 'UP' as const, changes: [] }],
    ]);
    const r = computeSla({ from: 0, to: 10 * H, devices: [dev('a'), dev('b'), dev('c', 'cctv')], timelines });
    const fiber = r.byType.find((g) => g.key === 'fiber')!;
    // a: 9 h up of 10; b: 1 h up of 1 → 10/11, not the mean of 90 % and 100 %.
    expect(fiber.availabilityPct).to.be.closeTo((10 / 11) * 100, 1e-9);
    expect(fiber.maintenanceMs).to.equal(9 * H);
    expect(r.total.availabilityPct).to.be.closeTo((20 / 21) * 100, 1e-9);
    expect(r.total.devices).to.equal(3);
  });

  it('months are calendar months in the region zone', () => {
    expect(monthRange('2026-11', zoneOf('WIB'))).to.deep.equal({
      from: Date.UTC(2026, 9, 31, 17),
      to: Date.UTC(2026, 10, 30, 17),
    });
    expect(monthRange('2026-12', zoneOf('WIT')).to).to.equal(Date.UTC(2026, 11, 31, 15));
    expect(() => monthRange('2026-13', zoneOf('WIB'))).to.throw(/YYYY-MM/);
    expect(previousMonth(Date.UTC(2026, 11, 1, 0, 30), zoneOf('WIB'))).to.equal('2026-11');
    expect(previousMonth(Date.UTC(2027, 0, 1, 0), zoneOf('WIB'))).to.equal('2026-12');
  });

  it('CSV quotes cells and defuses formulas', () => {
    const r = computeSla({
      from: 0,
      to: H,
      devices: [{ id: 'x', name: '=cmd|"a, b"', type: 'fiber', kecamatan: 'K' }],
      timelines: new Map([['x', { initial: 'UP' as const, changes: [] }]]),
    });
    const csv = slaToCsv(r);
    expect(csv).to.include(`device,x,"'=cmd|""a, b""",fiber,K,1,100.0000,0,0.00,,0.00,0.00,0.00\r\n`);
  });
});
