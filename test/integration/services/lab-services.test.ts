/**
 * The public applications against the lab's real HTTPS services (own CA, own DNS server) on loopback:
 * each fault → its code (pollOnce, the SHIPPED config/pantau.yaml and its defaults, the lab's CA and DNS
 * given the way an operator would: PANTAU_SERVICES_CA_FILE / PANTAU_DNS_SERVER), then → its state and
 * alert (collector + alert engine running), the core's fiber cut → one alert naming the services, and a
 * probe that throws → PANTAU_PROBE_INTERNAL with the other services still polled.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig, type LoadedConfig } from '../../../core/config/load.js';
import { buildInventory, type Inventory } from '../../../core/inventory/topology.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { systemClock } from '../../../core/time.js';
import type { Device, ProbeResult } from '../../../core/types.js';
import type { Config } from '../../../core/config/schema.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import { createAlerting, type Alerting } from '../../../alerting/alerting.js';
import type { HttpResult } from '../../../collector/probes/http/index.js';
import type { TlsResult } from '../../../collector/probes/tls/index.js';
import type { DnsResult } from '../../../collector/probes/dns/index.js';
import type { TcpResult } from '../../../collector/probes/tcp/index.js';
import { startTestLab } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';
import type { Lab } from '../../../simulator/lab.js';

const SHIPPED = 'config/pantau.yaml';

describe('services: the twelve OKU applications against the lab (real HTTPS, lab CA, lab DNS)', function () {
  this.timeout(120_000);
  let dir: string;
  let loaded: LoadedConfig;
  let inventory: Inventory;
  let lab: Lab;
  const env = (): NodeJS.ProcessEnv => ({
    PANTAU_SERVICES_CA_FILE: join(dir, 'lab-ca.pem'),
    PANTAU_DNS_SERVER: '127.24.0.2:53',
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-svc-'));
    loaded = loadConfig(SHIPPED, env());
    const full = loaded.inventory;
    // The core and the twelve applications of the shipped inventory; REMIK also gets a TCP check of its port.
    // Loopback HTTPS answers in milliseconds, but a CI machine at load 8 has taken 7 s: every service but
    // E-office gets an 8 s limit, so only E-office (the http-slow fault, at the shipped 3 s limit) is "slow".
    const devices = full.devices
      .filter((d) => d.id === 'fo-core' || d.type === 'service')
      .map((d) => {
        if (d.type !== 'service' || d.id === 'svc-eoffice') return d;
        const probes = {
          ...d.probes,
          http: { ...d.probes.http!, maxLatencyMs: 8000 },
          ...(d.id === 'svc-remik' ? { tcp: { enabled: true, port: 443 } } : {}),
        };
        return { ...d, probes } as Device;
      });
    inventory = buildInventory(devices);
    expect(inventory.devices.filter((d) => d.type === 'service')).to.have.length(12);
    lab = await startTestLab({ inventory, services: { caFile: join(dir, 'lab-ca.pem') } });
  });
  after(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await lab.clear('all');
  });

  const poll = async (config = loaded.config, hooks?: Record<string, unknown>) => {
    const c = createCollector({
      config,
      inventory,
      bus: createInProcessBus(),
      logger: silentLogger(),
      configDir: loaded.configDir,
      ...(hooks ? { probeHooks: hooks } : {}),
    });
    const rs = await c.pollOnce();
    const by = <R extends ProbeResult>(kind: R['kind']) =>
      new Map(rs.filter((r) => r.kind === kind).map((r) => [r.deviceId, r as R]));
    return {
      http: by<HttpResult>('http'),
      tls: by<TlsResult>('tls'),
      dns: by<DnsResult>('dns'),
      tcp: by<TcpResult>('tcp'),
    };
  };

  it('shipped config: every application answers over HTTPS, timed per phase; certificates and names check out', async () => {
    const r = await poll();
    expect(r.http.size).to.equal(12);
    for (const [id, h] of r.http) {
      expect(h, `${id} ${JSON.stringify(h.error)}`).to.deep.include({ ok: true, status: 200 });
      for (const k of ['connectMs', 'tlsMs', 'ttfbMs', 'totalMs'] as const)
        expect(h[k], `${id} ${k}`).to.be.a('number').and.at.least(0);
      expect(h.totalMs!).to.be.at.least(h.ttfbMs!);
      const t = r.tls.get(id)!;
      expect(t, JSON.stringify(t.error)).to.deep.include({ ok: true });
      expect(t.daysLeft!).to.be.within(89, 90.1);
      expect(t.protocol).to.equal('TLSv1.3');
      const d = r.dns.get(id)!;
      expect(d, JSON.stringify(d.error)).to.deep.include({ ok: true, answers: [inventory.byId.get(id)!.address] });
    }
    expect(r.tcp.get('svc-remik')).to.deep.include({ ok: true, port: 443 });
  });

  it('trusts the lab CA only through its config: without caFile every certificate is untrusted (TLS_CHAIN)', async () => {
    const bare = loadConfig(SHIPPED, {});
    const r = await poll(bare.config);
    expect([...r.http.values()].map((h) => h.error?.code)).to.deep.equal(Array(12).fill('PANTAU_PROBE_TLS_CHAIN'));
    expect(r.tls.get('svc-sip')!.error!.code).to.equal('PANTAU_PROBE_TLS_CHAIN');
    expect(r.tls.get('svc-sip')!.daysLeft).to.be.above(80);
  });

  it('each lab fault → its stable code (one poll, faults on different applications at once)', async () => {
    const faults: Array<[string, string, string[]]> = [
      ['svc-sip', 'http-status', ['500']],
      // 5 s, not the 8 s: slower than the 3 s limit with 5 s of the 10 s budget to spare on a loaded CI machine.
      ['svc-eoffice', 'http-slow', ['5000']],
      ['svc-sakip', 'content-changed', []],
      ['svc-oku-menyapa', 'cert-expiring', ['2']],
      ['svc-ekir', 'cert-expired', []],
      ['svc-apede', 'cert-wrong-host', []],
      ['svc-oku-cinde', 'dns-nxdomain', []],
      ['svc-remik', 'port-closed', []],
      ['svc-oku-go', 'cert-expiring', ['10']],
    ];
    const { parseFault } = await import('../../../simulator/model/faults.js');
    for (const [id, kind, args] of faults) await lab.fault(id, parseFault(kind, args).fault);
    const r = await poll();
    const code = (m: Map<string, { error?: { code: string } }>, id: string) => m.get(id)?.error?.code;
    expect(code(r.http, 'svc-sip')).to.equal('PANTAU_PROBE_HTTP_STATUS');
    expect(r.http.get('svc-sip')!.status).to.equal(500);
    expect(code(r.http, 'svc-eoffice')).to.equal('PANTAU_PROBE_HTTP_SLOW');
    expect(r.http.get('svc-eoffice')!.totalMs!).to.be.within(5000, 10_000);
    expect(code(r.http, 'svc-sakip')).to.equal('PANTAU_PROBE_HTTP_CONTENT');
    expect(r.http.get('svc-oku-menyapa')!.ok).to.equal(true);
    expect(r.tls.get('svc-oku-menyapa')).to.deep.include({ ok: true });
    expect(r.tls.get('svc-oku-menyapa')!.daysLeft!).to.be.within(1.9, 2);
    expect(r.tls.get('svc-oku-go')!.daysLeft!).to.be.within(9.9, 10);
    expect(code(r.http, 'svc-ekir')).to.equal('PANTAU_PROBE_TLS_EXPIRED');
    expect(code(r.tls, 'svc-ekir')).to.equal('PANTAU_PROBE_TLS_EXPIRED');
    expect(r.tls.get('svc-ekir')!.daysLeft!).to.be.below(0);
    expect(code(r.http, 'svc-apede')).to.equal('PANTAU_PROBE_TLS_HOSTNAME');
    expect(code(r.tls, 'svc-apede')).to.equal('PANTAU_PROBE_TLS_HOSTNAME');
    expect(code(r.dns, 'svc-oku-cinde')).to.equal('PANTAU_PROBE_DNS_NXDOMAIN');
    expect(r.http.get('svc-oku-cinde')!.ok).to.equal(true);
    expect(code(r.http, 'svc-remik')).to.equal('PANTAU_PROBE_REFUSED');
    expect(code(r.tcp, 'svc-remik')).to.equal('PANTAU_PROBE_TCP_REFUSED');
    // The three applications without a fault are untouched.
    for (const id of ['svc-msimpebaja', 'svc-pindang-gabus', 'svc-sidarling'])
      expect(r.http.get(id)!.ok, id).to.equal(true);
  });

  it("a probe that throws inside its definition → PANTAU_PROBE_INTERNAL; the kind's other devices are still polled", async () => {
    const r = await poll(loaded.config, {
      httpBeforeRun: (d: Device) => {
        if (d.id === 'svc-sip') throw new TypeError('bug in a check');
      },
    });
    expect(r.http.get('svc-sip')!.error).to.deep.equal({ code: 'PANTAU_PROBE_INTERNAL', message: 'bug in a check' });
    expect([...r.http.values()].filter((h) => h.ok)).to.have.length(11);
  });

  describe('states and alerts (collector + alert engine running)', () => {
    let collector: Collector;
    let alerting: Alerting;
    before(async () => {
      // Faster than the shipped intervals (http 30 s, tls 300 s, dns 60 s) so three slow answers and a
      // certificate re-check fit in seconds; thresholds, limits and rules are the shipped ones.
      const shipped = loaded.config;
      const config: Config = {
        ...shipped,
        collector: {
          ...shipped.collector,
          intervals: { ...shipped.collector.intervals, http: 2, tls: 2, dns: 2, tcp: 2 },
          traps: { enabled: false, address: '127.0.0.1', port: 16299 },
        },
      };
      const bus = createInProcessBus();
      alerting = createAlerting({
        config,
        inventory,
        store: openStore(':memory:'),
        bus,
        clock: systemClock,
        logger: silentLogger(),
        configDir: loaded.configDir,
      });
      alerting.start();
      collector = createCollector({ config, inventory, bus, logger: silentLogger(), configDir: loaded.configDir });
      await collector.start();
      await until(() => alerting.statuses().filter((s) => s.state === 'UP').length === 13, 20_000, 'all 13 UP');
    });
    after(async () => {
      await collector?.stop();
      await alerting?.stop();
    });
    const state = (id: string) => alerting.statuses().find((s) => s.deviceId === id);
    const open = () => alerting.listAlerts().filter((a) => a.status !== 'resolved');

    it('each fault → its state and ONE alert; a certificate in 2 days → critical, in 10 days → warning', async () => {
      const { parseFault } = await import('../../../simulator/model/faults.js');
      const f = (id: string, kind: string, ...args: string[]) => lab.fault(id, parseFault(kind, args).fault);
      await f('svc-sip', 'http-status', '500');
      await f('svc-eoffice', 'http-slow', '3300');
      await f('svc-ekir', 'cert-expired');
      await f('svc-oku-cinde', 'dns-nxdomain');
      await f('svc-oku-menyapa', 'cert-expiring', '2');
      await f('svc-oku-go', 'cert-expiring', '10');
      const want: Record<string, [string, string | undefined]> = {
        'svc-sip': ['DOWN', 'PANTAU_PROBE_HTTP_STATUS'],
        'svc-ekir': ['DOWN', 'PANTAU_PROBE_TLS_EXPIRED'],
        'svc-eoffice': ['DEGRADED', 'PANTAU_PROBE_HTTP_SLOW'],
        'svc-oku-cinde': ['DEGRADED', 'PANTAU_PROBE_DNS_NXDOMAIN'],
        'svc-oku-menyapa': ['UP', undefined],
        'svc-oku-go': ['UP', undefined],
      };
      await until(
        () => Object.entries(want).every(([id, [st]]) => state(id)?.state === st) && open().length >= 6,
        40_000,
        'the six states and alerts',
      ).catch((err: Error) => {
        throw new Error(
          `${err.message}: ${JSON.stringify(alerting.statuses().filter((s) => s.deviceId in want))} ${JSON.stringify(open().map((a) => a.key))}`,
        );
      });
      for (const [id, [st, code]] of Object.entries(want)) {
        expect(state(id)!.state, id).to.equal(st);
        if (code) expect(state(id)!.probeError?.code, id).to.equal(code);
      }
      // pantau_health ("polls behind schedule") is pantau's own alert about a loaded test machine at 2 s intervals, not a service's.
      const alerts = open()
        .filter((a) => a.rule !== 'pantau_health')
        .map((a) => `${a.rule}:${a.deviceId}:${a.severity}`)
        .sort();
      expect(alerts).to.deep.equal([
        'device_degraded:svc-eoffice:warning',
        'device_degraded:svc-oku-cinde:warning',
        'device_down:svc-ekir:critical',
        'device_down:svc-sip:critical',
        'tls_certificate_expiring:svc-oku-go:warning',
        'tls_certificate_expiring:svc-oku-menyapa:critical',
      ]);
      expect(open().find((a) => a.deviceId === 'svc-sip')!.title).to.equal(
        'SIP mati: aplikasi menjawab dengan kode status HTTP yang tidak diharapkan',
      );
      await lab.clear('all');
      await until(
        () =>
          alerting.statuses().filter((s) => s.state === 'UP').length === 13 &&
          open().filter((a) => a.rule !== 'pantau_health').length === 0,
        30_000,
        'recovered, certificates renewed',
      );
    });

    it("the core's fiber cut is ONE alert that names the twelve applications", async () => {
      const before = new Set(alerting.listAlerts().map((a) => a.id));
      await lab.fault('fo-core', { kind: 'down' }, { subtree: true });
      await until(
        () =>
          state('fo-core')?.state === 'DOWN' &&
          inventory.devices.filter((d) => d.type === 'service').every((d) => state(d.id)?.state === 'UNREACHABLE'),
        30_000,
        'core DOWN, services UNREACHABLE',
      );
      await new Promise((r) => setTimeout(r, 1500));
      const fresh = alerting.listAlerts().filter((a) => !before.has(a.id));
      expect(fresh.filter((a) => a.rule !== 'pantau_health').map((a) => a.key)).to.deep.equal(['device_down:fo-core']);
      const cut = fresh.find((a) => a.key === 'device_down:fo-core')!;
      expect(cut.affected).to.have.length(12);
      expect(cut.title).to.match(
        /^Core Diskominfo \(Data Center Baturaja\) mati — 12 perangkat tidak terjangkau \(12 layanan\) — layanan terdampak: mSimpebaja, SIP, E-office, SAKIP Kabupaten, /,
      );
      await lab.clear('all');
    });
  });
});
