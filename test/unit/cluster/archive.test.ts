import { expect } from 'chai';
import { z } from 'zod';
import { decodeInventory, encodeInventory, inventoryVersion } from '../../../cluster/inventory-share.js';
import { createTimelineCopy, type TimelinesReply } from '../../../cluster/timeline-copy.js';
import { loadConfig } from '../../../core/config/load.js';
import { buildInventory } from '../../../core/inventory/topology.js';
import { silentLogger } from '../../../core/logger.js';
import { decide } from '../../../server/auth/login-throttle-redis.js';
import { createLoginThrottle, DEFAULT_THROTTLE_POLICY } from '../../../server/auth/login-throttle.js';
import { createRouteRunner, unpackReply, type ForwardInput } from '../../../server/http/route-forward.js';
import { defineRoute, FileReply, HttpError, type RouteDef } from '../../../server/http/route.js';

const user = { id: 1, username: 'operator', displayName: 'Operator', role: 'operator' as const, groups: ['noc'] };

describe('server/http/route-forward: an archive route run on the core for a web server', () => {
  const routes: RouteDef[] = [
    defineRoute({
      method: 'get',
      path: '/api/x/:id',
      tag: 't',
      access: 'read',
      runsOn: 'archive',
      params: z.object({ id: z.string().regex(/^[a-z]+$/) }).strict(),
      query: z.object({ n: z.string().optional() }).strict(),
      summary: 'x',
      handler: ({ params, query, user: u }) => {
        if (params.id === 'gone') throw new HttpError(404, 'PANTAU_NOT_FOUND', 'x gone not found');
        if (params.id === 'boom') throw new Error('boom');
        return { id: params.id, n: query.n ?? null, by: u.username };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/file',
      tag: 't',
      access: 'read',
      runsOn: 'archive',
      summary: 'f',
      handler: () => new FileReply('application/pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 255]), 'attachment; x'),
    }),
    defineRoute({ method: 'get', path: '/api/local', tag: 't', access: 'read', summary: 'l', handler: () => 1 }),
  ];
  const run = createRouteRunner(routes);
  const input = (path: string, params: Record<string, string> = {}, query: Record<string, string> = {}) =>
    ({ method: 'get', path, params, query, body: undefined, user }) as ForwardInput;
  // Through JSON, as over Redis.
  const wire = async (i: ForwardInput) => unpackReply(JSON.parse(JSON.stringify(await run(i))));

  it('answers JSON and files (bytes intact), and replays the HTTP errors the handler threw', async () => {
    const ok = await wire(input('/api/x/:id', { id: 'abc' }, { n: '2' }));
    expect(ok.status).to.equal(200);
    expect(JSON.parse(ok.body.toString())).to.deep.equal({ id: 'abc', n: '2', by: 'operator' });
    const file = await wire(input('/api/file'));
    expect(file).to.deep.equal({
      status: 200,
      contentType: 'application/pdf',
      disposition: 'attachment; x',
      body: Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 255]),
    });
    const gone = await wire(input('/api/x/:id', { id: 'gone' })).catch((e: unknown) => e);
    expect(gone).to.be.instanceOf(HttpError);
    expect((gone as HttpError).status).to.equal(404);
    expect((gone as HttpError).message).to.equal('x gone not found');
  });

  it('checks the input again on the core; runs only archive routes; other errors are thrown to the RPC layer', async () => {
    const bad = (await wire(input('/api/x/:id', { id: 'ABC' })).catch((e: unknown) => e)) as HttpError;
    expect(bad.status).to.equal(400);
    expect(bad.issues).to.have.length(1);
    const extra = (await wire(input('/api/x/:id', { id: 'a' }, { zz: '1' })).catch((e: unknown) => e)) as HttpError;
    expect(extra.status).to.equal(400);
    const local = (await wire(input('/api/local')).catch((e: unknown) => e)) as HttpError;
    expect(local.status).to.equal(404);
    let thrown: unknown;
    await run(input('/api/x/:id', { id: 'boom' })).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.equal('boom');
    const forged = await run({ ...input('/api/file'), user: { ...user, role: 'root' } } as never);
    expect(forged.status).to.equal(400);
    expect('error' in forged && forged.error.code).to.equal('PANTAU_BAD_REQUEST');
  });

  it('refuses a malformed reply from Redis (502), never passes it on', () => {
    for (const bad of [
      null,
      {},
      { status: 200 },
      { status: 200, contentType: 'x', text: 1 },
      { status: 99, text: '' },
    ]) {
      const e = (() => {
        try {
          unpackReply(bad);
        } catch (err) {
          return err as HttpError;
        }
        return undefined;
      })();
      expect(e?.status, JSON.stringify(bad)).to.equal(502);
    }
  });
});

