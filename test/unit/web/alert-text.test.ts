import { expect } from 'chai';
import type { Alert } from '../../../core/types.js';
import { alertTextIn } from '../../../web/src/alert-text.js';
import { createRenderer } from '../../../alerting/i18n.js';
import { noDataText } from '../../../web/src/no-data-text.js';
import { setZone } from '../../../web/src/clock.js';

const alert = (over: Partial<Alert>): Alert => ({
  id: 'a1',
  key: 'k',
  rule: 'device_degraded',
  deviceId: 'svc-sip',
  deviceType: 'service',
  kecamatan: 'Baturaja Timur',
  severity: 'warning',
  status: 'open',
  messageKey: 'alert.service_degraded',
  params: {},
  title: 'engine title',
  affected: [],
  openedAt: 1,
  updatedAt: 1,
  ...over,
});

// The params exactly as alerting/engine/engine.ts raises an application's alerts (issue 14).
const cases: Array<{ name: string; a: Alert; id: string; en: string }> = [
  {
    name: 'a service check failing without a probe code',
    a: alert({ params: { device: 'SIP', deviceId: 'svc-sip', kind: 'tls' } }),
    id: 'SIP terganggu: pemeriksaan TLS gagal',
    en: 'SIP degraded: TLS check failing',
  },
  {
    name: 'a service check failing with its probe code',
    a: alert({ params: { device: 'SIP', deviceId: 'svc-sip', kind: 'tls', code: 'PANTAU_PROBE_TLS_EXPIRED' } }),
    id: 'SIP terganggu: TLS: sertifikat TLS sudah kedaluwarsa: browser warga menolak situs ini',
    en: "SIP degraded: TLS: the TLS certificate has expired: citizens' browsers refuse the site",
  },
  {
    name: 'a slow application',
    a: alert({ params: { device: 'E-office', deviceId: 'svc-eoffice', kind: 'http', code: 'PANTAU_PROBE_HTTP_SLOW' } }),
    id: 'E-office terganggu: HTTP: aplikasi menjawab, tetapi lebih lambat dari batas waktu respons',
    en: 'E-office degraded: HTTP: the application answers, but slower than its response time limit',
  },
  {
    name: 'a failing application (down, with its code)',
    a: alert({
      rule: 'device_down',
      severity: 'critical',
      messageKey: 'alert.device_down',
      params: { device: 'SIP', deviceId: 'svc-sip', count: 0, reason: 'http', code: 'PANTAU_PROBE_HTTP_STATUS' },
    }),
    id: 'SIP mati: aplikasi menjawab dengan kode status HTTP yang tidak diharapkan',
    en: 'SIP DOWN: the application answered with an unexpected HTTP status code',
  },
  {
    // ADR 0406: the params as the engine raises a zone's no-data warning ({since} in the region's zone).
    name: "a zone's no-data warning",
    a: alert({
      rule: 'no_data',
      key: 'no_data:okut',
      deviceId: 'pantau',
      deviceType: 'pantau',
      kecamatan: '',
      messageKey: 'alert.no_data',
      params: { zone: 'okut', count: 12, since: '30/11/2026 14.00 WIB', sinceMs: Date.UTC(2026, 10, 30, 7) },
    }),
    id: 'Tidak ada data dari 12 perangkat di zona okut sejak 30/11/2026 14.00 WIB: periksa kolektor pantau',
    en: 'No data from 12 devices in zone okut since 30/11/2026 14.00 WIB: check the pantau collectors',
  },
];

describe('web/alert-text (the NOC page says what the engine says)', () => {
  for (const c of cases) {
    it(`${c.name}: same text as the engine's title, in id and en`, () => {
      const engine = createRenderer([]);
      for (const lang of ['id', 'en'] as const) {
        const page = alertTextIn(c.a, lang);
        expect(page, lang).to.equal(lang === 'id' ? c.id : c.en);
        expect(page, lang).to.equal(engine.title(c.a.messageKey, c.a.params, lang));
      }
    });
  }

  it('a cut that takes services down names them on the page too', () => {
    const a = alert({
      rule: 'device_down',
      deviceId: 'fo-core',
      deviceType: 'fiber',
      severity: 'critical',
      messageKey: 'alert.device_down',
      params: {
        device: 'Core Diskominfo',
        deviceId: 'fo-core',
        count: 14,
        service: 12,
        fiber: 2,
        services: 'SIP, E-office',
      },
    });
    expect(alertTextIn(a, 'id')).to.equal(
      'Core Diskominfo mati — 14 perangkat tidak terjangkau — layanan terdampak: SIP, E-office',
    );
    expect(alertTextIn(a, 'en')).to.equal(
      'Core Diskominfo DOWN — 14 devices unreachable — services down: SIP, E-office',
    );
    expect(createRenderer([]).title(a.messageKey, a.params, 'en')).to.match(/ — services down: SIP, E-office$/);
  });

  it('an alert the page has no words for shows the engine title (DOWN written "mati" in Indonesian)', () => {
    const a = alert({ messageKey: 'rule.tls_certificate_expiring', title: 'SIP DOWN soon' });
    expect(alertTextIn(a, 'id')).to.equal('SIP mati soon');
    expect(alertTextIn(a, 'en')).to.equal('SIP DOWN soon');
  });

  it("a device with no data: the page says since when, in the region's zone (ADR 0406)", () => {
    const since = Date.UTC(2026, 10, 30, 7, 5);
    expect(noDataText(since, 'id')).to.equal(
      'Tidak ada data sejak 30/11/2026 14.05 WIB: hasil pemeriksaan tidak lagi masuk',
    );
    setZone('WIT');
    try {
      expect(noDataText(since, 'en')).to.equal('No data since 30/11/2026 16.05 WIT: probe results stopped arriving');
    } finally {
      setZone('WIB');
    }
  });
});
