/**
 * The wall screen's keyboard paths, light/dark theme and the phone header (issue 15, item 4), in Chromium.
 * Each check goes through the real page: the login, the socket snapshot, the header, the drawer.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../../core/logger.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { launchChromium } from '../../helpers/chromium.js';
import { PASSWORD, startFixture, type Fixture } from '../server/fixture.js';

type W = { __pantau?: { snapshots: number } };

async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await waitLive(page);
}
const waitLive = (page: Page) =>
  page.waitForFunction(() => ((window as unknown as W).__pantau?.snapshots ?? 0) > 0, null, { timeout: 30_000 });
const theme = (page: Page) =>
  page.evaluate(() => ({
    attr: document.documentElement.dataset['theme'],
    bg: getComputedStyle(document.body).backgroundColor,
  }));

describe('e2e/wall-keyboard (Chromium: theme, keyboard paths, phone header)', function () {
  this.timeout(180_000);
  let fx: Fixture;
  let browser: Browser;

  before(async () => {
    const webDist = await ensureWebBuilt(silentLogger());
    fx = await startFixture({ webDist });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await fx?.stop();
  });

  it('the light/dark switch in the header is saved per user and survives a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await ctx.newPage();
    await login(page, fx.base, 'operator');
    const dark = await theme(page);
    expect(dark.attr).to.equal('dark'); // the default
    await page.click('[data-theme-switch]');
    const light = await theme(page);
    expect(light.attr).to.equal('light');
    expect(light.bg).to.not.equal(dark.bg); // the page really changes colour
    await page.reload();
    await waitLive(page);
    expect((await theme(page)).attr).to.equal('light');
    expect(await page.getAttribute('[data-theme-switch]', 'title')).to.equal('Tema gelap'); // Bahasa Indonesia by default
    // Another user on the same browser keeps their own choice (dark).
    await page.click('button:has-text("Keluar")');
    await page.waitForSelector('input[name=username]');
    await login(page, fx.base, 'viewer');
    expect((await theme(page)).attr).to.equal('dark');
    await ctx.close();
  });

  it('Tab reaches the "skip to alerts" link first; it moves focus to the alert list', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await login(page, fx.base, 'operator');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({
      cls: document.activeElement?.className,
      text: document.activeElement?.textContent,
      visible: document.activeElement!.getBoundingClientRect().top >= 0,
    }));
    expect(first.cls).to.equal('skip-link');
    expect(first.text).to.equal('Lompat ke daftar alarm');
    expect(first.visible, 'the focused skip link is on screen').to.equal(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('alert-list');
    await page.close();
  });

  it('arrow keys move through the search results, Enter opens the device, Esc closes the drawer', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await login(page, fx.base, 'operator');
    const cams = fx.inventory.devices.filter((d) => d.type === 'cctv');
    await page.click('input.search');
    await page.keyboard.type('cctv');
    await page.waitForSelector('.result');
    const ids = await page.$$eval('.result', (els) => els.map((e) => (e as HTMLElement).dataset['deviceId']));
    expect(ids.length).to.be.greaterThan(2);
    expect(cams.map((d) => d.id)).to.include.members(ids as string[]);
    const active = () =>
      page.evaluate(() => ({
        focus: document.activeElement?.className,
        sel: document.querySelector('.result[aria-selected=true]')?.getAttribute('data-device-id'),
      }));
    await page.keyboard.press('ArrowDown');
    expect(await active()).to.deep.equal({ focus: 'search', sel: ids[0] });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect((await active()).sel).to.equal(ids[1]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.drawer.open');
    const name = fx.inventory.byId.get(ids[1]!)!.name;
    expect(await page.textContent('.drawer .drawer-title')).to.equal(name);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.drawer.open'), null, { timeout: 5000 });
    expect(await page.evaluate(() => document.querySelector('.shell')!.classList.contains('drawer-open'))).to.equal(
      false,
    );
    await page.close();
  });

  for (const lang of ['id', 'en'] as const) {
    it(`the header fits a 390 px phone without horizontal overflow (${lang})`, async () => {
      const ctx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
      });
      const page = await ctx.newPage();
      await page.goto(`${fx.base}/?lang=${lang}`);
      await page.fill('input[name=username]', 'operator');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await waitLive(page);
      await page.waitForSelector('.tile');
      const m = await page.evaluate(() => {
        const shown = [...document.querySelectorAll<HTMLElement>('.top-right > *')].filter((e) => e.offsetParent);
        return {
          scroll: document.documentElement.scrollWidth,
          body: document.body.scrollWidth,
          topbar: (document.querySelector('.topbar') as HTMLElement).scrollWidth,
          controls: Math.max(...shown.map((e) => e.getBoundingClientRect().right)),
          shown: shown.length,
        };
      });
      expect(m.scroll, JSON.stringify(m)).to.be.at.most(390);
      expect(m.body, JSON.stringify(m)).to.be.at.most(390);
      expect(m.topbar, JSON.stringify(m)).to.be.at.most(390);
      expect(m.shown).to.be.greaterThan(4); // clock, sound, theme, language, logout …
      expect(m.controls, 'every header control is inside the screen').to.be.at.most(390);
      await ctx.close();
    });
  }
});
