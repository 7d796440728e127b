import { expect } from 'chai';
import { startFixture, PASSWORD, type Fixture } from './fixture.js';

interface OpenApi {
  paths: Record<string, Record<string, { 'x-pantau-permission': string }>>;
}

/** Every route in the OpenAPI document with a concrete path (real ids filled in). */
function routesOf(doc: OpenApi, ids: { device: string; alert: string }) {
  const out: { method: string; path: string; url: string; perm: string }[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const id = path.startsWith('/api/alerts') ? ids.alert : path.startsWith('/api/maintenance') ? 'mw-1' : ids.device;
      out.push({ method: method.toUpperCase(), path, url: path.replace('{id}', id), perm: op['x-pantau-permission'] });
    }
  }
  return out;
}

describe('server/api', function () {
  this.timeout(60_000);
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  let doc: OpenApi;
  let alertId = '';

  before(async () => {
    fx = await startFixture();
    for (const u of ['admin', 'operator', 'viewer', 'teknisi']) cookies[u] = await fx.login(u);
    doc = (await (await fetch(`${fx.base}/api/docs`)).json()) as OpenApi;
    alertId = fx.alerting.cut('fo-baturaja-timur').id;
  });
  after(() => fx.stop());

  const call = (
    method: string,
    url: string,
    opts: { cookie?: string; body?: unknown; raw?: string; type?: string } = {},
  ) =>
    fetch(`${fx.base}${url}`, {
      method,
      headers: {
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.body !== undefined || opts.raw !== undefined
          ? { 'content-type': opts.type ?? 'application/json' }
          : {}),
      },
      ...(opts.raw !== undefined
        ? { body: opts.raw }
        : opts.body !== undefined
          ? { body: JSON.stringify(opts.body) }
          : {}),
    });

  it('serves an OpenAPI 3.1 document listing every route', () => {
    const routes = routesOf(doc, { device: 'fo-core', alert: alertId });
    expect(routes.length).to.be.greaterThanOrEqual(15);
    expect(doc.paths).to.have.property('/api/alerts/{id}/ack');
    expect(doc.paths).to.have.property('/api/devices/{id}/history');
  });

  it('answers 401 on every non-public route without a session, and with a forged cookie', async () => {
    for (const r of routesOf(doc, { device: 'fo-core', alert: alertId }).filter((x) => x.perm !== 'public')) {
      for (const cookie of [undefined, 'pantau_sid=forged-token']) {
        const res = await call(r.method, r.url, {
          ...(cookie ? { cookie } : {}),
          ...(r.method === 'POST' ? { body: {} } : {}),
        });
        expect(res.status, `${r.method} ${r.path} cookie=${cookie}`).to.equal(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('PANTAU_UNAUTHENTICATED');
      }
    }
  });

  it('answers 403 when the role lacks the permission', async () => {
    const denied: Record<string, string[]> = {
      ack: ['viewer'],
      maintenance: ['viewer', 'teknisi'],
      users: ['operator', 'viewer', 'teknisi'],
    };
    let checked = 0;
    for (const r of routesOf(doc, { device: 'fo-core', alert: alertId })) {
      for (const u of denied[r.perm] ?? []) {
        const res = await call(r.method, r.url, { cookie: cookies[u]!, ...(r.method === 'POST' ? { body: {} } : {}) });
        expect(res.status, `${u} ${r.method} ${r.path}`).to.equal(403);
        checked++;
      }
    }
    expect(checked).to.be.greaterThanOrEqual(10);
  });

  it('answers 400 (never 500) to malformed bodies and query strings on every route', async () => {
    const badBodies: { raw?: string; body?: unknown; type?: string }[] = [
      { raw: '{"username": ' },
      { raw: 'null' },
      { raw: '[1,2,3]' },
      { raw: '"text"' },
      { body: { unexpected: true } },
      { body: { username: 42, password: [] } },
      { body: { comment: 'x'.repeat(600) } },
      { raw: 'a=b', type: 'text/plain' },
      { body: { deviceId: 'fo-core', reason: '', startsAt: 'tomorrow', endsAt: -1 } },
      { body: { username: 'a', password: 'x', role: 'root' } },
      { body: { deviceId: 'nope', reason: 'x', startsAt: 2, endsAt: 1 } },
      { raw: '\u0000\u0001' },
    ];
    const badQueries = [
      '?status=bogus',
      '?severity=',
      '?limit=abc',
      '?limit=-5',
      '?from=yesterday',
      '?from=2&to=1',
      '?series=nope',
      '?groupBy=planet',
      '?type=fiber&type=toaster',
      '?kecamatan=Atlantis',
      '?unknown=1',
      '?q=' + 'x'.repeat(200),
      '?state=UP,SIDEWAYS',
      '?stepS=0',
    ];
    const routes = routesOf(doc, { device: 'fo-core', alert: alertId });
    let n = 0;
    for (const r of routes) {
      const cookie = r.perm === 'public' ? undefined : cookies['admin']!;
      if (r.method === 'POST') {
        for (const b of badBodies) {
          // A body-less logout is valid and would end the shared admin session: use a throwaway one.
          const c = r.path === '/api/auth/logout' ? await fx.login('admin') : cookie;
          const res = await call(r.method, r.url, { ...(c ? { cookie: c } : {}), ...b });
          // A body that happens to be valid for this route (e.g. {} for logout) may pass; nothing may be a 5xx.
          expect(res.status, `${r.method} ${r.path} ${JSON.stringify(b)}`).to.be.lessThan(500);
          if (res.status >= 400) {
            const j = (await res.json()) as { error: { message: string } };
            expect(j.error.message, `${r.method} ${r.path}`).to.be.a('string').and.not.equal('');
          }
          n++;
        }
      }
      if (r.method === 'GET' && r.path !== '/api/docs' && r.path !== '/api/openapi.json') {
        for (const q of badQueries) {
          const res = await call('GET', r.url + q, { ...(cookie ? { cookie } : {}) });
          expect(res.status, `GET ${r.path}${q}`).to.equal(400);
          n++;
        }
      }
    }
    // Bad path ids
    for (const url of [
      '/api/devices/%00bad',
      '/api/alerts/' + 'x'.repeat(300),
      '/api/devices/a%20b/history?series=icmp',
    ]) {
      const res = await call('GET', url, { cookie: cookies['admin']! });
      expect(res.status, url).to.equal(400);
    }
    expect(n).to.be.greaterThan(100);
  });

  it('names the offending field in a 400', async () => {
    const res = await call('GET', '/api/alerts?severity=loud', { cookie: cookies['viewer']! });
    expect(res.status).to.equal(400);
    const j = (await res.json()) as { error: { message: string } };
    expect(j.error.message).to.match(/query\.severity/);
  });

  it('filters alerts by status, severity, kecamatan and type', async () => {
    const get = async (q: string) =>
      (
        (await (await call('GET', `/api/alerts${q}`, { cookie: cookies['viewer']! })).json()) as {
          alerts: { id: string }[];
        }
      ).alerts.map((a) => a.id);
    expect(await get('?status=open&severity=critical&type=fiber&kecamatan=Baturaja%20Timur')).to.include(alertId);
    expect(await get('?severity=warning')).to.not.include(alertId);
    expect(await get('?kecamatan=Lengkiti')).to.not.include(alertId);
    expect(await get('?type=cctv,wifi')).to.not.include(alertId);
  });

  it('lists devices with state and a parent chain', async () => {
    const j = (await (
      await call('GET', '/api/devices?state=DOWN,UNREACHABLE', { cookie: cookies['viewer']! })
    ).json()) as { devices: { id: string; status: { state: string } }[] };
    expect(j.devices.find((d) => d.id === 'fo-baturaja-timur')?.status.state).to.equal('DOWN');
    expect(j.devices.length).to.equal(1 + fx.inventory.descendants('fo-baturaja-timur').length);
    const one = (await (
      await call('GET', '/api/devices/fo-baturaja-timur-01', { cookie: cookies['viewer']! })
    ).json()) as { ancestors: string[] };
    expect(one.ancestors).to.deep.equal(['fo-baturaja-timur', 'fo-core']);
    // The drawer's "N perangkat di bawahnya" is the whole subtree, the number a device_down alert names.
    const cut = (await (
      await call('GET', '/api/devices/fo-baturaja-timur', { cookie: cookies['viewer']! })
    ).json()) as { children: number; descendants: number };
    expect(cut.descendants).to.equal(fx.inventory.descendants('fo-baturaja-timur').length);
    expect(cut.descendants).to.be.greaterThan(cut.children);
    expect((await call('GET', '/api/devices/nope', { cookie: cookies['viewer']! })).status).to.equal(404);
  });

  it('reads device history and availability through the HistoryReader', async () => {
    const h = await call(
      'GET',
      '/api/devices/fo-core/history?series=icmp&from=2026-11-28T00:00:00Z&to=2026-11-28T01:00:00Z',
      { cookie: cookies['viewer']! },
    );
    expect(h.status).to.equal(200);
    const hj = (await h.json()) as { points: { values: Record<string, number> }[] };
    expect(hj.points.length).to.be.greaterThan(10);
    expect(hj.points[0]!.values).to.have.property('rtt_avg_ms');
    const a = (await (
      await call('GET', '/api/availability?groupBy=kecamatan', { cookie: cookies['viewer']! })
    ).json()) as { rows: { key: string }[] };
    expect(a.rows[0]!.key).to.equal('Baturaja Timur');
    const s = (await (await call('GET', '/api/summary', { cookie: cookies['viewer']! })).json()) as {
      types: Record<string, Record<string, number>>;
      alerts: { critical: number };
    };
    expect(s.types['fiber']!['DOWN']).to.equal(1);
    expect(s.alerts.critical).to.equal(1);
  });

  it('lets an operator acknowledge with a comment; a technician only alerts routed to their groups', async () => {
    const other = fx.alerting.raise({ deviceId: 'cctv-15', severity: 'warning' });
    fx.alerting.routes.set('Baturaja Timur', ['tim-timur']);
    try {
      const seen = (await (await call('GET', '/api/alerts', { cookie: cookies['teknisi']! })).json()) as {
        alerts: { id: string }[];
      };
      expect(seen.alerts.map((a) => a.id))
        .to.include(alertId)
        .and.not.include(other.id);
      expect(
        (await call('POST', `/api/alerts/${other.id}/ack`, { cookie: cookies['teknisi']!, body: {} })).status,
      ).to.equal(404);
      const ok = await call('POST', `/api/alerts/${alertId}/ack`, {
        cookie: cookies['teknisi']!,
        body: { comment: 'menuju lokasi' },
      });
      expect(ok.status).to.equal(200);
      const j = (await ok.json()) as { alert: { status: string; acknowledgedBy: string; ackComment: string } };
      expect(j.alert).to.include({ status: 'acknowledged', acknowledgedBy: 'teknisi', ackComment: 'menuju lokasi' });
      expect(
        (await call('POST', `/api/alerts/${other.id}/ack`, { cookie: cookies['operator']!, body: { comment: 'ok' } }))
          .status,
      ).to.equal(200);
      // A second ack adds an entry; the first acknowledger stays.
      const again = await call('POST', `/api/alerts/${other.id}/ack`, {
        cookie: cookies['admin']!,
        body: { comment: 'tim kedua' },
      });
      expect(again.status).to.equal(200);
      const one = (await (await call('GET', `/api/alerts/${other.id}`, { cookie: cookies['viewer']! })).json()) as {
        alert: { acknowledgedBy: string; acks: { by: string; comment?: string }[] };
      };
      expect(one.alert.acknowledgedBy).to.equal('operator');
      expect(one.alert.acks.map((k) => `${k.by}:${k.comment ?? ''}`)).to.deep.equal(['operator:ok', 'admin:tim kedua']);
      fx.alerting.resolve(other.id);
      expect(
        (await call('POST', `/api/alerts/${other.id}/ack`, { cookie: cookies['operator']!, body: {} })).status,
      ).to.equal(409);
    } finally {
      fx.alerting.routes.clear();
    }
  });

  it('adds and removes maintenance windows', async () => {
    const now = Date.now();
    const res = await call('POST', '/api/maintenance', {
      cookie: cookies['operator']!,
      body: { deviceId: 'fo-core', subtree: true, reason: 'ganti SFP', startsAt: now, endsAt: now + 3600_000 },
    });
    expect(res.status).to.equal(201);
    const w = ((await res.json()) as { window: { id: string; createdBy: string } }).window;
    expect(w.createdBy).to.equal('operator');
    expect((await call('DELETE', `/api/maintenance/${w.id}`, { cookie: cookies['operator']! })).status).to.equal(200);
    expect((await call('DELETE', `/api/maintenance/${w.id}`, { cookie: cookies['operator']! })).status).to.equal(404);
  });

  it('sets an HttpOnly SameSite=Strict cookie and never returns password hashes', async () => {
    const res = await call('POST', '/api/auth/login', { body: { username: 'viewer', password: PASSWORD } });
    const set = res.headers.get('set-cookie') ?? '';
    expect(set)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i);
    const users = await (await call('GET', '/api/users', { cookie: cookies['admin']! })).text();
    expect(users).to.not.match(/argon2|password/i);
    expect(await (await call('GET', '/api/summary', { cookie: cookies['admin']! })).text()).to.not.match(
      /pantau-lab|public"/,
    );
  });

  it('sends a strict CSP and health endpoints', async () => {
    const res = await call('GET', '/healthz');
    expect(res.status).to.equal(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'").and.include("object-src 'none'").and.not.include('unsafe-inline');
    expect((await call('GET', '/readyz')).status).to.equal(200);
    const m = await (await call('GET', '/metrics')).text();
    expect(m).to.include('pantau_http_requests_total').and.include('pantau_devices{state="DOWN"} 1');
  });

  it('logout ends the session', async () => {
    const c = await fx.login('viewer');
    expect((await call('POST', '/api/auth/logout', { cookie: c, body: {} })).status).to.equal(200);
    expect((await call('GET', '/api/auth/me', { cookie: c })).status).to.equal(401);
  });

  it('rate-limits failed logins per IP and username', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++)
      last = (await call('POST', '/api/auth/login', { body: { username: 'operator', password: 'wrong-password' } }))
        .status;
    expect(last).to.equal(429);
    // another username from the same address is not locked out
    expect(
      (await call('POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } })).status,
    ).to.equal(200);
  });
});
