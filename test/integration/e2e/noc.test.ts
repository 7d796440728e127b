import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { PASSWORD, startStack, type Stack } from './stack.js';

const CUT = 'fo-lengkiti';
const ARTIFACTS = 'test/artifacts';

interface Hook {
  live: {
    statuses: Map<string, { state: string }>;
    alerts: Map<string, { id: string; deviceId: string; status: string; severity: string }>;
  };
  snapshots: number;
  alarms: number;
  stats(): { markers: number; visible: number; edges: Record<string, number> };
  conn(): string;
}
declare global {
  interface Window {
    __pantau: Hook;
  }
}

async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => (window.__pantau?.snapshots ?? 0) > 0, null, { timeout: 20_000 });
}

const statesOf = (page: Page, ids: string[]) =>
  page.evaluate((ids) => ids.map((id) => window.__pantau.live.statuses.get(id)?.state ?? 'UNKNOWN'), ids);

describe('e2e/noc (Chromium, real lab + collector + alerting)', function () {
  this.timeout(240_000);
  let stack: Stack;
  let browser: Browser;
  let op: Page;
  let below: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The shipped inventory with the twelve public applications, served by the lab over HTTPS (its own CA).
    stack = await startStack({ services: true });
    below = stack.pantau.loaded.inventory.descendants(CUT).map((d) => d.id);
    expect(below.length).to.be.greaterThan(3);
    browser = await launchChromium();
    op = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    op.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    op.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('logs in and draws all 239 devices (227 network devices, 12 public applications)', async () => {
    await login(op, stack.base, 'operator');
    const stats = await op.evaluate(() => window.__pantau.stats());
    expect(stats.markers).to.equal(239);
    expect(stats.visible).to.equal(239);
    // uplinks: every device but the core has one
    expect(Object.values(stats.edges).reduce((a, b) => a + b, 0)).to.equal(238);
    expect(await op.textContent('[data-conn]')).to.equal('Langsung');
    // the test's tile server does not exist: the page says so and keeps drawing (a NOC without internet)
    await op.waitForSelector('.offline-badge:not(.hidden)', { timeout: 15_000 });
    // the lab answers: the branch comes up before we cut it
    await op.waitForFunction(
      (ids) => ids.every((id) => window.__pantau.live.statuses.get(id)?.state === 'UP'),
      [CUT, ...below],
      { timeout: 60_000 },
    );
  });

  it('a fiber cut in the lab turns the branch red and shows one alert within 15 s', async () => {
    const alarmsBefore = await op.evaluate(() => window.__pantau.alarms);
    const t0 = Date.now();
    await stack.lab.fault(CUT, { kind: 'down' }, { subtree: true });
    await op.waitForFunction(
      ({ cut, below }) => {
        // no named helpers in page functions: tsx's keepNames would reference __name in the page
        const st = window.__pantau.live.statuses;
        return (
          st.get(cut)?.state === 'DOWN' &&
          below.every((id: string) => st.get(id)?.state === 'UNREACHABLE') &&
          document.querySelectorAll(`.alert[data-device-id="${cut}"]`).length === 1
        );
      },
      { cut: CUT, below },
      { timeout: 15_000, polling: 100 },
    );
    const elapsed = Date.now() - t0;
    const stats = await op.evaluate(() => window.__pantau.stats());
    expect(stats.edges['DOWN']).to.equal(1);
    expect(stats.edges['UNREACHABLE']).to.equal(below.length);
    // root cause: one alert for the cut, none for the devices behind it
    const behind = await op.evaluate(
      (ids) => ids.filter((id) => document.querySelector(`.alert[data-device-id="${id}"]`)).length,
      below,
    );
    expect(behind).to.equal(0);
    const cls = await op.getAttribute(`.alert[data-device-id="${CUT}"]`, 'class');
    expect(cls).to.include('sev-critical').and.include('blink');
    expect(await op.evaluate(() => window.__pantau.alarms)).to.equal(alarmsBefore + 1); // one beep for one cut
    expect(await op.getAttribute('.shell', 'class')).to.include('alarm');
    await op.screenshot({ path: `${ARTIFACTS}/noc-fiber-cut.png` });
    console.log(`      fiber cut visible after ${elapsed} ms`);
  });

  it('an operator acknowledges it with a comment', async () => {
    await op.click(`.alert[data-device-id="${CUT}"] [data-ack]`);
    await op.fill('.modal textarea[name=comment]', 'Tim menuju lokasi');
    await op.click('[data-confirm-ack]');
    await op.waitForSelector(`.alert[data-device-id="${CUT}"].st-acknowledged`, { timeout: 10_000 });
    expect(await op.textContent(`.alert[data-device-id="${CUT}"] .alert-ack`))
      .to.include('operator')
      .and.include('Tim menuju lokasi');
    const alerts = stack.pantau.server.hub
      ? ((await (
          await fetch(`${stack.base}/api/alerts?deviceId=${CUT}`, { headers: { cookie: await cookieOf(op) } })
        ).json()) as { alerts: { status: string }[] })
      : { alerts: [] };
    expect(alerts.alerts[0]?.status).to.equal('acknowledged');
  });

  it('a second acknowledgement adds a line; the list and the drawer show both', async () => {
    await op.click(`.alert[data-device-id="${CUT}"] [data-ack]`);
    await op.fill('.modal textarea[name=comment]', 'Tim kedua berangkat');
    await op.click('[data-confirm-ack]');
    await op.waitForSelector(`.alert[data-device-id="${CUT}"] .alert-acks[data-acks="2"]`, { timeout: 10_000 });
    await op.click(`.alert[data-device-id="${CUT}"] .alert-title`);
    await op.waitForSelector('.drawer.open .mini-alert .alert-acks[data-acks="2"]', { timeout: 5000 });
    const lines = await op.locator('.drawer.open .mini-alert .alert-ack').allTextContents();
    expect(lines).to.have.length(2);
    expect(lines[0]).to.include('Tim menuju lokasi');
    expect(lines[1]).to.include('Tim kedua berangkat').and.include('WIB');
    await op.click('.drawer.open .drawer-head .btn-icon');
  });

  it('switches to English and back; kiosk mode hides the controls', async () => {
    const title = `.alert[data-device-id="${CUT}"] .alert-title`;
    expect(await op.textContent(title)).to.match(/perangkat tidak terjangkau/);
    await op.click('[data-lang-switch]');
    expect(await op.textContent('[data-conn]')).to.equal('Live');
    expect(await op.textContent(title)).to.match(/devices unreachable/);
    expect(await op.getAttribute('html', 'lang')).to.equal('en');
    await op.click('[data-lang-switch]');
    expect(await op.textContent('[data-conn]')).to.equal('Langsung');
    // the test's tile server does not exist: the page says so and keeps drawing (a NOC without internet)
    await op.waitForSelector('.offline-badge:not(.hidden)', { timeout: 15_000 });
    await op.click('.btn-kiosk');
    expect(await op.isVisible('.filters')).to.equal(false);
    expect(await op.isVisible(`.alert[data-device-id="${CUT}"]`)).to.equal(true);
    await op.screenshot({ path: `${ARTIFACTS}/noc-kiosk.png` });
    await op.click('.btn-kiosk');
    expect(await op.isVisible('.filters')).to.equal(true);
  });

  it('opens the device drawer with state, root cause and sparklines', async () => {
    const child = below[0]!;
    await op.fill('input.search', child);
    await op.click('.results .result');
    await op.waitForSelector('.drawer.open [data-state="UNREACHABLE"]', { timeout: 5000 });
    expect(await op.textContent('.drawer.open .root-cause')).to.include(
      stack.pantau.loaded.inventory.byId.get(CUT)!.name,
    );
    expect(await op.getAttribute('.drawer.open .btn-nav', 'href')).to.match(
      /^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&destination=-?\d/,
    );
    await op.click(`.drawer.open .facts .link`); // jump to the uplink
    await op.waitForFunction(
      (cut) => document.querySelector('.drawer.open .drawer-title')?.textContent === cut,
      stack.pantau.loaded.inventory.byId.get(CUT)!.name,
    );
    // the cut node was UP with a history before: its latency sparkline has points (in-memory metrics)
    await op.waitForSelector('.drawer.open .chart svg.spark', { timeout: 10_000 });
    // a healthy device's latency moves live: points arrive over the socket, not by reloading history
    await op.fill('input.search', 'fo-core');
    await op.click('.results .result');
    const rtt = '.drawer.open .chart[data-field="rtt_avg_ms"]';
    await op.waitForSelector(`${rtt}[data-points]`, { timeout: 10_000 });
    const n0 = Number(await op.getAttribute(rtt, 'data-points'));
    await op.waitForFunction(
      ({ sel, n0 }) => Number(document.querySelector(sel)?.getAttribute('data-points')) > n0,
      { sel: rtt, n0 },
      { timeout: 10_000 },
    );
    await op.click('.drawer.open .drawer-head .btn-icon');
    await op.fill('input.search', '');
  });

  it('a viewer sees the alert but cannot acknowledge', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const v = await ctx.newPage();
    try {
      await login(v, stack.base, 'viewer');
      await v.waitForSelector(`.alert[data-device-id="${CUT}"]`, { timeout: 10_000 });
      expect(await v.locator('[data-ack]').count()).to.equal(0);
      const id = await v.getAttribute(`.alert[data-device-id="${CUT}"]`, 'data-alert-id');
      const status = await v.evaluate(
        async (id) =>
          (
            await fetch(`/api/alerts/${id}/ack`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
            })
          ).status,
        id,
      );
      expect(status).to.equal(403);
    } finally {
      await ctx.close();
    }
  });

  it('after a server restart the open page reconnects and shows the right state', async () => {
    const before = await op.evaluate(() => window.__pantau.snapshots);
    await stack.restart();
    await op.waitForFunction((n) => window.__pantau.snapshots > n && window.__pantau.conn() === 'live', before, {
      timeout: 30_000,
    });
    // state survives the restart (alerting restores from SQLite) and is what the page shows
    await op.waitForFunction((cut) => window.__pantau.live.statuses.get(cut)?.state === 'DOWN', CUT, {
      timeout: 20_000,
    });
    expect(await op.locator(`.alert[data-device-id="${CUT}"]`).count()).to.equal(1);
    expect(await op.getAttribute(`.alert[data-device-id="${CUT}"]`, 'class')).to.include('st-acknowledged');
    expect(await statesOf(op, below)).to.satisfy((s: string[]) => s.every((x) => x === 'UNREACHABLE'));
    // and recovery reaches the page too
    await stack.lab.clear(CUT);
    await op.waitForFunction(
      ({ cut, below }) =>
        [cut, ...below].every((id: string) => window.__pantau.live.statuses.get(id)?.state === 'UP') &&
        document.querySelectorAll(`.alert[data-device-id="${cut}"]`).length === 0,
      { cut: CUT, below },
      { timeout: 30_000 },
    );
  });

  it('an operator starts maintenance on a branch from the drawer; the page shows it', async () => {
    const inv = stack.pantau.loaded.inventory;
    const node = inv.devices.find(
      (d) => d.role === 'distribution' && d.id !== CUT && d.id !== 'fo-baturaja-barat' && inv.children(d.id).length > 0,
    )!;
    const kids = inv.descendants(node.id).map((d) => d.id);
    await op.fill('input.search', node.id);
    await op.click('.results .result');
    await op.waitForSelector(`.drawer.open [data-maintenance="${node.id}"]`);
    expect(await op.isChecked('.drawer.open input[name=subtree]')).to.equal(true);
    await op.click(`.drawer.open [data-maintenance="${node.id}"]`);
    await op.waitForFunction(
      (ids) => ids.every((id: string) => window.__pantau.live.statuses.get(id)?.state === 'MAINTENANCE'),
      [node.id, ...kids],
      { timeout: 15_000 },
    );
    await op.click('.drawer.open .drawer-head .btn-icon');
    await op.fill('input.search', '');
    await op.waitForFunction((n) => window.__pantau.stats().edges['MAINTENANCE'] === n, kids.length + 1, {
      timeout: 5000,
    });
    // end it again through the API, as an operator's script would
    const cookie = await cookieOf(op);
    const { windows } = (await (await fetch(`${stack.base}/api/maintenance`, { headers: { cookie } })).json()) as {
      windows: { id: string; deviceId: string; createdBy: string }[];
    };
    const w = windows.find((x) => x.deviceId === node.id)!;
    expect(w.createdBy).to.equal('operator');
    expect(
      (await fetch(`${stack.base}/api/maintenance/${w.id}`, { method: 'DELETE', headers: { cookie } })).status,
    ).to.equal(200);
    await op.waitForFunction((id) => window.__pantau.live.statuses.get(id)?.state !== 'MAINTENANCE', node.id, {
      timeout: 15_000,
    });
  });

  it('lists the public applications with state and latency; an HTTP 500 in the lab changes the shown state', async () => {
    const services = stack.pantau.loaded.inventory.devices.filter((d) => d.type === 'service');
    expect(services).to.have.length(12);
    const rows = '.services .svc-row';
    await op.waitForFunction(
      ({ rows, n }) =>
        document.querySelectorAll(`${rows}.st-up`).length === n &&
        [...document.querySelectorAll(`${rows} .svc-ms`)].every((e) => /^\d+$/.test(e.getAttribute('data-latency')!)),
      { rows, n: services.length },
      { timeout: 30_000 },
    );
    const shown = await op.$$eval(rows, (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-service-id'),
        name: e.querySelector('.svc-name')!.textContent,
        state: e.querySelector('.svc-state')!.textContent,
        ms: e.querySelector('.svc-ms')!.textContent,
      })),
    );
    expect(shown.map((r) => [r.id, r.name])).to.have.deep.members(services.map((d) => [d.id, d.name]));
    for (const r of shown) {
      expect(r.state, r.name!).to.equal('Normal');
      expect(r.ms, r.name!).to.match(/^\d+ ms$/);
    }
    expect(await op.textContent('.services .svc-sum')).to.equal('12/12 normal');

    await stack.lab.fault('svc-sip', { kind: 'http-status', status: 500 });
    const sip = `${rows}[data-service-id="svc-sip"]`;
    await op.waitForSelector(`${sip}.st-down`, { timeout: 20_000 });
    expect(await op.textContent(`${sip} .svc-state`)).to.equal('Mati');
    expect(await op.textContent('.services .svc-sum')).to.equal('11/12 normal');
    expect(await op.getAttribute('.services .svc-head', 'class')).to.include('svc-down');
    expect(await op.locator(`${rows}.st-up`).count()).to.equal(11);
    // its alert says why, like the engine's title (the failing application, not the network)
    await op.waitForSelector('.alert[data-device-id="svc-sip"]', { timeout: 10_000 });
    expect(await op.textContent('.alert[data-device-id="svc-sip"] .alert-title')).to.equal(
      'SIP mati: aplikasi menjawab dengan kode status HTTP yang tidak diharapkan',
    );
    await stack.lab.clear('svc-sip');
    await op.waitForSelector(`${sip}.st-up`, { timeout: 20_000 });
  });

  it('keeps a screenshot of the NOC view and the phone view', async () => {
    await stack.lab.fault('fo-baturaja-barat', { kind: 'down' }, { subtree: true });
    await op.waitForFunction(
      () =>
        window.__pantau.live.statuses.get('fo-baturaja-barat')?.state === 'DOWN' &&
        document.querySelector('.alert.sev-critical[data-device-id="fo-baturaja-barat"]') !== null,
      null,
      { timeout: 20_000 },
    );
    await op.click('.map-home'); // the whole network, not the site the last test zoomed into
    await op.waitForTimeout(500); // for the screenshot only (the map draws in requestAnimationFrame batches): no assertion depends on it
    await op.screenshot({ path: `${ARTIFACTS}/noc.png` });
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    await login(phone, stack.base, 'operator');
    await phone.waitForSelector('.alert[data-device-id="fo-baturaja-barat"]', { timeout: 10_000 });
    await phone.screenshot({ path: `${ARTIFACTS}/noc-phone.png` });
    await ctx.close();
    await stack.lab.clear('fo-baturaja-barat');
    // the strict CSP (no inline script/style) held for everything the page did
    expect(cspViolations, cspViolations.join('\n')).to.deep.equal([]);
    expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
  });
});

async function cookieOf(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}
