/**
 * Two web servers of one cluster (issue 16, item 4), in Chromium: real redis-server, the lab (OKU,
 * 227 devices), one core, two collectors and two `pantau start --role web` processes on different
 * addresses, each a separate process. A session made on web A is valid on web B; a fiber cut in the
 * lab shows the same single alert on both pages, with the same seq; an ack on A appears on B; a
 * logout on A closes the session's page on B (socket.io Redis Streams adapter).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { systemClock } from '../../../core/time.js';
import { createUserStore } from '../../../server/auth/users.js';
import type { Delta } from '../../../core/realtime.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { startLab, type Lab } from '../../../simulator/lab.js';
import { launchChromium } from '../../helpers/chromium.js';
import { freePort } from '../../helpers/influxd.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { PASSWORD, writeFastConfig } from '../e2e/stack.js';
import { startMember, waitReady, writeOkuClusterConfig, type Proc } from './helpers.js';

const CUT = 'fo-lengkiti';

interface Hook {
  live: {
    seq: number;
    statuses: Map<string, { state: string }>;
    alerts: Map<string, { id: string; deviceId: string; status: string; acks?: { comment?: string }[] }>;
  };
  snapshots: number;
  conn(): string;
}
type W = { __pantau: Hook };

/** Every delta a socket receives, as "seq kind id state/status", for comparing two web servers. */
function recordDeltas(url: string, cookie: string): { lines: Map<number, string>; socket: Socket } {
  const lines = new Map<number, string>();
  const socket = ioClient(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: true });
  socket.on('deltas', (batch: Delta[]) => {
    for (const d of batch) {
      lines.set(
        d.seq,
        d.kind === 'status'
          ? `status ${d.status.deviceId} ${d.status.state}`
          : d.kind === 'alert'
            ? `alert ${d.alert.id} ${d.alert.status}`
            : d.kind,
      );
    }
  });
  return { lines, socket };
}

