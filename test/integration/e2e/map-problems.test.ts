/**
 * The map never hides or loses a problem (issue 11, item 3), in Chromium with the OKU inventory:
 * devices go DOWN, UNREACHABLE, DEGRADED and back while the map is zoomed out (clusters) and in
 * (single markers). After every step, every device is checked: it is in the cluster group, a problem
 * has its own marker that is the topmost element at its spot (never under a bubble), the bubble it is
 * folded into is coloured by its worst member, and a healthy device has no problem marker left over.
 * The engine is the test's fake (test/helpers/fake-alerting.ts) publishing on the real bus, so each
 * transition happens exactly when the test says.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { silentLogger } from '../../../core/logger.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { launchChromium } from '../../helpers/chromium.js';
import { PASSWORD, startFixture, type Fixture } from '../server/fixture.js';

interface Place {
  state: string;
  clustered: boolean;
  single: boolean;
  bubble: string | null;
  problem: { x: number; y: number } | null;
  at: { x: number; y: number };
  fill: string;
}
interface Hook {
  live: { devices: Map<string, unknown>; statuses: Map<string, { state: string }> };
  snapshots: number;
  map(): {
    inspect(id: string): Place | undefined;
    view(c?: [number, number], z?: number): { zoom: number; center: [number, number] };
    stats(): { ready: boolean; problems: number; labels: number };
  };
}
/** Page functions cannot call test helpers (tsx's keepNames), so they cast window themselves. */
type W = { __pantau: Hook };

const RANK: Record<string, number> = { DOWN: 0, UNREACHABLE: 1, DEGRADED: 2, MAINTENANCE: 3, UNKNOWN: 4, UP: 5 };
const PROBLEM = new Set(['DOWN', 'UNREACHABLE', 'DEGRADED']);

async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(
    () =>
      ((window as unknown as W).__pantau?.snapshots ?? 0) > 0 && (window as unknown as W).__pantau.map()?.stats().ready,
    null,
    { timeout: 30_000 },
  );
}

/** Every device's place on the map, after the map's frame (state changes are applied on the next animation frame). */
async function places(page: Page): Promise<Record<string, Place>> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const out: Record<string, Place> = {};
    for (const id of (window as unknown as W).__pantau.live.devices.keys())
      out[id] = (window as unknown as W).__pantau.map().inspect(id)!;
    return out;
  });
}

/** The invariants of a truthful map; returns what is wrong, so a failure names the device. */
async function violations(page: Page): Promise<string[]> {
  const all = await places(page);
  const bad: string[] = [];
  const topmost: { id: string; x: number; y: number }[] = [];
  for (const [id, p] of Object.entries(all)) {
    if (!p.clustered) bad.push(`${id}: lost (not in the cluster group)`);
    if (PROBLEM.has(p.state) && !p.problem) bad.push(`${id}: ${p.state} without its own marker`);
    if (!PROBLEM.has(p.state) && p.problem) bad.push(`${id}: ${p.state} with a left-over problem marker`);
    if (p.bubble) {
      const m = /cluster-(\w+)/.exec(p.bubble);
      const bubbleState = m ? m[1]!.toUpperCase() : 'UP';
      if (RANK[bubbleState]! > RANK[p.state]!) bad.push(`${id}: ${p.state} inside a ${bubbleState} bubble`);
    }
    if (p.problem) topmost.push({ id, ...p.problem });
  }
  // The problem marker is what the operator sees at that spot: no bubble above it.
  const hidden = await page.evaluate(
    (pts) =>
      pts
        .filter((p) => {
          if (p.x < 0 || p.y < 0 || p.x > innerWidth || p.y > innerHeight) return false; // off screen
          const el = document.elementFromPoint(p.x, p.y);
          return el !== null && el.closest('.cluster') !== null;
        })
        .map((p) => p.id),
    topmost,
  );
  for (const id of hidden) bad.push(`${id}: problem marker under a cluster bubble`);
  return bad;
}

