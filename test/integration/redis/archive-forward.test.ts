/**
 * A web server's archive routes over Redis (ADR 0902), against a real redis-server: the real alert
 * engine (shipped config, OKU inventory) lives through a fiber cut and an ack; its state log and
 * alert history are in the core's SQLite. A `--role all` server over that store answers every
 * archive request itself; a web-role server (no archive, `forward` over the real RPC) must answer
 * byte for byte the same: JSON, CSV, HTML, the errors (400, 403, 404), the PDF (same pages, read
 * back with pdf.js, through the large-reply key), the public status page's day bars. Then the
 * login throttle shared by two web servers, and 503 when no core answers.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createAlerting } from '../../../alerting/alerting.js';
import { coreCommands } from '../../../cluster/core-commands.js';
import { createRealtimeFeed } from '../../../cluster/realtime-feed.js';
import { createTimelineCopy, type TimelinesReply } from '../../../cluster/timeline-copy.js';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { createRpcClient, createRpcServer, type RpcServer } from '../../../core/redis/rpc.js';
import { openStore } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { createHistoryApi } from '../../../history/service.js';
import { recordStateChanges } from '../../../history/state-log.js';
import { createRedisLoginThrottle } from '../../../server/auth/login-throttle-redis.js';
import { createUserStore } from '../../../server/auth/users.js';
import { throttlePolicy } from '../../../server/http/app.js';
import { createRouteRunner } from '../../../server/http/route-forward.js';
import { historyRoutes } from '../../../server/http/routes-history.js';
import { createServer, loginLimitOf, type PantauServer } from '../../../server/server.js';
import { createWorld } from '../../unit/alerting/support.js';
import { createFakeHistory } from '../../helpers/fake-history.js';
import { pdfText } from '../../helpers/pdf.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';

const SHIPPED = fileURLToPath(new URL('../../../config/pantau.yaml', import.meta.url));
const PASSWORD = 'rahasia-noc-123';
const H = 3600_000;
/** Wall time in WIB, November 2026. */
const wib = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h, m) - 7 * H;
const CUT = 'fo-baturaja-timur-07';

interface Answer {
  status: number;
  type: string | null;
  disposition: string | null;
  body: Buffer;
}

