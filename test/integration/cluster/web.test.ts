/**
 * Two web servers of one cluster (issue 16, item 4), in Chromium: real redis-server, the lab (OKU,
 * 227 devices), one core, two collectors and two `pantau start --role web` processes on different
 * addresses, each a separate process. A session made on web A is valid on web B; a fiber cut in the
 * lab shows the same single alert on both pages, with the same seq; an ack on A appears on B; a
 * logout on A closes the session's page on B (socket.io Redis Streams adapter).
 * The archive (ADR 0902): alert history, reports (PDF), the status page's day bars and the drawer's
 * history answer the same on A and B (run on the core); login failures on A and B are counted
 * together; an inventory edit the core reloads appears on both; no core → 503.
 */
import { expect } from 'chai';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { pdfText } from '../../helpers/pdf.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import type { Delta } from '../../../core/realtime.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { startLab, type Lab } from '../../../simulator/lab.js';
import { launchChromium } from '../../helpers/chromium.js';
import { freePort } from '../../helpers/influxd.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { PASSWORD, writeFastConfig } from '../e2e/stack.js';
import { startMember, waitReady, writeOkuClusterConfig, type Proc, addCoreOperator } from './helpers.js';

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
  let inventoryFile = '';
  let cutName = '';
  let alertId = '';
  let opCookie = '';
  let recA: ReturnType<typeof recordDeltas>;
  let recB: ReturnType<typeof recordDeltas>;

  before(async () => {
    await ensureWebBuilt(silentLogger());
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'pantau-webs-'));
    const config = writeOkuClusterConfig(dir, redis.url, writeFastConfig);
    // The inventory as a copy the test may edit (the core reloads it; web servers follow).
    inventoryFile = join(dir, 'oku.yaml');
    copyFileSync('config/inventory/oku.yaml', inventoryFile);
    const cfg = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    cfg['inventory'] = [inventoryFile];
    writeFileSync(config, stringify(cfg));
    const { inventory } = loadConfig(config, {});
    below = inventory.descendants(CUT).map((d) => d.id);
    cutName = inventory.byId.get(CUT)!.name;
    // Users live in the core's SQLite, as with `pantau user add`.
    await addCoreOperator(dir, PASSWORD);
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

  const cookieOf = async () => (await ctx.cookies(baseA)).map((c) => `${c.name}=${c.value}`).join('; ');
  const getBoth = async (path: string) => {
    const cookie = await cookieOf();
    return Promise.all(
      [baseA, baseB].map(async (b) => {
        const res = await fetch(`${b}${path}`, { headers: { cookie } });
        return {
          status: res.status,
          type: res.headers.get('content-type'),
          body: Buffer.from(await res.arrayBuffer()),
        };
      }),
    ) as Promise<
      [{ status: number; type: string | null; body: Buffer }, { status: number; type: string | null; body: Buffer }]
    >;
  };

  it("the core's archive on both web servers: alert history, timeline, monthly report and its PDF", async () => {
    const [a, b] = await getBoth(`/api/history/alerts?deviceId=${CUT}`);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    // (Each answer's range and an open alert's duration end at the core's "now": compare what was found.)
    type Found = { alerts: { id: string; status: string; durationMs?: number }[] };
    const found = (r: { body: Buffer }) =>
      (JSON.parse(r.body.toString()) as Found).alerts.map(({ durationMs: _d, ...rest }) => rest);
    const rows = found(b);
    expect(rows).to.deep.equal(found(a));
    expect(rows).to.have.length(1);
    expect(rows[0]!.status).to.equal('acknowledged');
    alertId = rows[0]!.id;
    const [ta, tb] = await getBoth(`/api/history/alerts/${alertId}/timeline`);
    type Timeline = { alert: unknown; states: { to: string }[] };
    const [tla, tlb] = [JSON.parse(ta.body.toString()) as Timeline, JSON.parse(tb.body.toString()) as Timeline];
    expect([tlb.alert, tlb.states]).to.deep.equal([tla.alert, tla.states]);
    expect(tlb.states.map((s) => s.to)).to.include('DOWN');
    const month = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    const [ra, rb] = await getBoth(`/api/reports/availability?month=${month}`);
    type Report = { devices: { id: string; outages: number }[] };
    const outages = (r: Report) => r.devices.map((d) => `${d.id} ${d.outages}`);
    expect(outages(JSON.parse(rb.body.toString()) as Report)).to.deep.equal(
      outages(JSON.parse(ra.body.toString()) as Report),
    );
    expect((JSON.parse(rb.body.toString()) as Report).devices.find((d) => d.id === CUT)?.outages).to.equal(1);
    // The PDF through B: a valid PDF with as many pages as A's (the figures of a running month, and the
    // order by availability, move with the clock: the byte-for-byte check is archive-forward.test.ts's).
    const [pa, pb] = await getBoth(`/api/reports/availability?month=${month}&format=pdf`);
    expect(pb.status).to.equal(200);
    expect(pb.type).to.equal('application/pdf');
    expect(pb.body.subarray(0, 5).toString()).to.equal('%PDF-');
    const [textA, textB] = [await pdfText(pa.body), await pdfText(pb.body)];
    expect(textB.length).to.be.greaterThan(0);
    expect(textB.length).to.equal(textA.length);
    expect(textB.join(' ').replace(/\s+/g, ' ')).to.include(cutName);
  });

  it("the public status page's day bars and the drawer's history (metrics.sink none) come from the core on both", async () => {
    const levels = (html: string) =>
      (html.match(/<div class="bar"[^>]*>.*?<\/div>/g) ?? []).map((bar) => (bar.match(/d-[a-z]+/g) ?? []).join(' '));
    let a: string[] = [];
    let b: string[] = [];
    for (let i = 0; i < 30; i++) {
      a = levels(await (await fetch(`${baseA}/status`)).text());
      b = levels(await (await fetch(`${baseB}/status`)).text());
      const today = a.map((l) => l.split(' ').at(-1));
      if (a.length > 0 && today.some((l) => l !== 'd-none') && JSON.stringify(a) === JSON.stringify(b)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(a.length).to.be.greaterThan(0);
    expect(
      a.map((l) => l.split(' ').at(-1)).filter((l) => l !== 'd-none').length,
      "today's bars with data",
    ).to.be.greaterThan(0);
    expect(b).to.deep.equal(a);
    const [ha, hb] = await getBoth(`/api/devices/${CUT}/history?series=icmp&from=${Date.now() - 600_000}`);
    expect([ha.status, hb.status]).to.deep.equal([200, 200]);
    expect((JSON.parse(hb.body.toString()) as { points: unknown[] }).points.length).to.be.greaterThan(0);
  });

  it('login failures spread over web A and web B are counted together (429 as on one server)', async () => {
    const attempt = (base: string) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'penebak', password: 'bukan-sandinya' }),
      });
    // Shipped policy: 5 free failures per username, then 1 s, 2 s, 4 s…: the 7th attempt is refused.
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await attempt(i % 2 === 0 ? baseA : baseB);
      statuses.push(last.status);
    }
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401, 429]);
    expect(Number(last!.headers.get('retry-after'))).to.be.within(1, 2);
    expect(((await last!.json()) as { error: { message: string } }).error.message).to.include(
      'terlalu banyak percobaan',
    );
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

  it('an inventory edit the core reloads appears on both web servers', async () => {
    const login = await fetch(`${baseA}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORD }),
    });
    expect(login.status).to.equal(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    opCookie = cookie;
    appendFileSync(
      inventoryFile,
      [
        '  - id: fo-uji-baru',
        '    name: Titik Uji Baru',
        '    type: fiber',
        '    role: ont',
        '    kecamatan: Baturaja Timur',
        '    lat: -4.13',
        '    lon: 104.18',
        '    address: 127.20.250.250',
        '    parent: fo-baturaja-timur',
        '    probes:',
        '      icmp:',
        '        enabled: true',
        '',
      ].join('\n'),
    );
    const seen = async (base: string) => {
      const end = Date.now() + 20_000;
      while (Date.now() < end) {
        if ((await fetch(`${base}/api/devices/fo-uji-baru`, { headers: { cookie } })).status === 200) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
    };
    expect(await seen(baseA), 'web A').to.equal(true);
    expect(await seen(baseB), 'web B').to.equal(true);
    const count = async (base: string) =>
      ((await (await fetch(`${base}/api/devices`, { headers: { cookie } })).json()) as { devices: unknown[] }).devices
        .length;
    expect([await count(baseA), await count(baseB)]).to.deep.equal([228, 228]);
  });

  it('no core running: the archive answers 503 PANTAU_UNAVAILABLE with a clear message', async () => {
    const core = procs.find((p) => p.child.spawnargs.includes('core-a'))!;
    await core.kill('SIGKILL');
    // The web servers notice from the heartbeats (TTL 10 s), then answer at once instead of after the deadline.
    const end = Date.now() + 30_000;
    const noticed = async (base: string) =>
      /pantau_cluster_core_up 0/.test(await (await fetch(`${base}/metrics`)).text());
    while (Date.now() < end && !((await noticed(baseA)) && (await noticed(baseB))))
      await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    for (const base of [baseA, baseB]) {
      const res = await fetch(`${base}/api/reports/availability?month=2026-11&format=pdf`, {
        headers: { cookie: opCookie },
      });
      expect(res.status, base).to.equal(503);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(err.code).to.equal('PANTAU_UNAVAILABLE');
      expect(err.message).to.include('inti (core) tidak berjalan').and.include('no core is running');
    }
    expect(Date.now() - t0).to.be.lessThan(5000);
  });
});
