import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buildInventory } from '../../../core/inventory/topology.js';
import { silentLogger } from '../../../core/logger.js';
import type { Device } from '../../../core/types.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startFixture, PASSWORD, type Fixture } from '../server/fixture.js';

interface Hook {
  live: { devices: Map<string, unknown>; statuses: Map<string, { state: string }> };
  snapshots: number;
  stats(): { markers: number; visible: number; edges: Record<string, number> };
}

describe('e2e/inventory reload on the open NOC page (Chromium)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    const webDist = await ensureWebBuilt(silentLogger());
    fx = await startFixture({ webDist });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await fx?.stop();
  });

  it('adds and removes markers without a reload and closes the drawer of a removed device', async () => {
    const inv = fx.inventory;
    await page.goto(fx.base);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForFunction(
      (n) => (window as unknown as { __pantau?: Hook }).__pantau?.stats()?.markers === n,
      inv.devices.length,
      { timeout: 30_000 },
    );

    // Two leaf Wi-Fi points go, one new one comes; the drawer shows one of the leaving devices.
    const leaves = inv.devices.filter((d) => d.type === 'wifi' && inv.children(d.id).length === 0).slice(0, 2);
    const gone = leaves.map((d) => d.id);
    const added: Device = {
      ...leaves[0]!,
      id: 'wifi-baru-01',
      name: 'Wi-Fi Baru',
      address: '127.22.250.1',
      lat: leaves[0]!.lat + 0.01,
    };
    await page.fill('input.search', gone[0]!);
    await page.click('.result');
    await page.waitForSelector('.drawer.open');
    // Clear the search (it filters the map too): the whole network is on the map again.
    await page.fill('input.search', '');
    await page.waitForFunction(
      (n) => (window as unknown as { __pantau: Hook }).__pantau.stats().visible === n,
      inv.devices.length,
      { timeout: 10_000 },
    );
    const snapshots = await page.evaluate(() => (window as unknown as { __pantau: Hook }).__pantau.snapshots);

    fx.server.updateInventory(buildInventory([...inv.devices.filter((d) => !gone.includes(d.id)), added]));

    const want = inv.devices.length - 1;
    await page
      .waitForFunction(
        ({ want, gone }) => {
          const h = (window as unknown as { __pantau: Hook }).__pantau;
          return (
            h.stats().markers === want &&
            h.live.devices.has('wifi-baru-01') &&
            gone.every((id) => !h.live.devices.has(id))
          );
        },
        { want, gone },
        { timeout: 15_000 },
      )
      .catch(async (err: unknown) => {
        const seen = await page.evaluate((gone) => {
          const h = (window as unknown as { __pantau: Hook }).__pantau;
          return {
            markers: h.stats().markers,
            added: h.live.devices.has('wifi-baru-01'),
            gone: gone.map((id) => h.live.devices.has(id)),
          };
        }, gone);
        throw new Error(`page did not follow the reload: ${JSON.stringify(seen)} ${pageErrors.join('; ')}`, {
          cause: err,
        });
      });
    const stats = await page.evaluate(() => (window as unknown as { __pantau: Hook }).__pantau.stats());
    expect(stats.visible).to.equal(want);
    expect(Object.values(stats.edges).reduce((a, b) => a + b, 0)).to.equal(want - 1);
    await page.waitForSelector('.drawer.open', { state: 'detached', timeout: 5000 });
    // It came as a delta, not as a page reload or a second snapshot.
    expect(await page.evaluate(() => (window as unknown as { __pantau: Hook }).__pantau.snapshots)).to.equal(snapshots);
    expect(pageErrors).to.deep.equal([]);
  });
});
