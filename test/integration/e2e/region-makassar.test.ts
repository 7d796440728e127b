import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../core/config/load.js';
import { createLogger } from '../../../core/logger.js';
import { startLab, type Lab } from '../../../simulator/lab.js';
import { startPantau, type RunningPantau } from '../../../server/main.js';
import { launchChromium } from '../../helpers/chromium.js';

/**
 * Issue 13: the second example network (config/examples/makassar: Kota Makassar, WITA, 300 devices)
 * runs end to end: the lab stands in for its devices, pantau polls them with the example's config
 * (faster intervals and a temp store: the only changes, so the test takes seconds), and the NOC page
 * shows Makassar's 300 devices, its 15 kecamatan, times in WITA, and an outage in one kecamatan.
 */
const EXAMPLE = 'config/examples/makassar';
const PASSWORD = 'rahasia-noc-123';
const CUT = 'gen-d03';

describe('e2e/region: the Makassar example network (WITA) in Chromium', function () {
  this.timeout(240_000);
  let dir: string;
  let lab: Lab;
  let pantau: RunningPantau;
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync('test/artifacts', { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'pantau-mks-'));
    const cfg = parse(readFileSync(join(EXAMPLE, 'pantau.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    cfg['inventory'] = [resolve(EXAMPLE, 'inventory/makassar.yaml')] as never;
    cfg['region'] = resolve(EXAMPLE, 'region.yaml') as never;
    cfg['collector'] = { ...cfg['collector'], intervals: { icmp: 2, snmp: 20, onvif: 60 }, traps: { enabled: false } };
    cfg['alerting'] = { ...cfg['alerting'], downAfter: 2, upAfter: 1, tickS: 0.5 };
    cfg['store'] = { path: join(dir, 'pantau.db') };
    cfg['server'] = { ...cfg['server'], port: 0, tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' };
    cfg['logLevel'] = 'warn' as never;
    const configPath = join(dir, 'pantau.yaml');
    writeFileSync(configPath, stringify(cfg));
    const logger = createLogger({ level: 'warn' });
    const loaded = loadConfig(configPath, {});
    expect(loaded.inventory.devices).to.have.length(300);
    lab = await startLab({ inventory: loaded.inventory, netns: 'none', trapTarget: null, logger });
    pantau = await startPantau({ configPath, env: {}, logger, host: '127.0.0.1', port: 0, loaded });
    await pantau.server.users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: ['noc'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`http://127.0.0.1:${pantau.port}`);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForFunction(
      () => ((window as unknown as { __pantau?: { snapshots: number } }).__pantau?.snapshots ?? 0) > 0,
      null,
      { timeout: 20_000 },
    );
  });
  after(async () => {
    await browser?.close();
    await pantau?.stop().catch(() => undefined);
    await lab?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows Makassar: 300 devices UP, its 15 kecamatan in the filter, the clock in WITA', async () => {
    await page.waitForFunction(
      () => {
        const p = (
          window as unknown as {
            __pantau: { live: { statuses: Map<string, { state: string }> }; stats(): { markers: number } };
          }
        ).__pantau;
        return (
          p.stats().markers === 300 && [...p.live.statuses.values()].filter((s) => s.state === 'UP').length === 300
        );
      },
      null,
      { timeout: 60_000, polling: 250 },
    );
    expect(await page.textContent('.brand-sub')).to.equal('NOC Makassar');
    const kec = await page.locator('select[aria-label] option').allTextContents();
    expect(kec).to.include.members(['Mariso', 'Tallo', 'Biringkanaya', 'Kepulauan Sangkarrang']);
    expect(kec).to.not.include('Lengkiti');
    await page.waitForFunction(() => /WITA$/.test(document.querySelector('.clock')?.textContent ?? ''), null, {
      timeout: 5000,
    });
    // The clock reads UTC+8 (checked within a minute of the machine's clock).
    const shown = (await page.textContent('.clock'))!.match(/(\d{2})\.(\d{2})/)!;
    const utc8 = new Date(Date.now() + 8 * 3600_000);
    const diff = Math.abs(Number(shown[1]) * 60 + Number(shown[2]) - (utc8.getUTCHours() * 60 + utc8.getUTCMinutes()));
    expect(Math.min(diff, 1440 - diff)).to.be.at.most(1);
  });

  it('an outage of one kecamatan node shows one alert, in that kecamatan, with its time in WITA', async () => {
    const kecamatan = pantau.loaded.inventory.byId.get(CUT)!.kecamatan;
    await lab.fault(CUT, { kind: 'down' }, { subtree: true });
    await page.waitForSelector(`.alert[data-device-id="${CUT}"]`, { timeout: 30_000 });
    expect(await page.textContent(`.alert[data-device-id="${CUT}"] .alert-meta`)).to.include(kecamatan);
    expect(await page.getAttribute(`.alert[data-device-id="${CUT}"] .alert-meta span[title]`, 'title')).to.match(
      / WITA$/,
    );
    const res = await fetch(`http://127.0.0.1:${pantau.port}/api/alerts?kecamatan=${encodeURIComponent(kecamatan)}`, {
      headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { alerts: { deviceId: string }[] }).alerts.map((a) => a.deviceId)).to.include(CUT);
    const okuFilter = await fetch(`http://127.0.0.1:${pantau.port}/api/alerts?kecamatan=Lengkiti`, {
      headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(okuFilter.status).to.equal(400);
    await page.screenshot({ path: 'test/artifacts/region-makassar.png' });
  });
});
