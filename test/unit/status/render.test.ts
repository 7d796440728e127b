import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { statusPageSection } from '../../../core/config/sections/status-page.js';
import { loadConfig } from '../../../core/config/load.js';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import { buildPublicStatus } from '../../../status/model.js';
import { createPageCache } from '../../../status/page-cache.js';
import { renderStatusAtom } from '../../../status/render-atom.js';
import { renderStatusHtml } from '../../../status/render-html.js';

const H = 3600_000;
const NOW = Date.UTC(2026, 10, 30, 3, 0, 0);
const zone = { name: 'WIB', offsetMs: 7 * H };
const loaded = loadConfig('config/pantau.yaml', {});
const devices = loaded.inventory.devices;

// Internal fields an operator or the engine writes, which must never reach the public.
const SECRET_COMMENT = 'INTERNAL-komentar-password-123';
const alerts: Alert[] = [
  {
    id: 'A-internal-7f3a',
    key: 'device_down:fo-baturaja-timur-02',
    rule: 'device_down',
    deviceId: 'fo-baturaja-timur-02',
    deviceType: 'fiber',
    kecamatan: 'Baturaja Timur',
    severity: 'critical',
    status: 'acknowledged',
    messageKey: 'alert.device_down',
    params: { device: 'FO Baturaja Timur 02', deviceId: 'fo-baturaja-timur-02' },
    title: 'fo-baturaja-timur-02 mati (127.21.0.2)',
    affected: ['wifi-01', 'cctv-01'],
    openedAt: NOW - H,
    updatedAt: NOW - 30 * 60_000,
    acknowledgedAt: NOW - 30 * 60_000,
    acknowledgedBy: 'operator-budi',
    ackComment: SECRET_COMMENT,
    acks: [
      {
        by: 'operator-budi',
        at: NOW - 30 * 60_000,
        comment: SECRET_COMMENT,
        publicMessage: 'Kabel putus <diperbaiki> & "segera" pulih',
      },
    ],
    publicMessage: 'Kabel putus <diperbaiki> & "segera" pulih',
  },
  {
    id: 'A-resolved-1',
    key: 'device_down:village-01',
    rule: 'device_down',
    deviceId: devices.find((d) => d.type === 'village')!.id,
    deviceType: 'village',
    kecamatan: 'Lengkiti',
    severity: 'critical',
    status: 'resolved',
    messageKey: 'alert.device_down',
    params: {},
    title: 'x',
    affected: [],
    openedAt: NOW - 5 * H,
    updatedAt: NOW - 4 * H,
    resolvedAt: NOW - 4 * H,
    resolvedReason: 'recovered',
    ackComment: SECRET_COMMENT,
  },
];