describe('server/auth/login-throttle-redis: decide() is the in-memory throttle’s rule', () => {
  it('gives the same decisions as createLoginThrottle for the same failures', () => {
    const p = DEFAULT_THROTTLE_POLICY;
    const mem = createLoginThrottle(p);
    // Replays the failures into entries exactly as the Lua script counts them.
    const entries = new Map<string, { failures: number; lastFailureAt: number; blockedUntil: number }>();
    const fail = (key: string, free: number, now: number) => {
      const e = entries.get(key);
      let f = e?.failures ?? 0;
      let b = e?.blockedUntil ?? 0;
      if (e && now - e.lastFailureAt > p.forgetAfterMs && now >= b) {
        f = 0;
        b = 0;
      }
      f++;
      const over = f - free;
      const delay = over > 0 ? Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.min(over - 1, 40)) : 0;
      entries.set(key, { failures: f, lastFailureAt: now, blockedUntil: Math.max(b, now + delay) });
    };
    let now = 1_000_000;
    const steps: [string, string, number][] = [];
    for (let i = 0; i < 40; i++) steps.push([i % 3 === 0 ? 'budi' : 'sari', `10.0.0.${i % 2}`, (i * 7919) % 4000]);
    steps.push(['budi', '10.0.0.1', 20 * 60_000]); // after a long quiet: forgotten
    for (const [u, a, dt] of steps) {
      now += dt;
      const want = mem.check(now, u, a);
      expect(decide(entries.get(`u:${u}`), entries.get(`a:${a}`), now, p.forgetAfterMs)).to.deep.equal(want);
      if (want.allowed) {
        mem.recordFailure(now, u, a);
        fail(`u:${u}`, p.userFreeFailures, now);
        fail(`a:${a}`, p.addressFreeFailures, now);
      }
    }
    expect(decide(undefined, undefined, now, p.forgetAfterMs)).to.deep.equal({ allowed: true });
  });
});

describe("cluster/inventory-share: the core's inventory copy", () => {
  const loaded = loadConfig('config/pantau.yaml', {});
  const inv = loaded.inventory;

  it('round-trips, with a version that depends only on the devices', () => {
    const { version, text } = encodeInventory(inv);
    expect(version).to.equal(inventoryVersion(buildInventory([...inv.devices]).devices));
    const back = decodeInventory(text, loaded.refs);
    expect(back.version).to.equal(version);
    expect(back.inventory.devices).to.deep.equal(inv.devices);
    expect(text.startsWith(`{"version":"${version}"`)).to.equal(true);
    const fewer = buildInventory(inv.devices.slice(0, -1));
    expect(encodeInventory(fewer).version).to.not.equal(version);
  });

  it('refuses a copy that is not JSON, has the wrong shape, bad devices or a broken tree', () => {
    const [root, a] = inv.devices as [(typeof inv.devices)[number], (typeof inv.devices)[number]];
    const cases = [
      'nope',
      JSON.stringify({ version: 'v', devices: 'x' }),
      JSON.stringify({ version: 'v', devices: [{ id: 'x' }] }),
      JSON.stringify({ version: 'v', devices: [root, { ...a, parent: 'tidak-ada' }] }),
      JSON.stringify({ version: 'v', devices: [root, a, { ...a }] }),
    ];
    for (const c of cases) expect(() => decodeInventory(c, loaded.refs), c.slice(0, 60)).to.throw(/inventory copy/);
  });
});

describe("cluster/timeline-copy: a web server's copy of the core's state log timelines", () => {
  it('fetches once, appends the bus changes after what the core read, and keeps changes that raced the fetch', async () => {
    let release!: (r: TimelinesReply) => void;
    const fetches: number[] = [];
    let updates = 0;
    const copy = createTimelineCopy({
      fetch: (from) => {
        fetches.push(from);
        return new Promise<TimelinesReply>((r) => (release = r));
      },
      onUpdate: () => updates++,
      logger: silentLogger(),
    });
    expect(copy.get(100).size).to.equal(0);
    expect(copy.get(100).size).to.equal(0);
    expect(fetches).to.deep.equal([100]);
    // Arrive while the fetch is on its way: one the core already read (at < to), one it did not.
    copy.onChange({ deviceId: 'd1', at: 150, to: 'DOWN' });
    copy.onChange({ deviceId: 'd1', at: 250, to: 'UP' });
    release({ to: 200, entries: [['d1', { initial: 'UP', changes: [{ at: 150, to: 'DOWN' }] }]] });
    await new Promise((r) => setImmediate(r));
    expect(updates).to.equal(1);
    copy.onChange({ deviceId: 'd2', at: 300, to: 'DOWN' });
    expect([...copy.get(100)]).to.deep.equal([
      [
        'd1',
        {
          initial: 'UP',
          changes: [
            { at: 150, to: 'DOWN' },
            { at: 250, to: 'UP' },
          ],
        },
      ],
      ['d2', { initial: undefined, changes: [{ at: 300, to: 'DOWN' }] }],
    ]);
    expect(updates).to.equal(2);
    // A new local day: the window moves, fetched again.
    copy.get(500);
    expect(fetches).to.deep.equal([100, 500]);
    copy.stop();
  });
});
