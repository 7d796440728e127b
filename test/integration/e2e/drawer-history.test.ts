/**
 * The drawer's 24 h graph after a lab run (Chromium, real lab + collector + alerting, embedded
 * defaults: sink none, so the graphs come from the in-memory ring + SQLite rollups): a device the
 * lab takes down for a while shows a red DOWN band under its curves exactly where the state log
 * says the outage was. Fast probe intervals (stack.ts) so the outage happens within seconds.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { PASSWORD, startStack, type Stack } from './stack.js';

const DEV = 'fo-baturaja-timur-05';

describe('e2e/drawer history (Chromium, lab run)', function () {
  this.timeout(240_000);
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(stack.base);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForFunction(
      (id) =>
        (
          window as unknown as { __pantau: { live: { statuses: Map<string, { state: string }> } } }
        ).__pantau?.live.statuses.get(id)?.state === 'UP',
      DEV,
      { timeout: 60_000 },
    );
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the outage as a DOWN band at the right time on the 24 h graph', async () => {
    const stateOf = () =>
      page.evaluate(
        (id) =>
          (
            window as unknown as { __pantau: { live: { statuses: Map<string, { state: string }> } } }
          ).__pantau.live.statuses.get(id)?.state,
        DEV,
      );
    await stack.lab.fault(DEV, { kind: 'down' });
    await page.waitForFunction(
      (id) =>
        (
          window as unknown as { __pantau: { live: { statuses: Map<string, { state: string }> } } }
        ).__pantau.live.statuses.get(id)?.state === 'DOWN',
      DEV,
      { timeout: 30_000 },
    );
    // Measurement window: the outage lasts 5 s, so the band has a width to check.
    await new Promise((r) => setTimeout(r, 5000));
    await stack.lab.clear(DEV);
    await page.waitForFunction(
      (id) =>
        (
          window as unknown as { __pantau: { live: { statuses: Map<string, { state: string }> } } }
        ).__pantau.live.statuses.get(id)?.state === 'UP',
      DEV,
      { timeout: 30_000 },
    );
    expect(await stateOf()).to.equal('UP');

    // What the state log recorded (the API the band is drawn from).
    const log = (await page.evaluate(async (id) => (await fetch(`/api/history/devices/${id}/states`)).json(), DEV)) as {
      changes: { at: number; to: string }[];
    };
    const down = log.changes.find((c) => c.to === 'DOWN')!;
    const up = log.changes.find((c) => c.at > down.at && c.to === 'UP')!;
    expect(up.at - down.at).to.be.within(3000, 30_000);

    await page.fill('input.search', DEV);
    await page.click('.results .result');
    await page.waitForSelector('.drawer.open [data-device-history] .dh-chart[data-chart="rtt_avg_ms"] canvas', {
      timeout: 15_000,
    });
    await page.waitForSelector('.drawer.open [data-device-history][data-range="24h"] .dh-band[data-band="DOWN"]', {
      timeout: 15_000,
    });
    const band = await page.$eval(
      '.drawer.open .dh-chart[data-chart="rtt_avg_ms"] .dh-band[data-band="DOWN"]',
      (el) => {
        const box = el.getBoundingClientRect();
        const under = (el.parentElement as HTMLElement).getBoundingClientRect();
        const hist = el.closest('[data-device-history]') as HTMLElement;
        return {
          from: Number((el as HTMLElement).dataset['from']),
          to: Number((el as HTMLElement).dataset['to']),
          left: box.left - under.left,
          width: box.width,
          plotWidth: under.width,
          rangeFrom: Number(hist.dataset['from']),
          rangeTo: Number(hist.dataset['to']),
        };
      },
    );
    expect(band.from).to.equal(down.at);
    expect(band.to).to.equal(up.at);
    // Where on the x axis: the outage happened in the last minutes of the 24 h window.
    const expectedLeft = ((down.at - band.rangeFrom) / (band.rangeTo - band.rangeFrom)) * band.plotWidth;
    expect(band.left).to.be.closeTo(expectedLeft, 2);
    expect(band.left / band.plotWidth).to.be.greaterThan(0.99);
    // The curves are there: the latency series has points from the embedded history.
    expect(
      Number(await page.getAttribute('.drawer.open .dh-chart[data-chart="rtt_avg_ms"]', 'data-points')),
    ).to.be.greaterThan(0);
    // And the band is red (DOWN colour), under the plot.
    const color = await page.$eval(
      '.drawer.open .dh-band[data-band="DOWN"]',
      (el) => getComputedStyle(el).backgroundColor,
    );
    expect(color).to.equal('rgb(239, 68, 68)');
    // 7 d: the same outage, still a band (narrower).
    await page.click('.drawer.open .dh-range[data-range="7d"]');
    await page.waitForSelector('.drawer.open [data-device-history][data-range="7d"] .dh-band[data-band="DOWN"]', {
      timeout: 15_000,
    });
  });
});