describe('status/render', () => {
  // The SHIPPED statusPage section, plus one explicit entry to show an entry bar.
  const shipped = loaded.config.statusPage!;
  const config = statusPageSection.parse({
    ...shipped,
    groups: [
      { name: 'Pusat data', entries: [{ device: 'fo-core', name: 'Pusat Data Diskominfo' }] },
      ...shipped.groups,
    ],
  });
  const statuses = new Map<string, DeviceStatus>(
    devices.map((d) => [
      d.id,
      {
        deviceId: d.id,
        state: d.id === 'wifi-01' ? 'UNREACHABLE' : 'UP',
        since: NOW - 2 * H,
        reason: `${d.address} internal reason`,
      },
    ]),
  );
  const model = buildPublicStatus({
    config,
    devices,
    statuses,
    alerts,
    timelines: new Map(),
    now: NOW,
    zoneOffsetMs: zone.offsetMs,
  });
  const outputs = (['id', 'en'] as const).flatMap((lang) => [
    {
      lang,
      kind: 'html',
      text: renderStatusHtml(model, {
        lang,
        zone,
        cssHref: '/status/status.css?v=1',
        path: '/status',
        feedPath: '/status/feed.atom',
      }),
    },
    {
      lang,
      kind: 'atom',
      text: renderStatusAtom(model, { lang, zone, path: '/status', feedPath: '/status/feed.atom' }),
    },
  ]);

  it('never shows an address, a device id, an alert id, a username or an internal comment (page and feed, both languages)', () => {
    for (const o of outputs) {
      for (const d of devices) {
        expect(o.text, `${o.kind}/${o.lang}: address of ${d.id}`).to.not.include(d.address);
        expect(
          new RegExp(`(^|[^a-z0-9-])${d.id}([^a-z0-9-]|$)`).test(o.text),
          `${o.kind}/${o.lang}: id ${d.id}`,
        ).to.equal(false);
      }
      for (const s of [
        SECRET_COMMENT,
        'A-internal-7f3a',
        'A-resolved-1',
        'operator-budi',
        'internal reason',
        'device_down',
      ]) {
        expect(o.text, `${o.kind}/${o.lang}`).to.not.include(s);
      }
    }
  });

  it('shows the outage, the public message escaped, names and times in WIB', () => {
    const html = outputs[0]!.text;
    expect(html).to.match(/^<!doctype html><html lang="id">/);
    expect(html).to.include('Gangguan: Wi-Fi Publik Alun-alun Baturaja');
    expect(html).to.include('Kabel putus &lt;diperbaiki&gt; &amp; &quot;segera&quot; pulih');
    expect(html).to.not.include('<diperbaiki>');
    expect(html).to.include('Sedang ditangani');
    expect(html).to.include('30 Nov 2026 09.00 WIB'); // opened 02:00 UTC = 09:00 WIB
    expect(html).to.include('Pusat Data Diskominfo');
    expect(html).to.include('Ada layanan yang tidak tersedia');
    expect(html).to.not.match(/<script|style=/i);
    const en = outputs[2]!.text;
    expect(en)
      .to.include('<html lang="en">')
      .and.include('Outage: Wi-Fi Publik Alun-alun Baturaja')
      .and.include('30 Nov 2026 09:00 WIB')
      .and.include('Being fixed');
    expect(en).to.include('href="/status?lang=id"');
  });

  it('writes a well-formed Atom feed with the incidents, escaped', () => {
    for (const o of outputs.filter((x) => x.kind === 'atom')) {
      expect(XMLValidator.validate(o.text), o.lang).to.equal(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(o.text) as {
        feed: {
          '@_xmlns': string;
          id: string;
          title: unknown;
          updated: string;
          author: { name: string };
          entry: { id: string; title: { '#text': string }; updated: string; content: { '#text': string } }[];
        };
      };
      expect(doc.feed['@_xmlns']).to.equal('http://www.w3.org/2005/Atom');
      expect(doc.feed.id).to.match(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(doc.feed.updated)).to.equal(NOW - 30 * 60_000);
      expect(doc.feed.entry).to.have.length(2);
      for (const e of doc.feed.entry) {
        expect(e.id).to.match(/^urn:uuid:/);
        expect(Number.isFinite(Date.parse(e.updated))).to.equal(true);
      }
      // The parser unescapes: the message is back as the operator wrote it.
      expect(doc.feed.entry[0]!.content['#text']).to.include('Kabel putus <diperbaiki> & "segera" pulih');
    }
    expect(outputs[1]!.text).to.include('&lt;diperbaiki&gt;');
  });

  it('keeps the page small (what goes over the wire is gzip)', () => {
    const bytes = Buffer.byteLength(outputs[0]!.text);
    expect(bytes).to.be.below(150_000);
    expect(gzipSync(outputs[0]!.text).length, `gzip of ${bytes} B`).to.be.below(20_000);
  });
});

describe('status/page-cache', () => {
  it('renders once per change, at least every ttl, never twice within the minimum interval', () => {
    let now = 0;
    let renders = 0;
    const cache = createPageCache({ now: () => now, ttlMs: 15_000, minIntervalMs: 1000 });
    const get = () => cache.get('html:id', () => `page ${++renders}`);
    for (let i = 0; i < 1000; i++) get();
    expect(renders).to.equal(1);
    cache.invalidate();
    now = 500;
    expect(get().body.toString()).to.equal('page 1'); // within the minimum interval: the last render
    now = 1000;
    expect(get().body.toString()).to.equal('page 2');
    cache.invalidate();
    cache.invalidate();
    now = 2500;
    get();
    get();
    expect(renders).to.equal(3);
    now = 2500 + 14_999;
    get();
    expect(renders).to.equal(3);
    now = 2500 + 15_000;
    const c = get();
    expect(renders).to.equal(4);
    expect(c.etag).to.match(/^W\/"/);
    expect(c.gzip.length).to.be.above(0);
    expect(cache.stats).to.deep.equal({ renders: 4, hits: 1002 });
  });
});
