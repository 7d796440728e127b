import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../core/logger.js';
import type { Alert, DeviceStatus } from '../../../core/types.js';
import { ensureWebBuilt } from '../../../server/web-build.js';
import { freePort } from '../../helpers/influxd.js';
import { startRedis, type RedisHandle } from '../../helpers/redis.js';
import { until } from '../../helpers/wait.js';
import { PASSWORD } from '../e2e/stack.js';
import { startMember, waitReady, writeClusterNetwork, type Proc, addCoreOperator } from './helpers.js';

/*
 * No data (ADR 0406) at the SHIPPED defaults (config/pantau.yaml: ICMP every 10 s, so the threshold is
 * max(6 × 10 s, 60 s) = 60 s): the only collector of both zones is stopped, and on the web server's REST
 * API every device turns UNKNOWN "no data" no sooner than 60 s after its last result, with no DOWN
 * alert and one no-data warning per zone; the collector starts again and every device is UP again.
 */
describe('cluster: the only collector stops (real redis-server, core + collector + web, shipped defaults)', function () {
  this.timeout(240_000);
  const DEVICES = 30;
  const THRESHOLD_MS = 60_000;
  let redis: RedisHandle;
  let dir: string;
  let config: string;
  const procs: Proc[] = [];
  let base = '';
  let cookie = '';

  before(async () => {
    await ensureWebBuilt(silentLogger());
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'pantau-no-data-'));
    config = writeClusterNetwork(dir, { devices: DEVICES, zones: 2, redisUrl: redis.url });
    await addCoreOperator(dir, PASSWORD);
    procs.push(startMember(config, 'core', 'core-a'));
    procs.push(startMember(config, 'collector', 'col-1'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const web = startMember(config, 'web', 'web-a', ['--host', '127.0.0.1', '--port', String(port)]);
    procs.push(web);
    await waitReady(`${base}/readyz`, web, 120_000);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORD }),
    });
    expect(login.status).to.equal(200);
    cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed')
      for (const p of procs) console.log(`--- ${p.child.spawnargs.slice(2).join(' ')}\n${p.output()}`);
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }
  const statuses = async () =>
    (await get<{ devices: { id: string; status: DeviceStatus | null }[] }>('/api/devices')).devices;
  const alerts = async () => (await get<{ alerts: Alert[] }>('/api/alerts')).alerts;

  it('every device turns "no data" (not DOWN) after 60 s of silence, one warning per zone, and UP again when results return', async () => {
    // Start-up: every device UP, and no false "no data" on the way (nothing raised at all).
    await until(async () => (await statuses()).every((d) => d.status?.state === 'UP'), 90_000, 'every device UP', 500);
    expect(await alerts(), 'alerts at start-up').to.deep.equal([]);

    const stoppedAt = Date.now();
    await procs[1]!.kill('SIGTERM');
    const silent = await until(
      async () => {
        const ds = await statuses();
        return ds.every((d) => d.status?.state === 'UNKNOWN') ? ds : undefined;
      },
      THRESHOLD_MS + 40_000,
      'every device UNKNOWN',
      500,
    );
    const tookMs = Date.now() - stoppedAt;
    for (const d of silent) {
      const st = d.status!;
      expect(st.reason, d.id).to.equal('no_data');
      // The last result came before the stop; the device turned no sooner than 60 s after it.
      expect(st.noDataSince, d.id).to.be.a('number').and.at.most(stoppedAt);
      expect(st.since - st.noDataSince!, d.id).to.be.greaterThan(THRESHOLD_MS);
    }
    const open = await alerts();
    expect(
      open.filter((a) => a.rule !== 'no_data'),
      'no DOWN alert for silence',
    ).to.deep.equal([]);
    const zones = open.map((a) => [a.key, a.severity, a.params['count']]).sort();
    // z1: core-01, dist-z1 and 14 of the 27 leaves; z2: dist-z2 and the other 13 (helpers.ts).
    expect(zones).to.deep.equal([
      ['no_data:z1', 'warning', 16],
      ['no_data:z2', 'warning', 14],
    ]);
    expect(open.find((a) => a.key === 'no_data:z2')!.title).to.match(
      /^Tidak ada data dari 14 perangkat di zona z2 sejak \d\d\/\d\d\/\d{4} \d\d\.\d\d WIB/,
    );

    // The collector again: its results take over, every device UP, the warnings resolved.
    const restartedAt = Date.now();
    procs[1] = startMember(config, 'collector', 'col-1');
    await until(
      async () => (await statuses()).every((d) => d.status?.state === 'UP'),
      60_000,
      'every device UP again',
      500,
    );
    const backMs = Date.now() - restartedAt;
    await until(
      async () => (await alerts()).filter((a) => a.status !== 'resolved').length === 0,
      20_000,
      'no-data warnings resolved',
      500,
    );
    const resolved = (await alerts()).map((a) => [a.key, a.status, a.resolvedReason]).sort();
    expect(resolved).to.deep.equal([
      ['no_data:z1', 'resolved', 'recovered'],
      ['no_data:z2', 'resolved', 'recovered'],
    ]);
    console.log(
      `      ${DEVICES} devices: all "no data" ${Math.round(tookMs / 1000)} s after the collector stopped; UP again ${Math.round(backMs / 1000)} s after it started`,
    );
  });
});
