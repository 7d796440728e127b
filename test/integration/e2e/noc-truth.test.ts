/**
 * What the NOC page says about a problem is right (issue 11, items 2 and 5, page side), in Chromium:
 * the reason of a failing check on the marker's tooltip and in the drawer before any alert, no
 * latency figure for a device that does not answer, the drawer's "devices below" equal to the
 * alert's impact, no English "DOWN" in Indonesian titles, and a technician whose group no route
 * names sees every alert with a banner instead of a false "no active alerts".
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../../core/logger.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { launchChromium } from '../../helpers/chromium.js';
import { PASSWORD, startFixture, type Fixture } from '../server/fixture.js';

interface Hook {
  live: { statuses: Map<string, { state: string; reason?: string; probeError?: unknown }> };
  snapshots: number;
  map(): {
    inspect(id: string): { problem: { x: number; y: number } | null } | undefined;
    view(c?: [number, number], z?: number): unknown;
    stats(): { ready: boolean };
  };
}
type W = { __pantau: Hook };
const CUT = 'fo-lengkiti';

async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => ((window as unknown as W).__pantau?.snapshots ?? 0) > 0, null, { timeout: 30_000 });
}

async function openDrawer(page: Page, id: string): Promise<void> {
  await page.fill('input.search', id);
  await page.click(`.results .result >> nth=0`);
  await page.waitForSelector('.drawer.open');
  await page.fill('input.search', ''); // the search also filters the alert list
}

describe('e2e/noc-truth (Chromium: reasons, drawer figures, titles, technician view)', function () {
  this.timeout(180_000);
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let cam: string;

  before(async () => {
    const webDist = await ensureWebBuilt(silentLogger());
    // One route, for Baturaja Timur's technicians: "teknisi" (tim-timur) is routed, "teknisi-barat" is not.
    fx = await startFixture({
      webDist,
      routing: [{ match: { kecamatan: ['Baturaja Timur'] }, groups: ['tim-timur'], escalate: [], continue: false }],
    });
    fx.alerting.routes.set('Baturaja Timur', ['tim-timur']);
    await fx.server.users.add({
      username: 'teknisi-barat',
      role: 'technician',
      password: PASSWORD,
      groups: ['tim-barat'],
    });
    cam = fx.inventory.devices.find((d) => d.type === 'cctv' && d.kecamatan !== 'Baturaja Timur')!.id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await login(page, fx.base, 'operator');
  });
  after(async () => {
    await browser?.close();
    await fx?.stop();
  });

  it('shows why a camera check fails in the drawer while it is still UP (before any alert)', async () => {
    fx.alerting.setState(cam, 'UP', {
      probeError: { kind: 'onvif', code: 'PANTAU_PROBE_SNAPSHOT', since: Date.now() },
    });
    await page.waitForFunction(
      (id) => (window as unknown as W).__pantau.live.statuses.get(id)?.probeError !== undefined,
      cam,
    );
    await openDrawer(page, cam);
    expect(await page.textContent('.drawer.open .reason')).to.include('ONVIF: kamera tidak bisa mengambil gambar');
    expect(await page.locator('.alert').count()).to.equal(0);
    await page.click('.drawer.open .drawer-head .btn-icon');
  });

  it('the marker tooltip of a DEGRADED camera names the probe error, in id and en', async () => {
    fx.alerting.setState(cam, 'DEGRADED', {
      reason: 'onvif_failing',
      probeError: { kind: 'onvif', code: 'PANTAU_PROBE_AUTH', since: Date.now() },
    });
    await page.waitForFunction((id) => (window as unknown as W).__pantau.map().inspect(id)?.problem !== null, cam);
    const p = await page.evaluate((id) => (window as unknown as W).__pantau.map().inspect(id)!.problem!, cam);
    await page.mouse.move(p.x, p.y);
    await page.waitForSelector('.leaflet-tooltip .tip-reason');
    expect(await page.textContent('.leaflet-tooltip'))
      .to.include('Terganggu')
      .and.include('ONVIF: login ditolak');
    await page.mouse.move(5, 5);
    await page.click('[data-lang-switch]');
    await page.mouse.move(p.x, p.y);
    await page.waitForFunction(() =>
      document.querySelector('.leaflet-tooltip')?.textContent?.includes('ONVIF: login rejected'),
    );
    await page.click('[data-lang-switch]');
    await page.mouse.move(5, 5);
    fx.alerting.setState(cam, 'UP');
  });

  it('a DOWN node: no latency figure, "devices below" equals the alert, no English DOWN in the title', async () => {
    const a = fx.alerting.cut(CUT);
    await page.waitForSelector(`.alert[data-device-id="${CUT}"]`);
    const title = await page.textContent(`.alert[data-device-id="${CUT}"] .alert-title`);
    expect(title)
      .to.include(' mati')
      .and.not.match(/\bDOWN\b/);
    const impact = await page.textContent(`.alert[data-device-id="${CUT}"] .alert-affected`);
    expect(impact).to.equal(`${a.affected.length} perangkat terdampak`);
    await openDrawer(page, CUT);
    await page.waitForSelector('.drawer.open [data-state="DOWN"]');
    expect(Number(await page.getAttribute('.drawer.open [data-below]', 'data-below'))).to.equal(a.affected.length);
    expect(await page.textContent('.drawer.open [data-below]')).to.equal(`${a.affected.length} perangkat terdampak`);
    // the history has earlier latency points; the node does not answer now, so no number is shown
    await page.waitForFunction(
      () => document.querySelector('.drawer.open .chart[data-field="rtt_avg_ms"] .chart-val')?.textContent !== '…',
    );
    expect(await page.textContent('.drawer.open .chart[data-field="rtt_avg_ms"] .chart-val')).to.equal(
      'tidak menjawab',
    );
    expect(await page.textContent('.drawer.open .reason')).to.include('Tidak menjawab ping');
    await page.click('.drawer.open .drawer-head .btn-icon');
  });

  it('a technician whose group no route names sees every alert with a banner, not a false all-clear', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const phone = await ctx.newPage();
      await login(phone, fx.base, 'teknisi-barat');
      await phone.waitForSelector(`.alert[data-device-id="${CUT}"]`, { timeout: 10_000 });
      expect(await phone.isVisible('.route-banner')).to.equal(true);
      expect(await phone.textContent('.route-banner')).to.include('SEMUA alarm');
      expect(await phone.locator('.empty').count()).to.equal(0);
      // a routed technician sees only their groups' alerts, and no banner (own context: own session cookie)
      const ctx2 = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const p2 = await ctx2.newPage();
      await login(p2, fx.base, 'teknisi');
      await p2.waitForSelector('.alert-list .empty');
      expect(await p2.isVisible('.route-banner')).to.equal(false);
      expect(await p2.locator(`.alert[data-device-id="${CUT}"]`).count()).to.equal(0);
      await ctx2.close();
    } finally {
      await ctx.close();
    }
    fx.alerting.restore(CUT);
  });
});
