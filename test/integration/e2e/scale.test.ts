import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildInventory } from '../../../core/inventory/topology.js';
import type { Device } from '../../../core/types.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { silentLogger } from '../../../core/logger.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startFixture, PASSWORD, type Fixture } from '../server/fixture.js';

/** 10,000 devices: core → 40 distribution → 10 access each → ONTs/cameras/APs below. */
function bigInventory(n = 10_000) {
  const devices: Device[] = [];
  const add = (id: string, parent: string | null, role: Device['role'], type: Device['type'], i: number) => {
    devices.push({
      id,
      name: id,
      type,
      role,
      kecamatan: 'Baturaja Timur',
      lat: -4.6 + (i % 100) * 0.008,
      lon: 103.7 + Math.floor(i / 100) * 0.008,
      address: `127.${24 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      parent,
      vendor: 'generic',
      tags: [],
      probes: { icmp: { enabled: true } },
    } as Device);
  };
  add('core', null, 'core', 'fiber', 0);
  const access: string[] = [];
  for (let d = 0; d < 40; d++) {
    add(`dist-${d}`, 'core', 'distribution', 'fiber', devices.length);
    for (let a = 0; a < 10; a++) {
      const id = `acc-${d}-${a}`;
      add(id, `dist-${d}`, 'access', 'fiber', devices.length);
      access.push(id);
    }
  }
  for (let i = 0; devices.length < n; i++) {
    const kind = i % 5;
    add(
      `leaf-${i}`,
      access[i % access.length]!,
      kind === 0 ? 'camera' : kind === 1 ? 'ap' : 'ont',
      kind === 0 ? 'cctv' : kind === 1 ? 'wifi' : 'fiber',
      devices.length,
    );
  }
  return buildInventory(devices);
}

describe('e2e/scale (Chromium, 10,000 devices)', function () {
  this.timeout(180_000);
  let fx: Fixture;
  let browser: Browser;

  before(async () => {
    const webDist = await ensureWebBuilt(silentLogger());
    fx = await startFixture({ webDist, inventory: bigInventory() });
    mkdirSync('test/artifacts', { recursive: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await fx?.stop();
  });

  it('draws 10,000 markers and applies a 1,000-device outage without stalling the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(fx.base);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', PASSWORD);
    const t0 = Date.now();
    await page.click('button[type=submit]');
    await page.waitForFunction(
      () =>
        (window as unknown as { __pantau?: { stats(): { markers: number } | undefined } }).__pantau?.stats()
          ?.markers === 10_000,
      null,
      { timeout: 60_000 },
    );
    const firstRender = Date.now() - t0;

    // Long tasks on the page while a big branch goes down: the map must keep answering.
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ entryTypes: ['longtask'] });
    });
    const below =
      fx.inventory.descendants('dist-0').length +
      fx.inventory.descendants('dist-1').length +
      fx.inventory.descendants('dist-2').length +
      fx.inventory.descendants('dist-3').length +
      4;
    const t1 = Date.now();
    for (const d of ['dist-0', 'dist-1', 'dist-2', 'dist-3']) fx.alerting.cut(d);
    await page.waitForFunction(
      (n) => {
        const p = (window as unknown as { __pantau: { stats(): { edges: Record<string, number> } } }).__pantau.stats();
        return (p.edges['DOWN'] ?? 0) + (p.edges['UNREACHABLE'] ?? 0) === n;
      },
      below,
      { timeout: 60_000, polling: 100 },
    );
    const outage = Date.now() - t1;
    const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
    console.log(
      `      10,000 devices: first render ${firstRender} ms; ${below}-device outage on the map in ${outage} ms; longest task ${Math.round(longest)} ms`,
    );
    expect(below).to.be.greaterThan(900);
    const alerts = await page.locator('.alert.sev-critical').count();
    expect(alerts).to.equal(4);
    await page.screenshot({ path: 'test/artifacts/noc-10k.png' });
  });
});