describe('cluster: archive routes, status bars and the login throttle of a web server (real redis-server)', function () {
  this.timeout(120_000);
  let redis: RedisHandle;
  let dir: string;
  const conns: Redis[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  const conn = () => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: null });
    c.on('error', () => undefined);
    conns.push(c);
    return c;
  };
  const loaded = loadConfig(SHIPPED, {});
  const { config, inventory, configDir } = loaded;
  const clock = createManualClock(wib(20, 8));
  const logger = silentLogger();
  const prefix = 'fwd:';
  let all: PantauServer;
  let web: PantauServer;
  let webB: PantauServer;
  let core: RpcServer;
  const base: Record<'all' | 'web' | 'webB', string> = { all: '', web: '', webB: '' };
  const cookies: Record<string, string> = {};
  let alertId = '';

  const get = async (where: keyof typeof base, path: string, who = 'operator', init: RequestInit = {}) => {
    const res = await fetch(`${base[where]}${path}`, {
      ...init,
      headers: { cookie: cookies[who] ?? '', 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      body: Buffer.from(await res.arrayBuffer()),
    } satisfies Answer;
  };
  const same = async (path: string, who = 'operator', init: RequestInit = {}) => {
    const a = await get('all', path, who, init);
    const w = await get('web', path, who, init);
    expect({ ...w, body: w.body.toString('utf8') }, path).to.deep.equal({ ...a, body: a.body.toString('utf8') });
    return a;
  };

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'pantau-fwd-'));
    const store = openStore(join(dir, 'core.db'));
    stops.push(() => store.close());
    const bus = createInProcessBus();
    // The core: the real alert engine and the archive over its store, as `--role core` builds them.
    const alerting = createAlerting({
      config,
      inventory,
      store,
      bus,
      clock,
      logger,
      notifierTransports: {},
      configDir,
      timeZone: loaded.region.timeZone,
    });
    const archive = createHistoryApi({
      store,
      inventory: () => inventory,
      config,
      clock,
      regionZone: loaded.region.timeZone,
      notifierTransports: {},
    });
    stops.push(recordStateChanges(bus, archive.stateLog, logger));
    alerting.start();
    stops.push(() => alerting.stop());
    const world = createWorld({ inventory, bus, clock, alerting });
    for (let i = 0; i < 3; i++) await world.cycle();
    world.cut(CUT);
    for (let i = 0; i < 6; i++) await world.cycle();
    const open = alerting.listAlerts({ status: ['open'] });
    expect(open.map((a) => a.deviceId)).to.include(CUT);
    alertId = open.find((a) => a.deviceId === CUT)!.id;
    alerting.acknowledge(alertId, 'operator', 'tim berangkat');
    clock.advance(40 * 60_000);
    world.repair(CUT);
    for (let i = 0; i < 3; i++) await world.cycle();

    const users = createUserStore(store, clock);
    for (const [username, role] of [
      ['operator', 'operator'],
      ['viewer', 'viewer'],
      ['admin', 'admin'],
    ] as const)
      await users.add({ username, role, password: PASSWORD, groups: ['noc'] });
    core = createRpcServer({
      conn: conn(),
      pub: conn(),
      prefix,
      logger,
      now: () => Date.now(),
      blockS: 0.2,
      // Every reply above 1 KB goes through the large-reply key (the PDF, the CSV, the timelines).
      inlineMax: 1024,
      handlers: coreCommands({
        alerting,
        users,
        feed: createRealtimeFeed({ bus, redis: conn(), prefix, alerting, logger }),
        route: createRouteRunner(
          historyRoutes({
            inventory: () => inventory,
            alerting,
            region: loaded.region,
            clock,
            logger,
            ui: { language: config.server.language },
            archive,
          }),
        ),
        timelines: (from, to) => archive.stateLog.timelines(from, to),
        now: () => clock.now(),
      }),
    });
    const rpc = createRpcClient({ pub: conn(), sub: conn(), prefix, name: 'web-t', timeoutMs: 3000 });
    stops.push(() => rpc.close());
    const serverConfig = { ...config, server: { ...config.server, tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' } };
    const common = {
      config: serverConfig,
      inventory,
      bus,
      alerting,
      history: createFakeHistory(),
      store,
      logger,
      clock,
      region: loaded.region,
      host: '127.0.0.1',
      port: 0,
    };
    all = createServer({ ...common, archive });
    const webOf = () => {
      const timelines = createTimelineCopy({
        fetch: (from) => rpc.call<TimelinesReply>('status.timelines', { from }),
        onUpdate: () => server.statusPage?.invalidate(),
        logger,
      });
      stops.push(() => timelines.stop());
      const server: PantauServer = createServer({
        ...common,
        forward: (input) => rpc.call('http.route', input),
        loginThrottle: createRedisLoginThrottle({
          redis: conn(),
          prefix,
          policy: throttlePolicy(loginLimitOf(config.server)),
        }),
        statusTimelines: (from) => timelines.get(from),
      });
      return server;
    };
    web = webOf();
    webB = webOf();
    for (const [k, s] of [
      ['all', all],
      ['web', web],
      ['webB', webB],
    ] as const) {
      const addr = await s.listen();
      base[k] = `http://127.0.0.1:${addr.port}`;
      stops.push(() => s.close());
    }
    for (const who of ['operator', 'viewer', 'admin']) {
      const res = await fetch(`${base.all}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: who, password: PASSWORD }),
      });
      expect(res.status).to.equal(200);
      cookies[who] = res.headers.getSetCookie()[0]!.split(';')[0]!;
    }
  });
  after(async () => {
    for (const s of stops.splice(0).reverse()) await s();
    await core?.stop();
    for (const c of conns) c.disconnect();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the alert history, its CSV, the timeline and the state log answer as --role all does', async () => {
    const list = await same('/api/history/alerts');
    const body = JSON.parse(list.body.toString()) as { alerts: { id: string; deviceId: string; status: string }[] };
    expect(body.alerts.map((a) => a.deviceId)).to.include(CUT);
    await same(`/api/history/alerts?deviceId=${CUT}&status=resolved&format=csv&lang=en`);
    const tl = await same(`/api/history/alerts/${alertId}/timeline`);
    const timeline = JSON.parse(tl.body.toString()) as { states: { to: string }[]; alert: { acks?: unknown } };
    expect(timeline.states.map((s) => s.to)).to.include('DOWN');
    await same(`/api/history/devices/${CUT}/states?from=${wib(20, 0)}&to=${clock.now()}`);
    await same('/api/history/config');
    // Errors: the same status, code and message.
    expect((await same('/api/history/alerts/A-nope/timeline')).status).to.equal(404);
    expect((await same('/api/history/alerts?pageSize=9999')).status).to.equal(400);
    expect((await same('/api/history/alerts', 'viewer')).status).to.equal(403);
    expect((await same('/api/history/devices/nope/states')).status).to.equal(404);
  });

  it('the monthly report (JSON, CSV, HTML) is the same and the PDF through the web server has the same pages', async () => {
    const json = await same('/api/reports/availability?month=2026-11');
    const report = JSON.parse(json.body.toString()) as { devices: { id: string; outages: number }[] };
    expect(report.devices.find((d) => d.id === CUT)?.outages).to.equal(1);
    await same('/api/reports/availability?month=2026-11&format=csv');
    await same('/api/reports/availability?month=2026-11&format=html&lang=en');
    expect((await same('/api/reports/availability?month=2026-13')).status).to.equal(400);
    const [a, w] = [
      await get('all', '/api/reports/availability?month=2026-11&format=pdf'),
      await get('web', '/api/reports/availability?month=2026-11&format=pdf'),
    ];
    expect(w.status).to.equal(200);
    expect(w.type).to.equal('application/pdf');
    expect(w.disposition).to.equal(a.disposition);
    expect(w.body.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(w.body.length).to.be.greaterThan(1024); // it came through the large-reply key
    const [pa, pw] = [await pdfText(a.body), await pdfText(w.body)];
    expect(pw.length).to.be.greaterThan(0);
    expect(pw).to.deep.equal(pa);
  });

  it('notification groups and a test message to an unknown group answer as --role all does (admins only)', async () => {
    await same('/api/notify/groups', 'admin');
    expect((await same('/api/notify/groups', 'operator')).status).to.equal(403);
    const bad = await same('/api/notify/test', 'admin', {
      method: 'POST',
      body: JSON.stringify({ group: 'tidak-ada' }),
    });
    expect(bad.status).to.equal(400);
  });

  it("the public status page's day bars on the web server are the core's state log's", async () => {
    const bars = (html: string) => html.match(/<div class="bar"[^>]*>.*?<\/div>/g) ?? [];
    // The web server fetches its copy on the first render; the page renders again once it has it.
    let w: string[] = [];
    let a: string[] = [];
    for (let i = 0; i < 20; i++) {
      clock.advance(2000);
      w = bars((await get('web', '/status')).body.toString());
      a = bars((await get('all', '/status')).body.toString());
      if (w.length > 0 && JSON.stringify(w) === JSON.stringify(a)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.length).to.be.greaterThan(0);
    expect(a.join('').match(/class="d-(ok|minor|major|outage)"/g)?.length ?? 0, 'days with data').to.be.greaterThan(0);
    expect(w).to.deep.equal(a);
  });

  it('login failures spread over two web servers are counted together (same limits and message as one server)', async () => {
    const attempt = (where: keyof typeof base, username: string) =>
      fetch(`${base[where]}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'salah-sekali' }),
      });
    // The shipped policy: 5 free failures per username, then a doubling delay from 1 s.
    const single: number[] = [];
    for (let i = 0; i < 7; i++) single.push((await attempt('all', 'operator')).status);
    const spread: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await attempt(i % 2 === 0 ? 'web' : 'webB', 'operator');
      spread.push(last.status);
    }
    expect(single).to.deep.equal([401, 401, 401, 401, 401, 401, 429]);
    expect(spread).to.deep.equal(single);
    expect(last!.headers.get('retry-after')).to.equal('1');
    const msg = ((await last!.json()) as { error: { code: string; message: string } }).error;
    expect(msg.code).to.equal('PANTAU_RATE_LIMITED');
    expect(msg.message).to.include('coba lagi dalam 1 detik').and.include('try again in 1 s');
  });

  it('503 PANTAU_UNAVAILABLE, in both languages, when no core answers', async () => {
    await core.stop();
    const t0 = Date.now();
    const res = await get('web', '/api/history/alerts');
    expect(res.status).to.equal(503);
    const err = (JSON.parse(res.body.toString()) as { error: { code: string; message: string } }).error;
    expect(err.code).to.equal('PANTAU_UNAVAILABLE');
    expect(err.message).to.include('inti tidak menjawab').and.include('the core did not answer');
    expect(Date.now() - t0).to.be.lessThan(10_000);
  });
});