describe('e2e/map-problems (Chromium: the map never hides or loses a problem)', function () {
  this.timeout(180_000);
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let cams: string[];
  let branch: string;

  before(async () => {
    const webDist = await ensureWebBuilt(silentLogger());
    fx = await startFixture({ webDist });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const inv = fx.inventory;
    cams = inv.devices.filter((d) => d.type === 'cctv' && inv.children(d.id).length === 0).map((d) => d.id);
    // the fiber cut: a distribution node with a branch of ONTs, APs and cameras below
    branch = 'fo-lengkiti';
    expect(cams.length).to.be.greaterThan(5);
  });
  after(async () => {
    await browser?.close();
    await fx?.stop();
  });

  it('draws every device in the cluster group at the overview zoom', async () => {
    await login(page, fx.base, 'operator');
    expect(await violations(page)).to.deep.equal([]);
    const zoom = (await page.evaluate(() => (window as unknown as W).__pantau.map().view())).zoom;
    expect(zoom).to.be.lessThan(13); // clustered
  });

  it('a camera that goes DOWN at the overview zoom is drawn above its bubble, which turns red', async () => {
    const cam = cams[10]!;
    fx.alerting.setState(cam, 'DOWN', { reason: 'icmp_loss' });
    await page.waitForFunction((id) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'DOWN', cam);
    const p = (await places(page))[cam]!;
    expect(p.single).to.equal(false); // folded into a bubble at this zoom
    expect(p.bubble).to.match(/cluster-down/);
    expect(p.problem).to.not.equal(null);
    expect(await violations(page)).to.deep.equal([]);
  });

  it('zoomed in, a device going DOWN keeps its marker (the old vanish bug) and comes back UP in place', async () => {
    const cam = cams[3]!;
    const d = fx.inventory.byId.get(cam)!;
    await page.evaluate(({ lat, lon }) => (window as unknown as W).__pantau.map().view([lat, lon], 15), {
      lat: d.lat,
      lon: d.lon,
    });
    let p = (await places(page))[cam]!;
    expect(p.single).to.equal(true);
    fx.alerting.setState(cam, 'DOWN', { reason: 'icmp_loss' });
    await page.waitForFunction((id) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'DOWN', cam);
    p = (await places(page))[cam]!;
    expect(p.single, 'base marker still on the map').to.equal(true);
    expect(p.fill).to.equal('#ef4444');
    expect(p.problem).to.not.equal(null);
    // the problem marker is the element under the mouse at the device's spot, and it is this device
    const hit = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest('.pm')?.getAttribute('data-device-id'),
      p.problem!,
    );
    expect(hit).to.equal(cam);
    expect(await violations(page)).to.deep.equal([]);
    fx.alerting.setState(cam, 'UP');
    await page.waitForFunction((id) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'UP', cam);
    p = (await places(page))[cam]!;
    expect(p.single).to.equal(true);
    expect(p.problem).to.equal(null);
    expect(p.fill).to.equal('#22c55e');
    // close zoom shows device names
    expect(await page.evaluate(() => (window as unknown as W).__pantau.map().stats().labels)).to.be.greaterThan(0);
    expect(await page.locator('.dev-label', { hasText: d.name }).count()).to.be.greaterThan(0);
  });

  it('stays truthful through cuts, UNREACHABLE branches, DEGRADED cameras and recoveries while zooming in and out', async () => {
    const inv = fx.inventory;
    const below = inv.descendants(branch).map((d) => d.id);
    const steps: { name: string; act(): void }[] = [
      {
        name: 'cut a branch',
        act: () => {
          fx.alerting.cut(branch);
        },
      },
      { name: 'a camera degraded', act: () => fx.alerting.setState(cams[5]!, 'DEGRADED', { reason: 'onvif_failing' }) },
      { name: 'the branch recovers', act: () => fx.alerting.restore(branch) },
      {
        name: 'two cameras down',
        act: () => {
          fx.alerting.setState(cams[6]!, 'DOWN');
          fx.alerting.setState(cams[7]!, 'DOWN');
        },
      },
      {
        name: 'one back, one unreachable',
        act: () => {
          fx.alerting.setState(cams[6]!, 'UP');
          fx.alerting.setState(cams[7]!, 'UNREACHABLE', { rootCauseId: branch });
        },
      },
      {
        name: 'everything back',
        act: () => {
          for (const c of cams) fx.alerting.setState(c, 'UP');
          fx.alerting.restore(branch);
        },
      },
    ];
    const zooms = [9, 11, 12.5, 13, 14, 16];
    const b = inv.byId.get(branch)!;
    let i = 0;
    for (const step of steps) {
      // change while zoomed at one level, check there, then check at every other level
      const z = zooms[i++ % zooms.length]!;
      await page.evaluate(({ lat, lon, z }) => (window as unknown as W).__pantau.map().view([lat, lon], z), {
        lat: b.lat,
        lon: b.lon,
        z,
      });
      step.act();
      await page.waitForFunction(
        (want) =>
          Object.entries(want).every(([id, s]) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === s),
        Object.fromEntries(fx.alerting.statuses().map((s) => [s.deviceId, s.state])),
        { timeout: 10_000 },
      );
      for (const zz of [z, ...zooms.filter((x) => x !== z)]) {
        await page.evaluate(({ lat, lon, z }) => (window as unknown as W).__pantau.map().view([lat, lon], z), {
          lat: b.lat,
          lon: b.lon,
          z: zz,
        });
        const v = await violations(page);
        expect(v, `${step.name} at zoom ${zz}`).to.deep.equal([]);
      }
      if (step.name === 'cut a branch') {
        const ps = await places(page);
        expect(below.filter((id) => ps[id]!.state === 'UNREACHABLE' && ps[id]!.problem !== null)).to.have.length(
          below.length,
        );
      }
    }
    expect(await page.evaluate(() => (window as unknown as W).__pantau.map().stats().problems)).to.equal(0);
  });
});
