import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { deviceSchema, type Device } from '../../../core/inventory/schema.js';
import { createEngine } from '../../../alerting/engine/engine.js';
import { parseRules } from '../../../alerting/rules/load.js';
import { createRenderer } from '../../../alerting/i18n.js';
import type { Effect, EngineEvent, EngineState } from '../../../alerting/engine/types.js';
import type { HttpResult } from '../../../collector/probes/http/index.js';
import type { TlsResult } from '../../../collector/probes/tls/index.js';
import type { DnsResult } from '../../../collector/probes/dns/index.js';
import type { ProbeErrorCode, ProbeResult } from '../../../core/types.js';
import { reachabilityKind } from '../../../core/reachability.js';
import { icmp } from './support.js';
import { readFileSync } from 'node:fs';

const base = { kecamatan: 'Baturaja Timur', lat: -4.1, lon: 104.1 };
const core = deviceSchema.parse({
  ...base,
  id: 'core',
  name: 'Core Diskominfo',
  type: 'fiber',
  role: 'core',
  address: '127.20.0.1',
  parent: null,
  probes: { icmp: {} },
});
const svc = (id: string, name: string, n: number): Device =>
  deviceSchema.parse({
    ...base,
    id,
    name,
    type: 'service',
    role: 'application',
    address: `127.24.0.${n}`,
    parent: 'core',
    probes: {
      icmp: { enabled: false },
      http: { url: `https://${id}.okukab.go.id/`, contains: name },
      tls: {},
      dns: {},
    },
  });
const inventory = buildInventory([core, svc('sip', 'SIP', 10), svc('eoffice', 'E-office', 11)]);
// The shipped rules: the certificate thresholds come from config/rules/default.yaml, not from this test.
const rules = parseRules(readFileSync(new URL('../../../config/rules/default.yaml', import.meta.url), 'utf8'));

const engine = createEngine({
  inventory,
  rules,
  degradedAfter: 3,
  flapping: { threshold: 6, windowMs: 600_000, quietMs: 300_000 },
  thresholds: () => ({ downAfter: 3, upAfter: 2 }),
});

const http = (deviceId: string, ts: number, code?: ProbeErrorCode, totalMs = 120): HttpResult => ({
  kind: 'http',
  deviceId,
  ts,
  durationMs: totalMs,
  ok: !code,
  ...(code ? { error: { code, message: code } } : {}),
  url: `https://${deviceId}.okukab.go.id/`,
  status:
    code === 'PANTAU_PROBE_HTTP_STATUS'
      ? 500
      : !code || code === 'PANTAU_PROBE_HTTP_SLOW' || code === 'PANTAU_PROBE_HTTP_CONTENT'
        ? 200
        : null,
  bytes: 300,
  redirects: 0,
  dnsMs: null,
  connectMs: 1,
  tlsMs: 5,
  ttfbMs: totalMs - 1,
  totalMs,
});
const tls = (deviceId: string, ts: number, daysLeft: number, code?: ProbeErrorCode): TlsResult => ({
  kind: 'tls',
  deviceId,
  ts,
  durationMs: 10,
  ok: !code,
  ...(code ? { error: { code, message: code } } : {}),
  host: `${deviceId}.okukab.go.id`,
  daysLeft,
  validTo: ts + daysLeft * 86_400_000,
  issuer: 'lab CA',
  protocol: 'TLSv1.3',
  handshakeMs: 5,
});
const dns = (deviceId: string, ts: number, code?: ProbeErrorCode): DnsResult => ({
  kind: 'dns',
  deviceId,
  ts,
  durationMs: 2,
  ok: !code,
  ...(code ? { error: { code, message: code } } : {}),
  name: `${deviceId}.okukab.go.id`,
  answers: code ? [] : ['127.24.0.10'],
  ms: code ? null : 1,
});

