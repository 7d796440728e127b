import { expect } from 'chai';
import { statusPageSection } from '../../../core/config/sections/status-page.js';
import { loadConfig } from '../../../core/config/load.js';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import { buildPublicStatus, dayLevel, dayWindows } from '../../../status/model.js';
import { publicMessageSchema } from '../../../status/public-text.js';

const H = 3600_000;
const DAY = 24 * H;
const WIB = 7 * H;
// 30 Nov 2026 10:00 WIB
const NOW = Date.UTC(2026, 10, 30, 3, 0, 0);

const loaded = loadConfig('config/pantau.yaml', {});
const devices = loaded.inventory.devices;

const alert = (over: Partial<Alert>): Alert => ({
  id: 'A-1',
  key: 'device_down:x',
  rule: 'device_down',
  deviceId: 'wifi-01',
  deviceType: 'wifi',
  kecamatan: 'Baturaja Timur',
  severity: 'critical',
  status: 'open',
  messageKey: 'alert.device_down',
  params: {},
  title: 'x',
  affected: [],
  openedAt: NOW - H,
  updatedAt: NOW - H,
  ...over,
});

describe('status/model', () => {
  const config = statusPageSection.parse({
    historyDays: 90,
    groups: [
      {
        name: { id: 'Layanan', en: 'Services' },
        entries: [{ device: 'fo-core', name: { id: 'Pusat data', en: 'Data centre' } }, { device: 'wifi-02' }],
      },
      { name: 'Wi-Fi publik', types: ['wifi'], bars: 'group' },
    ],
  });

  it('gives 90 local days ending today in the region zone, today clipped at now', () => {
    const w = dayWindows(NOW, 90, WIB);
    expect(w).to.have.length(90);
    expect(w[89]!.date).to.equal('2026-11-30');
    expect(w[89]!.from).to.equal(Date.UTC(2026, 10, 29, 17, 0, 0)); // 00:00 WIB
    expect(w[89]!.to).to.equal(NOW);
    expect(w[0]!.date).to.equal('2026-09-02');
    expect(w[1]!.from - w[0]!.from).to.equal(DAY);
  });

  it('colours a day by its availability', () => {
    expect([
      dayLevel(100, 0),
      dayLevel(99.5, 0),
      dayLevel(97, 0),
      dayLevel(50, 0),
      dayLevel(null, 5),
      dayLevel(null, 0),
    ]).to.deep.equal(['ok', 'minor', 'major', 'outage', 'maint', 'none']);
  });

  it('computes the day bars from the state log one way (history/sla) and names public entries only', () => {
    const today = Date.UTC(2026, 10, 29, 17, 0, 0);
    // fo-core: UP for 10 days, then DOWN 2 h 24 min yesterday (10 % of a day), UP again.
    const timelines = new Map([
      [
        'fo-core',
        {
          initial: undefined,
          changes: [
            { at: today - 10 * DAY, to: 'UP' as const },
            { at: today - DAY + 6 * H, to: 'DOWN' as const },
            { at: today - DAY + 6 * H + 2.4 * H, to: 'UP' as const },
          ],
        },
      ],
    ]);
    const statuses = new Map<string, DeviceStatus>([
      ['fo-core', { deviceId: 'fo-core', state: 'UP', since: today - DAY + 8.4 * H }],
      ['wifi-02', { deviceId: 'wifi-02', state: 'DOWN', since: NOW - H }],
    ]);
    const s = buildPublicStatus({ config, devices, statuses, alerts: [], timelines, now: NOW, zoneOffsetMs: WIB });
    const core = s.groups[0]!.entries[0]!;
    expect(core.name).to.deep.equal({ id: 'Pusat data', en: 'Data centre' });
    expect(core.state).to.equal('up');
    const days = core.days!;
    expect(days[88]!.availabilityPct).to.be.closeTo(90, 1e-9);
    expect(days[88]!.level).to.equal('outage');
    expect(days[89]!.level).to.equal('ok');
    expect(days[78]!.level).to.equal('none'); // before the log knew it
    expect(days[79]!.level).to.equal('ok');
    // The second entry takes the inventory name; the wifi group lists all 15 Wi-Fi points with one group bar.
    expect(s.groups[0]!.entries[1]!.name.id).to.equal(devices.find((d) => d.id === 'wifi-02')!.name);
    expect(s.groups[1]!.entries).to.have.length(devices.filter((d) => d.type === 'wifi').length);
    expect(s.groups[1]!.days).to.have.length(90);
    expect(s.groups[1]!.entries[0]!.days).to.equal(undefined);
    expect(s.groups[1]!.counts.down).to.equal(1);
    expect(s.overall).to.equal('down');
  });

  it('turns alerts touching shown entries into incidents with the public message, never other alerts', () => {
    const alerts = [
      alert({
        id: 'A-open',
        deviceId: 'fo-baturaja-timur-02',
        affected: ['wifi-01', 'cctv-01'],
        status: 'acknowledged',
        ackComment: 'internal',
        publicMessage: 'Teknisi menuju lokasi',
      }),
      alert({ id: 'A-other', deviceId: 'cctv-03', affected: [] }),
      alert({ id: 'A-info', deviceId: 'wifi-03', severity: 'info' }),
      alert({ id: 'A-deg', deviceId: 'wifi-04', rule: 'device_degraded', severity: 'warning' }),
      alert({
        id: 'A-old',
        deviceId: 'wifi-05',
        status: 'resolved',
        resolvedAt: NOW - 20 * DAY,
        updatedAt: NOW - 20 * DAY,
      }),
      alert({
        id: 'A-done',
        deviceId: 'wifi-06',
        status: 'resolved',
        resolvedAt: NOW - 2 * H,
        updatedAt: NOW - 2 * H,
        resolvedReason: 'recovered',
      }),
      alert({
        id: 'A-fold',
        deviceId: 'wifi-07',
        status: 'resolved',
        resolvedAt: NOW - 2 * H,
        resolvedReason: 'folded',
      }),
    ];
    const s = buildPublicStatus({
      config,
      devices,
      statuses: new Map(),
      alerts,
      timelines: new Map(),
      now: NOW,
      zoneOffsetMs: WIB,
    });
    expect(s.current.map((i) => i.kind)).to.have.members(['outage', 'degraded']);
    const cut = s.current.find((i) => i.kind === 'outage')!;
    expect(cut.names.map((n) => n.id)).to.deep.equal([devices.find((d) => d.id === 'wifi-01')!.name]);
    expect(cut.status).to.equal('identified');
    expect(cut.message).to.equal('Teknisi menuju lokasi');
    expect(cut.ref).to.match(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(s)).to.not.include('A-open').and.not.include('internal').and.not.include('cctv');
    expect(s.recent.map((i) => i.status)).to.deep.equal(['resolved']);
    expect(s.recent).to.have.length(1);
  });
});

describe('status/public-text', () => {
  it('accepts short plain text and refuses HTML, control characters, empty and long text', () => {
    expect(publicMessageSchema.parse('  Perbaikan kabel, perkiraan pulih 14.00 WIB ')).to.equal(
      'Perbaikan kabel, perkiraan pulih 14.00 WIB',
    );
    for (const bad of ['<b>x</b>', 'a > b', 'x\u0007', '   ', 'x'.repeat(281)]) {
      expect(publicMessageSchema.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    }
  });
});
