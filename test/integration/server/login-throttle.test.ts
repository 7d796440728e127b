import { expect } from 'chai';
import { startFixture, PASSWORD, type Fixture } from './fixture.js';

// Runs the SHIPPED config (config/pantau.yaml: server.loginRateLimit defaults) — the delays start at
// 1 s, so no faster settings are needed.
describe('server/login throttle (real server, shipped settings)', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await startFixture();
  });
  after(async () => {
    await fx?.stop();
  });

  /** One login; the body is always read so the connection is freed. */
  const login = async (username: string, password: string) => {
    const res = await fetch(`${fx.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as { error?: { code: string; message: string } },
    };
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('20 wrong guesses at A → 429 with Retry-After; B still logs in from the same address; A after the delay', async () => {
    // user A = operator, attacked from 127.0.0.1 (address X)
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof login>> | undefined;
    for (let i = 0; i < 20; i++) {
      last = await login('operator', `salah-${i}`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5), 'the first 5 wrong passwords are plain 401s').to.deep.equal([401, 401, 401, 401, 401]);
    expect(last!.status).to.equal(429);
    const retry = Number(last!.headers.get('retry-after'));
    expect(retry).to.be.at.least(1).and.at.most(300);
    const body = last!.body as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('PANTAU_RATE_LIMITED');
    expect(body.error.message)
      .to.match(/terlalu banyak percobaan/)
      .and.match(/too many failed login attempts/);
    // A's CORRECT password during the block is refused too (the block holds the username)
    expect((await login('operator', PASSWORD)).status).to.equal(429);

    // the same address now sprays other (unknown) usernames until the address itself is throttled:
    // 6 counted failures at A + 5 here = 11 > the 10 free per address → the address waits 1 s (each
    // further failure would double it, so the test stops there to stay short)
    for (let i = 0; i < 5; i++) await login(`tamu${i}`, 'tebakan-salah');
    const again = await login('tamu0', 'tebakan-salah'); // a name with a failure of its own
    expect(again.status, 'address block holds failing usernames').to.equal(429);

    // user B (admin) has no failures: the correct password works from the same address
    const b = await login('admin', PASSWORD);
    expect(b.status).to.equal(200);
    expect(b.headers.get('set-cookie')).to.match(/pantau/i);

    // A's correct password after waiting as told (username and then possibly address delay)
    let a = await login('operator', PASSWORD);
    for (let tries = 0; a.status === 429 && tries < 5; tries++) {
      await sleep(Number(a.headers.get('retry-after')) * 1000 + 50);
      a = await login('operator', PASSWORD);
    }
    expect(a.status).to.equal(200);

    const metrics = await (await fetch(`${fx.base}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? NaN);
    expect(value(/^pantau_login_failures_total (\d+)/m)).to.equal(6 + 5);
    expect(value(/^pantau_login_throttled_total\{scope="username"\} (\d+)/m)).to.be.at.least(1);
    expect(value(/^pantau_login_throttled_total\{scope="address"\} (\d+)/m)).to.be.at.least(1);
  });
});