function run(events: Array<[number, ProbeResult]>, start?: EngineState) {
  let state = start ?? engine.initialState();
  const effects: Effect[] = [];
  for (const [t, r] of events) {
    const out = engine.step(state, { kind: 'probe', result: r } as EngineEvent, t);
    state = out.state;
    effects.push(...out.effects);
  }
  const raised = effects.filter((e): e is Extract<Effect, { kind: 'raise' }> => e.kind === 'raise');
  const states = new Map<string, string>();
  for (const e of effects) if (e.kind === 'state') states.set(e.change.deviceId, e.change.status.state);
  return { state, effects, raised, states };
}
/** Every device answers once at t0 (all UP), then `more`. */
const healthy = (t0 = 0): Array<[number, ProbeResult]> => [
  [t0, icmp('core', t0, 3)],
  [t0, http('sip', t0)],
  [t0, http('eoffice', t0)],
];
const title = createRenderer(rules).title;

describe('alerting/engine: services (ADR 0701)', () => {
  it('a service is reached via its http check, not ping', () => {
    expect(reachabilityKind(inventory.byId.get('sip')!)).to.equal('http');
    expect(reachabilityKind(core)).to.equal('icmp');
  });

  const faults: Array<{ fault: string; code: ProbeErrorCode; state: string; rule: string; severity: string }> = [
    {
      fault: 'http-status 500',
      code: 'PANTAU_PROBE_HTTP_STATUS',
      state: 'DOWN',
      rule: 'device_down',
      severity: 'critical',
    },
    {
      fault: 'content-changed',
      code: 'PANTAU_PROBE_HTTP_CONTENT',
      state: 'DOWN',
      rule: 'device_down',
      severity: 'critical',
    },
    {
      fault: 'cert-expired (browser refuses)',
      code: 'PANTAU_PROBE_TLS_EXPIRED',
      state: 'DOWN',
      rule: 'device_down',
      severity: 'critical',
    },
    { fault: 'port-closed', code: 'PANTAU_PROBE_REFUSED', state: 'DOWN', rule: 'device_down', severity: 'critical' },
    {
      fault: 'http-slow',
      code: 'PANTAU_PROBE_HTTP_SLOW',
      state: 'DEGRADED',
      rule: 'device_degraded',
      severity: 'warning',
    },
  ];
  for (const f of faults) {
    it(`${f.fault} behind a healthy core → ${f.state}, its own ${f.severity} alert saying why`, () => {
      // The core keeps answering right after each failure: the network is fine, the application is not.
      const ev = [
        ...healthy(),
        ...[1, 2, 3].flatMap((i): Array<[number, ProbeResult]> => [
          [i * 2000, http('sip', i * 2000, f.code, f.code === 'PANTAU_PROBE_HTTP_SLOW' ? 8000 : 50)],
          [i * 2000 + 5, icmp('core', i * 2000 + 5, 3)],
        ]),
      ];
      const { raised, state } = run(ev);
      expect(raised.map((a) => a.rule)).to.deep.equal([f.rule]);
      expect(raised[0]).to.include({ deviceId: 'sip', severity: f.severity });
      expect(raised[0]!.params['code']).to.equal(f.code);
      expect(state.devices.get('sip')!.effective).to.equal(f.state);
      expect(state.devices.get('eoffice')!.effective).to.equal('UP');
      expect(title(raised[0]!.messageKey, raised[0]!.params, 'id')).to.match(/^SIP (mati|terganggu): /);
    });
  }

  it("the core's fiber cut is ONE critical alert naming the services it takes down", () => {
    const ev: Array<[number, ProbeResult]> = [...healthy()];
    for (let i = 1; i <= 4; i++) {
      const t = i * 1000;
      // Services fail first (checked just before the core), the hard order for root cause.
      ev.push(
        [t, http('sip', t, 'PANTAU_PROBE_TIMEOUT')],
        [t, http('eoffice', t, 'PANTAU_PROBE_TIMEOUT')],
        [t + 10, icmp('core', t + 10, 0)],
      );
    }
    const { raised, state } = run(ev);
    expect(raised).to.have.length(1);
    expect(raised[0]).to.include({ deviceId: 'core', rule: 'device_down', severity: 'critical' });
    expect(raised[0]!.params['services']).to.equal('SIP, E-office');
    expect(raised[0]!.affected).to.have.members(['sip', 'eoffice']);
    expect(title(raised[0]!.messageKey, raised[0]!.params, 'id')).to.equal(
      'Core Diskominfo mati — 2 perangkat tidak terjangkau (2 layanan) — layanan terdampak: SIP, E-office',
    );
    expect(state.devices.get('sip')!.effective).to.equal('UNREACHABLE');
    expect(state.devices.get('sip')!.rootCauseId).to.equal('core');
  });

  it('a certificate expiring in 2 days → one critical alert; in 10 days → one warning (shipped rules)', () => {
    const two = run([...healthy(), [1000, tls('sip', 1000, 1.99)]]);
    expect(two.raised.map((a) => [a.rule, a.severity])).to.deep.equal([['tls_certificate_expiring', 'critical']]);
    expect(two.state.devices.get('sip')!.effective).to.equal('UP');
    const ten = run([...healthy(), [1000, tls('sip', 1000, 9.99)]]);
    expect(ten.raised.map((a) => [a.rule, a.severity])).to.deep.equal([['tls_certificate_expiring', 'warning']]);
    expect(run([...healthy(), [1000, tls('sip', 1000, 80)]]).raised).to.have.length(0);
  });

  it('a DNS name that no longer resolves degrades the service (its own warning), the application still answers', () => {
    const ev: Array<[number, ProbeResult]> = [
      ...healthy(),
      ...[1, 2, 3].map((i): [number, ProbeResult] => [i * 1000, dns('sip', i * 1000, 'PANTAU_PROBE_DNS_NXDOMAIN')]),
    ];
    const { raised, state } = run(ev);
    expect(state.devices.get('sip')!.effective).to.equal('DEGRADED');
    expect(raised.map((a) => [a.rule, a.params['kind'], a.params['code']])).to.deep.equal([
      ['device_degraded', 'dns', 'PANTAU_PROBE_DNS_NXDOMAIN'],
    ]);
    expect(title(raised[0]!.messageKey, raised[0]!.params, 'en')).to.equal(
      'SIP degraded: DNS: the domain name does not exist in DNS (NXDOMAIN)',
    );
  });

  it('a service alert without a probe code still reads in both languages (catalogue key alert.service_degraded)', () => {
    const p = { device: 'SIP', deviceId: 'svc-sip', kind: 'tls' };
    expect(title('alert.service_degraded', p, 'id')).to.equal('SIP terganggu: pemeriksaan TLS gagal');
    expect(title('alert.service_degraded', p, 'en')).to.equal('SIP degraded: TLS check failing');
  });

  it('a slow answer is not an outage: reachability holds, DEGRADED only after degradedAfter slow answers', () => {
    const two = run([
      ...healthy(),
      [1000, http('sip', 1000, 'PANTAU_PROBE_HTTP_SLOW', 8000)],
      [2000, http('sip', 2000, 'PANTAU_PROBE_HTTP_SLOW', 8000)],
    ]);
    expect(two.state.devices.get('sip')!.effective).to.equal('UP');
    expect(two.state.devices.get('sip')!.fail).to.equal(0);
    expect(two.raised).to.have.length(0);
    // One normal answer between slow ones starts the count again.
    const back = run(
      [
        [3000, http('sip', 3000)],
        [4000, http('sip', 4000, 'PANTAU_PROBE_HTTP_SLOW', 8000)],
      ],
      two.state,
    );
    expect(back.raised).to.have.length(0);
    expect(back.state.devices.get('sip')!.effective).to.equal('UP');
  });
});