describe('cluster: two web servers (Chromium, real redis-server, lab, core + 2 collectors + 2 web)', function () {
  this.timeout(300_000);
  let redis: RedisHandle;
  let dir: string;
  let lab: Lab;
  let browser: Browser;
  let ctx: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  const procs: Proc[] = [];
  let baseA = '';
  let baseB = '';
  let below: string[] = [];
  let recA: ReturnType<typeof recordDeltas>;
  let recB: ReturnType<typeof recordDeltas>;

  before(async () => {
    await ensureWebBuilt(silentLogger());
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'pantau-webs-'));
    const config = writeOkuClusterConfig(dir, redis.url, writeFastConfig);
    const { inventory } = loadConfig(config, {});
    below = inventory.descendants(CUT).map((d) => d.id);
    // Users live in the core's SQLite, as with `pantau user add`.
    const store = openStore(join(dir, 'core.db'));
    const users = createUserStore(store, systemClock);
    await users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: ['noc'] });
    store.close();
    lab = await startLab({ inventory, netns: 'none', trapTarget: null, logger: silentLogger() });
    const [portA, portB] = [await freePort(), await freePort()];
    baseA = `http://127.0.0.1:${portA}`;
    baseB = `http://127.0.0.2:${portB}`;
    procs.push(startMember(config, 'core', 'core-a'));
    procs.push(startMember(config, 'collector', 'col-a'));
    procs.push(startMember(config, 'collector', 'col-b'));
    const webA = startMember(config, 'web', 'web-a', ['--host', '127.0.0.1', '--port', String(portA)]);
    const webB = startMember(config, 'web', 'web-b', ['--host', '127.0.0.2', '--port', String(portB)]);
    procs.push(webA, webB);
    await waitReady(`${baseA}/readyz`, webA, 120_000);
    await waitReady(`${baseB}/readyz`, webB, 120_000);
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    pageA = await ctx.newPage();
    pageB = await ctx.newPage();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      for (const p of procs) console.log(`--- ${p.child.spawnargs.slice(2).join(' ')}\n${p.output()}`);
  });
  after(async () => {
    recA?.socket.close();
    recB?.socket.close();
    await browser?.close();
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await lab?.stop().catch(() => undefined);
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a session made on web A is valid on web B', async () => {
    await pageA.goto(baseA);
    await pageA.fill('input[name=username]', 'operator');
    await pageA.fill('input[name=password]', PASSWORD);
    await pageA.click('button[type=submit]');
    await pageA.waitForFunction(() => ((window as unknown as W).__pantau?.snapshots ?? 0) > 0, null, {
      timeout: 30_000,
    });
    // The same cookie, presented to the other server (another address: the browser would not send it by itself).
    const cookies = await ctx.cookies(baseA);
    const sid = cookies.find((c) => c.name === 'pantau_sid');
    expect(sid, 'session cookie').to.not.equal(undefined);
    await ctx.addCookies([{ ...sid!, domain: '127.0.0.2' }]);
    await pageB.goto(baseB);
    await pageB.waitForFunction(() => ((window as unknown as W).__pantau?.snapshots ?? 0) > 0, null, {
      timeout: 30_000,
    });
    expect(await pageB.locator('input[name=password]').count()).to.equal(0);
    const cookie = `pantau_sid=${sid!.value}`;
    recA = recordDeltas(baseA, cookie);
    recB = recordDeltas(baseB, cookie);
    // The lab answers: the branch is UP on both pages before it is cut.
    for (const p of [pageA, pageB]) {
      await p.waitForFunction(
        (ids) => ids.every((id) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'UP'),
        [CUT, ...below],
        { timeout: 90_000 },
      );
    }
  });

  it('a fiber cut shows the same single alert on both pages, with the same seq', async () => {
    await lab.fault(CUT, { kind: 'down' }, { subtree: true });
    const shown = (p: Page) =>
      p.waitForFunction(
        ({ cut, below }) => {
          const st = (window as unknown as W).__pantau.live.statuses;
          return (
            st.get(cut)?.state === 'DOWN' &&
            below.every((id: string) => st.get(id)?.state === 'UNREACHABLE') &&
            document.querySelectorAll(`.alert[data-device-id="${cut}"]`).length === 1
          );
        },
        { cut: CUT, below },
        { timeout: 60_000, polling: 200 },
      );
    await Promise.all([shown(pageA), shown(pageB)]);
    const alertsOf = (p: Page) =>
      p.evaluate(() =>
        [...(window as unknown as W).__pantau.live.alerts.values()]
          .filter((a) => a.status !== 'resolved')
          .map((a) => `${a.id} ${a.deviceId}`),
      );
    const [a, b] = [await alertsOf(pageA), await alertsOf(pageB)];
    expect(a).to.have.length(1);
    expect(b).to.deep.equal(a);
    // Root cause: no alert rows for the devices behind the cut on either page.
    for (const p of [pageA, pageB])
      expect(
        await p.evaluate(
          (ids) => ids.filter((id) => document.querySelector(`.alert[data-device-id="${id}"]`)).length,
          below,
        ),
      ).to.equal(0);
    // Same numbering on both servers: every seq both sockets got carries the same change.
    await new Promise((r) => setTimeout(r, 2000));
    // (The two sockets connected a moment apart: compare from the later one's first delta.)
    const keysA = [...recA.lines.keys()];
    const keysB = [...recB.lines.keys()];
    const lo = Math.max(Math.min(...keysA), Math.min(...keysB));
    const hi = Math.min(Math.max(...keysA), Math.max(...keysB));
    const range = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    expect(range.length).to.be.greaterThan(below.length);
    const differ = range.filter((q) => !recA.lines.has(q) || recA.lines.get(q) !== recB.lines.get(q));
    expect(differ.slice(0, 5).map((q) => `${q}: ${recA.lines.get(q)} | ${recB.lines.get(q)}`)).to.deep.equal([]);
    const common = range;
    const cutAlert = common.find((s) => recA.lines.get(s)!.startsWith('alert '));
    expect(cutAlert, 'the alert delta, with one seq on both').to.not.equal(undefined);
    const seqs = await Promise.all(
      [pageA, pageB].map((p) => p.evaluate(() => (window as unknown as W).__pantau.live.seq)),
    );
    expect(Math.abs(seqs[0]! - seqs[1]!), `page seqs ${seqs.join(' / ')}`).to.be.lessThan(50);
  });

  it('an acknowledgement made on web A appears on web B', async () => {
    await pageA.click(`.alert[data-device-id="${CUT}"] [data-ack]`);
    await pageA.fill('.modal textarea[name=comment]', 'Tim menuju lokasi (web A)');
    await pageA.click('[data-confirm-ack]');
    await pageA.waitForSelector(`.alert[data-device-id="${CUT}"].st-acknowledged`, { timeout: 15_000 });
    await pageB.waitForSelector(`.alert[data-device-id="${CUT}"].st-acknowledged`, { timeout: 15_000 });
    expect(await pageB.textContent(`.alert[data-device-id="${CUT}"] .alert-ack`))
      .to.include('operator')
      .and.include('Tim menuju lokasi (web A)');
    // REST on B answers from the same state.
    const cookie = (await ctx.cookies(baseA)).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await fetch(`${baseB}/api/alerts?deviceId=${CUT}`, { headers: { cookie } });
    const body = (await res.json()) as { alerts: { status: string }[] };
    expect(body.alerts[0]?.status).to.equal('acknowledged');
  });

  it('kill -9 of a collector: the header warns, its devices are polled by the other, and no page shows one DOWN', async () => {
    await lab.clear('all');
    for (const p of [pageA, pageB]) {
      await p.waitForFunction(
        (ids) => ids.every((id) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'UP'),
        [CUT, ...below],
        { timeout: 60_000 },
      );
    }
    // Every 100 ms, page B notes any device that turns DOWN, UNREACHABLE or UNKNOWN (none should:
    // nothing is cut now; a device already in one of those states at the start is left out).
    await pageB.evaluate(() => {
      const w = window as unknown as W & { __notUp: string[] };
      const bad = ['DOWN', 'UNREACHABLE', 'UNKNOWN'];
      const already = new Set([...w.__pantau.live.statuses].filter(([, s]) => bad.includes(s.state)).map(([id]) => id));
      w.__notUp = [];
      setInterval(() => {
        for (const [id, s] of w.__pantau.live.statuses)
          if (bad.includes(s.state) && !already.has(id) && !w.__notUp.includes(id)) w.__notUp.push(id);
      }, 100);
    });
    const collector = procs.find((p) => p.child.spawnargs.includes('col-b'))!;
    await collector.kill('SIGKILL');
    // TTL 10 s (shipped cluster timings): the header says which collector is gone.
    await pageA.waitForSelector('[data-cluster-warning]', { timeout: 25_000 });
    expect(await pageA.textContent('[data-cluster-warning]')).to.include('Kolektor hilang: col-b');
    await pageB.waitForSelector('[data-cluster-warning]', { timeout: 10_000 });
    // 30 s after the kill, col-a polls everything; nothing went DOWN or UNKNOWN on the page meanwhile.
    await new Promise((r) => setTimeout(r, 20_000));
    expect(await pageB.evaluate(() => (window as unknown as { __notUp: string[] }).__notUp)).to.deep.equal([]);
    const metrics = await (await fetch(`${baseA}/metrics`)).text();
    expect(metrics).to.match(/pantau_cluster_collectors_missing 1/);
    expect(metrics).to.match(/pantau_cluster_devices_owned\{collector="col-a"\} 227/);
  });

  it("a logout on web A closes the same session's page on web B", async () => {
    expect(await pageB.evaluate(() => (window as unknown as W).__pantau.conn())).to.equal('live');
    const status = await pageA.evaluate(
      async () =>
        (
          await fetch('/api/auth/logout', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
    );
    expect(status).to.equal(200);
    // B's socket is closed by A's server through the adapter; its reconnect is refused and the page goes to login.
    await pageB.waitForSelector('input[name=password]', { timeout: 20_000 });
    const cookie = `pantau_sid=${(await ctx.cookies(baseB)).find((c) => c.name === 'pantau_sid')?.value ?? ''}`;
    expect((await fetch(`${baseB}/api/alerts`, { headers: { cookie } })).status).to.equal(401);
  });
});
