/**
 * The public status page end to end with the SHIPPED config (config/pantau.yaml as shipped: its
 * statusPage section, 10 s ICMP, downAfter 3; only paths, the store and the port changed): the lab,
 * pantau, Chromium without a login. An outage injected in the lab appears on /status; the public
 * message an operator writes on ack appears, the internal comment never does; bad ack input is a
 * 400 and changes nothing; the feed is well-formed Atom; 200 concurrent clients are served from cache.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Browser } from 'playwright-core';
import { writeShippedConfig } from '../../../bench/fault-latency.js';
import { loadConfig } from '../../../core/config/load.js';
import { createLogger } from '../../../core/logger.js';
import type { Device } from '../../../core/inventory/schema.js';
import type { Inventory } from '../../../core/inventory/topology.js';
import type { Alert } from '../../../core/types.js';
import { startPantau, type RunningPantau } from '../../../server/main.js';
import type { Lab } from '../../../simulator/lab.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startTestLab } from '../../helpers/lab.js';

const PASSWORD = 'rahasia-noc-123';
const INTERNAL = 'INTERNAL-catatan-noc-kunci-lemari-42';
const PUBLIC_MSG = 'Teknisi menuju lokasi, perkiraan pulih pukul 14.00 WIB';

describe('e2e/status page (Chromium, lab + pantau with the shipped config)', function () {
  this.timeout(240_000);
  let dir: string;
  let lab: Lab;
  let pantau: RunningPantau;
  let inventory: Inventory;
  let browser: Browser;
  let base: string;
  let cookie: string;
  let wifi: Device;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-status-'));
    const configPath = writeShippedConfig(dir);
    const logger = createLogger({ level: process.env['PANTAU_TEST_LOG'] ?? 'warn' });
    const loaded = loadConfig(configPath, {});
    inventory = loaded.inventory;
    expect(loaded.config.statusPage?.enabled, 'the shipped config enables /status').to.equal(true);
    lab = await startTestLab({ inventory, logger });
    pantau = await startPantau({ configPath, env: {}, logger, host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${pantau.port}`;
    await pantau.server.users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: ['noc'] });
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORD }),
    });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    browser = await launchChromium();
    wifi = inventory.devices.find((d) => d.type === 'wifi' && inventory.descendants(d.id).length === 0)!;
    // Every public Wi-Fi and Internet Desa point UP: the page says so.
    await until(async () => pointsAllUp(await text('/status')), 120_000, 'all public points UP on /status');
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await pantau?.stop().catch(() => undefined);
    await lab?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const text = async (path: string) => (await fetch(`${base}${path}`)).text();
  /** The shipped groups of public points each say "n dari n normal". */
  const pointsAllUp = (html: string) =>
    ['Wi-Fi publik', 'Internet Desa'].every((g) => {
      const m = new RegExp(`<h2>${g}</h2><p class="sum">(\\d+) dari (\\d+) normal</p>`).exec(html);
      return m !== null && m[1] === m[2] && Number(m[2]) > 0;
    });
  const ack = (id: string, body: unknown) =>
    fetch(`${base}/api/alerts/${id}/ack`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const getAlert = async (id: string) =>
    ((await (await fetch(`${base}/api/alerts/${id}`, { headers: { cookie } })).json()) as { alert: Alert }).alert;
  /** Upstream work and requests, as /metrics counts them. */
  const counters = async () => {
    const m = await text('/metrics');
    const sum = (re: RegExp) => [...m.matchAll(re)].reduce((s, x) => s + Number(x[1]), 0);
    return {
      renders: sum(/^pantau_status_renders_total\{variant="[^"]+"\} (\d+)/gm),
      requests: sum(/^pantau_status_requests_total\{result="[^"]+"\} (\d+)/gm),
    };
  };
  /** Nothing internal: no address, no device id of any device, no internal comment, no username. */
  const assertNothingInternal = (body: string, where: string) => {
    for (const d of inventory.devices) {
      expect(body, `${where}: address of ${d.id}`).to.not.include(d.address);
      expect(new RegExp(`(^|[^a-z0-9-])${d.id}([^a-z0-9-]|$)`).test(body), `${where}: device id ${d.id}`).to.equal(
        false,
      );
    }
    expect(body, where).to.not.include(INTERNAL).and.not.include('operator');
  };

  it('shows a Wi-Fi outage injected in the lab, without JavaScript, with nothing internal', async () => {
    await lab.fault(wifi.id, { kind: 'down' });
    // A browser with JavaScript OFF: the HTML alone holds the state.
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await ctx.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') cspErrors.push(m.text());
    });
    await page.goto(`${base}/status`);
    await until(
      async () => {
        await page.reload();
        return (await page.locator('.inc h3').allTextContents()).some((t) => t.includes(wifi.name));
      },
      60_000,
      'the outage on /status',
    );
    expect(await page.locator('.overall').textContent()).to.equal('Ada layanan yang tidak tersedia');
    const wifis = inventory.devices.filter((d) => d.type === 'wifi').length;
    expect(await page.locator('.group', { hasText: 'Wi-Fi publik' }).locator('.sum').textContent()).to.equal(
      `${wifis - 1} dari ${wifis} normal`,
    );
    const mine = page.locator('.inc', { hasText: wifi.name });
    expect(await mine.locator('.meta').textContent()).to.match(
      /^Sedang diperiksa · Mulai \d+ \w+ 20\d\d \d\d\.\d\d WIB$/,
    );
    const row = page.locator('.e', { hasText: wifi.name });
    expect(await row.locator('.st').textContent()).to.match(/^Tidak tersedia sejak/);
    // The stylesheet loaded under the CSP (no inline styles anywhere).
    expect(await page.locator('.overall').evaluate((e) => getComputedStyle(e).backgroundColor)).to.equal(
      'rgb(198, 40, 40)',
    );
    expect(cspErrors, cspErrors.join('\n')).to.deep.equal([]);
    assertNothingInternal(await page.content(), '/status');
    // English one switch away.
    await page.click('a.lang');
    await page.waitForURL(/\/status\?lang=en$/);
    expect(await page.locator('html').getAttribute('lang')).to.equal('en');
    expect(await page.locator('.inc h3', { hasText: wifi.name }).textContent()).to.equal(`Outage: ${wifi.name}`);
    await ctx.close();
  });

  it('refuses bad public messages on ack with a 400 and changes nothing', async () => {
    const alert = (
      (await (await fetch(`${base}/api/alerts?deviceId=${wifi.id}&status=open`, { headers: { cookie } })).json()) as {
        alerts: Alert[];
      }
    ).alerts[0]!;
    const before = await getAlert(alert.id);
    for (const [body, expected] of [
      [{ publicMessage: 'x'.repeat(281), comment: 'a' }, /publicMessage: at most 280 characters/],
      [{ publicMessage: '<script>alert(1)</script>' }, /publicMessage: plain text only/],
      [{ publicMessage: 'ok', extra: 1 }, /body/],
    ] as const) {
      const r = await ack(alert.id, body);
      expect(r.status).to.equal(400);
      const j = (await r.json()) as { error: { code: string; message: string } };
      expect(j.error.code).to.equal('PANTAU_BAD_REQUEST');
      expect(j.error.message).to.match(expected);
    }
    expect(await getAlert(alert.id)).to.deep.equal(before);
    expect(await text('/status'))
      .to.not.include('<script')
      .and.not.include('alert(1)');
  });

  it('an operator writes the public message in the NOC ack dialog: it shows on /status and in the feed, the internal comment never', async () => {
    const alert = (
      (await (await fetch(`${base}/api/alerts?deviceId=${wifi.id}&status=open`, { headers: { cookie } })).json()) as {
        alerts: Alert[];
      }
    ).alerts[0]!;
    const noc = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await noc.goto(base);
    await noc.fill('input[name=username]', 'operator');
    await noc.fill('input[name=password]', PASSWORD);
    await noc.click('button[type=submit]');
    await noc.click(`.alert[data-device-id="${wifi.id}"] button[data-ack]`);
    await noc.fill('.modal textarea[name=comment]', INTERNAL);
    await noc.fill('.modal textarea[name=publicMessage]', PUBLIC_MSG);
    await noc.click('.modal [data-confirm-ack]');
    await noc.waitForSelector('.modal', { state: 'detached' });
    await noc.close();
    const stored = await getAlert(alert.id);
    expect(stored.publicMessage).to.equal(PUBLIC_MSG);
    expect(stored.ackComment).to.equal(INTERNAL);
    const page = await browser.newPage();
    await page.goto(`${base}/status`);
    // Within the minimum render interval the last render may still answer: reload until it shows.
    const row = page.locator('.inc', { hasText: wifi.name });
    await until(
      async () => {
        await page.reload();
        return (await row.locator('.msg').count()) > 0;
      },
      10_000,
      'public message on /status',
    );
    expect(await row.locator('.msg').textContent()).to.equal(`Pesan petugas: ${PUBLIC_MSG}`);
    expect(await row.locator('.meta').textContent()).to.match(/^Sedang ditangani/);
    assertNothingInternal(await page.content(), '/status after ack');
    await page.close();

    const feed = await fetch(`${base}/status/feed.atom`);
    expect(feed.headers.get('content-type')).to.equal('application/atom+xml; charset=utf-8');
    const xml = await feed.text();
    expect(XMLValidator.validate(xml)).to.equal(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'entry' }).parse(xml) as {
      feed: { entry: { title: { '#text': string }; content: { '#text': string } }[] };
    };
    const mine = doc.feed.entry.find((e) => e.title['#text'].includes(wifi.name))!;
    expect(mine.title['#text']).to.equal(`Gangguan: ${wifi.name} — Sedang ditangani`);
    expect(mine.content['#text']).to.include(PUBLIC_MSG);
    assertNothingInternal(xml, 'feed');
  });

  it('answers 200 concurrent clients from the cache (renders ≪ requests), with ETag revalidation', async () => {
    const m0 = await counters();
    const first = await fetch(`${base}/status`, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers.get('cache-control')).to.equal('public, max-age=15');
    expect(first.headers.get('content-security-policy')).to.include("script-src 'self'");
    const etag = first.headers.get('etag')!;
    expect((await first.text()).length).to.be.above(1000);
    const again = await fetch(`${base}/status`, { headers: { 'if-none-match': etag } });
    expect(again.status).to.equal(304);
    let ok = 0;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 200 }, () =>
          fetch(`${base}/status`).then(async (r) => ({ status: r.status, len: (await r.text()).length })),
        ),
      );
      ok += answers.filter((a) => a.status === 200 && a.len > 1000).length;
    }
    expect(ok).to.equal(1000);
    const m1 = await counters();
    expect(m1.requests - m0.requests, 'requests answered by /status').to.equal(1002);
    // The state is steady (the outage stays): at most a TTL expiry re-renders the model and the page.
    expect(m1.renders - m0.renders, `renders for 1,002 requests: ${m1.renders - m0.renders}`).to.be.at.most(4);
  });

  it('clears the incident when the Wi-Fi point is back', async () => {
    await lab.clear(wifi.id);
    await until(async () => pointsAllUp(await text('/status')), 60_000, 'all points UP again');
    const page = await browser.newPage();
    await page.goto(`${base}/status`);
    expect(await page.locator('.incidents:not(.past) .inc').count()).to.equal(0);
    const past = page.locator('.past .inc', { hasText: wifi.name });
    expect(await past.locator('.meta').textContent()).to.match(/^Selesai · Mulai .* WIB · Pulih .* WIB$/);
    expect(await past.locator('.msg').textContent()).to.equal(`Pesan petugas: ${PUBLIC_MSG}`);
    await page.close();
  });
});

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
