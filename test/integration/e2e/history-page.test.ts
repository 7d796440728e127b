/**
 * The history page in Chromium over the shipped config (pantau start without the collector, over
 * a store holding a week of alerts): the table shows what GET /api/history/alerts returns for the
 * same filters, paging is server-side, and "Ekspor CSV" downloads exactly the filtered rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { createLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { ALERTING_MIGRATIONS } from '../../../alerting/store/migrations.js';
import { createRepo } from '../../../alerting/store/repo.js';
import { startPantau, type RunningPantau } from '../../../server/main.js';
import type { Alert } from '../../../core/types.js';

const PASSWORD = 'rahasia-riwayat-1';
const H = 3600_000;

describe('e2e/history page (Chromium)', function () {
  this.timeout(180_000);
  let dir: string;
  let pantau: RunningPantau;
  let browser: Browser;
  let page: Page;
  let base: string;
  const now = Date.now();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-history-'));
    // The shipped config; only the store path and port differ (a private temp store, any free port).
    const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, unknown>;
    cfg['inventory'] = [resolve('config/inventory/oku.yaml')];
    (cfg['alerting'] as Record<string, unknown>)['rulesFile'] = resolve('config/rules/default.yaml');
    cfg['store'] = { path: join(dir, 'pantau.db') };
    cfg['logLevel'] = 'warn';
    writeFileSync(join(dir, 'pantau.yaml'), stringify(cfg));
    // 120 alerts over the last 5 days: kecamatan, types and severities mixed; some acknowledged twice.
    const store = openStore(join(dir, 'pantau.db'));
    store.migrate('alerting', ALERTING_MIGRATIONS);
    const repo = createRepo(store.db);
    const kec = ['Baturaja Timur', 'Lengkiti', 'Semidang Aji'];
    for (let i = 0; i < 120; i++) {
      const opened = now - 5 * 24 * H + i * H;
      const a: Alert = {
        id: repo.nextAlertId(),
        key: `device_down:fo-x-${i}`,
        rule: 'device_down',
        deviceId: `fo-baturaja-timur-${String((i % 40) + 1).padStart(2, '0')}`,
        deviceType: i % 3 === 0 ? 'cctv' : 'fiber',
        kecamatan: kec[i % 3]!,
        severity: i % 4 === 0 ? 'critical' : 'warning',
        status: 'resolved',
        messageKey: 'alert.device_down',
        params: {},
        title: `Gangguan uji nomor ${i}`,
        affected: i % 5 === 0 ? ['cctv-01', 'wifi-01'] : [],
        openedAt: opened,
        updatedAt: opened + 30 * 60_000,
        resolvedAt: opened + 30 * 60_000,
      };
      repo.insertAlert(a);
      if (i % 7 === 0) {
        repo.history(a.id, opened + 60_000, 'acknowledged', 'budi', { comment: 'menuju lokasi' });
        repo.history(a.id, opened + 120_000, 'acknowledged', 'sari', null);
      }
    }
    store.close();
    pantau = await startPantau({
      configPath: join(dir, 'pantau.yaml'),
      env: {},
      logger: createLogger({ level: 'warn' }),
      host: '127.0.0.1',
      port: 0,
      noCollector: true,
    });
    await pantau.server.users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: [] });
    base = `http://127.0.0.1:${pantau.port}`;
    browser = await launchChromium();
    const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1500, height: 900 } });
    page = await ctx.newPage();
    await page.goto(`${base}/riwayat`);
    await page.fill('input[name=username]', 'operator');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
  });
  after(async () => {
    await browser?.close();
    await pantau?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (path: string) =>
    page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<{ total: number; alerts: { id: string }[] }>;
  const tableIds = () => page.$$eval('tr[data-alert]', (rows) => rows.map((r) => (r as HTMLElement).dataset['alert']));

  it('shows the first server page of the last 7 days, as the API returns it', async () => {
    await page.waitForSelector('tr[data-alert]', { timeout: 30_000 });
    const count = await page.getAttribute('[data-count]', 'data-count');
    expect(Number(count)).to.equal(120);
    const ids = await tableIds();
    expect(ids).to.have.length(50);
    expect(await page.textContent('.hp-count')).to.equal('1–50 dari 120');
    await page.click('text=Berikutnya ›');
    await page.waitForFunction(() => document.querySelector('.hp-count')?.textContent === '51–100 dari 120');
    const p2 = await tableIds();
    expect(p2[0]).to.not.equal(ids[0]);
  });

  it('filters by kecamatan, severity and text, shows exactly the API rows, and exports them as CSV', async () => {
    await page.selectOption('select[name=kecamatan]', 'Lengkiti');
    await page.selectOption('select[name=severity]', 'critical');
    await page.fill('input[name=q]', 'uji');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.hp-count')?.textContent?.startsWith('1–'));
    const from = await page.$eval('input[name=from]', (e) => (e as HTMLInputElement).value);
    const expected = await api(
      `/api/history/alerts?kecamatan=Lengkiti&severity=critical&q=uji&from=${Date.parse(`${from}T00:00:00Z`) - 7 * H}&to=${Date.now() + 48 * H}&pageSize=500`,
    );
    expect(expected.total).to.be.greaterThan(3);
    const ids = await tableIds();
    expect(ids).to.deep.equal(expected.alerts.map((a) => a.id));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export]')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).to.match(/^id,dibuka,diakui_pertama,semua_pengakuan,selesai,durasi_menit/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).to.deep.equal(ids);
    expect(lines.slice(1).every((l) => l.includes(',Lengkiti,'))).to.equal(true);
    // All acknowledgements, in WIB.
    // Alert 28 (Lengkiti, critical) was acknowledged twice.
    const acked = lines.find((l) => l.includes('budi'));
    expect(acked, 'the twice-acknowledged alert').to.be.a('string');
    expect(acked).to.match(/budi \d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIB: menuju lokasi \| sari /);
  });
});
