import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import type { Device, IcmpResult, OnvifResult, ProbeResult, SnmpResult, TrapResult } from '../../../core/types.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import { toPoints } from '../../../metrics/points.js';
import { profileOf } from '../../../simulator/model/profile.js';
import type { Lab } from '../../../simulator/lab.js';
import { startTestLab } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';

const OPTICAL_METRIC: Record<string, { name: string; resolution: number }> = {
  mikrotik: { name: 'optical_rx_dbm', resolution: 0.001 },
  huawei: { name: 'optical_rx_dbm', resolution: 0.01 },
  zte: { name: 'optical_rx_dbm', resolution: 0.001 },
  // ENTITY-SENSOR rows told apart by the ENTITY-MIB names the lab serves ("SFP1 Rx Power").
  generic: { name: 'optical_rx_dbm', resolution: 0.01 },
};

// The shipped defaults (config/pantau.yaml sets none: icmp 3000, snmp 5000, onvif 8000 ms). The lab
// answers a poll of every device well inside them on the loaded 2-core machine (ADR 0104), so the
// tests use them rather than inflated ones that would hide a slow lab or a chatty probe.
const TIMEOUTS = loadConfig('config/pantau.yaml', {}).config.collector.timeoutsMs;

/** config/pantau.yaml with absolute paths (timeouts: the defaults), for the CLI. */
function cliConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-poll-'));
  const text = readFileSync('config/pantau.yaml', 'utf8')
    .replace('  - inventory/oku.yaml', `  - ${resolvePath('config/inventory/oku.yaml')}`)
    .replace('  - inventory/oku-services.yaml', `  - ${resolvePath('config/inventory/oku-services.yaml')}`)
    .replace(/^collector:\n/m, `collector:\n  profilesDir: ${resolvePath('config/profiles')}\n`);
  const file = join(dir, 'pantau.yaml');
  writeFileSync(file, text);
  return file;
}

function pollCli(args: string[]): Promise<ProbeResult[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'node',
      ['bin/pantau.mjs', 'poll', '--once', '--json', '--config', cliConfig(), ...args],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, env: { ...process.env, PANTAU_LOG_LEVEL: 'error' } },
      (err, stdout, stderr) => {
        if (err && !stdout) {
          reject(new Error(`${err.message}\n${stderr}`));
          return;
        }
        resolve(
          stdout
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as ProbeResult),
        );
      },
    );
  });
}

describe('collector against the network lab (all 227 devices)', function () {
  this.timeout(240_000);
  const loaded = loadConfig('config/pantau.yaml', {});
  const inventory = loaded.inventory;
  const trapPort = 20000 + Math.floor(Math.random() * 30000);
  let lab: Lab;
  let collector: Collector;
  const seen: ProbeResult[] = [];

  before(async () => {
    lab = await startTestLab({ inventory, trapTarget: { host: '127.0.0.1', port: trapPort } });
    const bus = createInProcessBus();
    bus.subscribe('probe.result', (r) => {
      seen.push(r);
    });
    const config = {
      ...loaded.config,
      collector: {
        ...loaded.config.collector,
        traps: { enabled: true, address: '127.0.0.1', port: trapPort },
        intervals: { icmp: 3600, snmp: 3600, onvif: 3600, http: 3600, tls: 3600, dns: 3600, tcp: 3600 },
      },
    };
    collector = createCollector({ config, inventory, bus, logger: silentLogger(), configDir: loaded.configDir });
    await collector.start();
  });
  after(async () => {
    await collector?.stop();
    await lab?.stop();
  });

  it('`pantau poll --once --json` reads every device: ICMP, SNMP, optical dBm per vendor, Wi-Fi clients', async () => {
    const wifiBefore = new Map(inventory.devices.map((d) => [d.id, lab.expectedWifiClients(d.id)]));
    const results = await pollCli([]);
    const wifiAfter = new Map(inventory.devices.map((d) => [d.id, lab.expectedWifiClients(d.id)]));
    const by = (kind: string, id: string) => results.find((r) => r.kind === kind && r.deviceId === id);

    const icmp = results.filter((r): r is IcmpResult => r.kind === 'icmp');
    expect(icmp).to.have.length(227);
    expect(icmp.filter((r) => !r.ok).map((r) => r.deviceId)).to.deep.equal([]);

    const snmpDevices = inventory.devices.filter((d) => d.probes.snmp);
    const snmp = results.filter((r): r is SnmpResult => r.kind === 'snmp');
    expect(snmp).to.have.length(snmpDevices.length);
    expect(snmp.filter((r) => !r.ok).map((r) => `${r.deviceId} ${r.error?.code}`)).to.deep.equal([]);

    const cams = inventory.devices.filter((d) => d.probes.onvif);
    const onvif = results.filter((r): r is OnvifResult => r.kind === 'onvif');
    expect(onvif).to.have.length(cams.length);
    for (const r of onvif) {
      const d = inventory.byId.get(r.deviceId)!;
      expect(r, `${r.deviceId} ${JSON.stringify(r.error)}`).to.deep.include({
        ok: true,
        reachable: true,
        authenticated: true,
        mismatches: [],
      });
      expect(r.info!.model, r.deviceId).to.equal(d.model);
      expect(r.snapshot, r.deviceId).to.include({ ok: true, status: 200 });
      expect(r.rtsp, r.deviceId).to.include({ ok: true, status: 200, sdp: true });
      expect(Math.abs(r.clockDriftS!), r.deviceId).to.be.lessThan(2);
    }

    expect(TIMEOUTS).to.include({ snmp: 5000 });
    let genericOptics = 0;
    for (const d of snmpDevices) {
      const r = by('snmp', d.id) as SnmpResult;
      expect(r.sysName, d.id).to.equal(d.id);
      const uplink = d.probes.snmp!.uplinkIfIndex;
      expect(
        r.interfaces.filter((i) => i.isUplink).map((i) => i.ifIndex),
        d.id,
      ).to.deep.equal(uplink ? [uplink] : []);
      expect(r.interfaces.length, d.id).to.be.greaterThan(0);
      const optical = lab.expectedOptical(d.id);
      if (d.type === 'fiber') {
        expect(optical, d.id).to.not.equal(null);
        const want = OPTICAL_METRIC[d.vendor]!;
        const got = r.metrics.filter((m) => m.name === want.name).map((m) => m.value);
        expect(got.length, `${d.id} ${want.name}`).to.be.greaterThan(0);
        // One source per quantity: a vendor's own optics replace ENTITY-SENSOR's, never both.
        expect(got.length, `${d.id} ${want.name}: ${got.join(',')}`).to.equal(1);
        expect(Math.abs(got[0]! - optical!.rxDbm), `${d.id} rx ${optical!.rxDbm} vs ${got.join(',')}`).to.be.at.most(
          want.resolution + 1e-9,
        );
        if (d.vendor === 'generic') {
          const tx = r.metrics.filter((m) => m.name === 'optical_tx_dbm');
          expect(tx.map((m) => m.value).length, `${d.id} optical_tx_dbm`).to.equal(1);
          expect(
            Math.abs(tx[0]!.value - optical!.txDbm),
            `${d.id} tx ${optical!.txDbm} vs ${tx[0]!.value}`,
          ).to.be.at.most(want.resolution + 1e-9);
          // rx and tx carry the same port label, so they become one optical series downstream.
          expect(
            r.metrics.filter((m) => m.name.startsWith('optical_')).map((m) => m.labels['sensor']),
            d.id,
          ).to.deep.equal(['SFP1', 'SFP1']);
          genericOptics++;
        }
        for (const m of r.metrics.filter((x) => x.unit === 'dBm'))
          expect(m.value, `${d.id} ${m.name}`).to.be.within(-40, 10);
        // What the metrics sink makes of it: one optical point per device (one transceiver), tagged
        // with the port's name where the device names it (MikroTik mtxrOpticalName, ENTITY-MIB; not ZTE).
        const points = toPoints(r, d).filter((p) => p.measurement === 'optical');
        expect(points.length, `${d.id} optical points`).to.equal(1);
        const uplinkName = profileOf(d, inventory.children(d.id).length).interfaces[0]!.name;
        const port = { mikrotik: uplinkName, huawei: uplinkName, generic: 'SFP1' }[d.vendor as string];
        if (port) expect(points[0]!.tags['port'], `${d.id} optical port tag`).to.equal(port);
      }
      const clients = [wifiBefore.get(d.id), wifiAfter.get(d.id)];
      if (clients[0] !== null && clients[0] !== undefined) {
        const got = r.metrics.find((m) => m.name === 'wifi_clients');
        expect(got, `${d.id} wifi_clients`).to.not.equal(undefined);
        expect(clients, `${d.id} wifi_clients ${got!.value}`).to.include(got!.value);
      }
    }
    expect(genericOptics, 'generic fiber devices with rx and tx optics').to.equal(
      inventory.devices.filter((d) => d.type === 'fiber' && d.vendor === 'generic' && d.probes.snmp).length,
    );
    expect(genericOptics).to.be.greaterThan(20);
  });

  it("interface rates from two polls are within 5% of the lab's configured rate", async () => {
    const fiber = inventory.devices.filter((d) => d.type === 'fiber' || d.type === 'wifi').slice(0, 120);
    const ids = new Set(fiber.map((d) => d.id));
    const poll = async () =>
      (await collector.pollOnce()).filter((r): r is SnmpResult => r.kind === 'snmp' && ids.has(r.deviceId));
    const first = await poll();
    // Measurement window: the rate is averaged over these 10 s of the lab's counters.
    await new Promise((r) => setTimeout(r, 10_000));
    const second = await poll();
    let compared = 0;
    const bad: string[] = [];
    for (const r2 of second) {
      const r1 = first.find((r) => r.deviceId === r2.deviceId)!;
      expect(r2.ok, `${r2.deviceId} ${JSON.stringify(r2.error)}`).to.equal(true);
      for (const itf of r2.interfaces) {
        const want = lab.expectedRate(r2.deviceId, itf.ifIndex, r1.ts, r2.ts);
        for (const [got, exp, dir] of [
          [itf.inBps, want.inBps, 'in'],
          [itf.outBps, want.outBps, 'out'],
        ] as const) {
          if (exp < 1000) continue;
          compared++;
          if (got === null || Math.abs(got - exp) / exp > 0.05)
            bad.push(`${r2.deviceId} if${itf.ifIndex} ${dir}: ${got} vs ${Math.round(exp)}`);
        }
      }
    }
    expect(compared).to.be.greaterThan(200);
    expect(bad).to.deep.equal([]);
  });

  it('faults: down is a timeout, malformed SNMP is a bad response, and neither stalls the others', async () => {
    const [down, garbled, healthy] = ['fo-lengkiti-01', 'fo-baturaja-barat-01', 'fo-baturaja-timur-01'];
    await lab.fault(down!, { kind: 'down' });
    await lab.fault(garbled!, { kind: 'malformed-snmp' });
    try {
      const started = Date.now();
      const results = await collector.pollOnce({ type: 'fiber' });
      const get = (kind: string, id: string) => results.find((r) => r.kind === kind && r.deviceId === id)!;
      expect(get('snmp', down!).error?.code).to.equal('PANTAU_PROBE_TIMEOUT');
      expect(get('icmp', down!) as IcmpResult).to.deep.include({ ok: false, lossPct: 100 });
      expect(get('snmp', garbled!).error?.code).to.equal('PANTAU_PROBE_BAD_RESPONSE');
      expect(get('snmp', healthy!).ok).to.equal(true);
      const okCount = results.filter((r) => r.kind === 'snmp' && r.ok).length;
      expect(okCount).to.equal(results.filter((r) => r.kind === 'snmp').length - 2);
      // Two broken devices cost at most one probe timeout, not one per device.
      expect(Date.now() - started).to.be.lessThan(TIMEOUTS.snmp * 2);
    } finally {
      await lab.clear('all');
    }
  });

  it('camera faults come back with the right code, and healthy cameras stay healthy', async () => {
    const cases: Array<[string, Parameters<Lab['fault']>[1], string]> = [
      ['cctv-01', { kind: 'wrong-credentials' }, 'PANTAU_PROBE_AUTH'],
      ['cctv-02', { kind: 'snapshot', mode: 'http500' }, 'PANTAU_PROBE_SNAPSHOT'],
      ['cctv-03', { kind: 'snapshot', mode: 'not-jpeg' }, 'PANTAU_PROBE_SNAPSHOT'],
      ['cctv-04', { kind: 'snapshot', mode: 'empty' }, 'PANTAU_PROBE_SNAPSHOT'],
      ['cctv-05', { kind: 'rtsp-down' }, 'PANTAU_PROBE_RTSP'],
      ['cctv-06', { kind: 'clock-drift', seconds: 90 }, 'PANTAU_PROBE_CLOCK_DRIFT'],
      ['cctv-07', { kind: 'malformed-soap' }, 'PANTAU_PROBE_BAD_RESPONSE'],
      ['cctv-08', { kind: 'down' }, 'PANTAU_PROBE_TIMEOUT'],
    ];
    for (const [id, fault] of cases) await lab.fault(id, fault);
    try {
      const started = Date.now();
      const results = (await collector.pollOnce({ type: 'cctv' })).filter((r): r is OnvifResult => r.kind === 'onvif');
      for (const [id, , code] of cases) {
        const r = results.find((x) => x.deviceId === id)!;
        expect(r.error?.code, `${id}: ${JSON.stringify(r)}`).to.equal(code);
      }
      expect(results.find((r) => r.deviceId === 'cctv-01')).to.include({ reachable: true, authenticated: false });
      expect(results.find((r) => r.deviceId === 'cctv-06')!.clockDriftS!).to.be.within(88, 92);
      const healthy = results.filter((r) => !cases.some(([id]) => id === r.deviceId));
      expect(healthy.length).to.equal(12);
      expect(healthy.filter((r) => !r.ok).map((r) => r.deviceId)).to.deep.equal([]);
      // The silent camera costs one probe timeout, not one per camera.
      expect(Date.now() - started).to.be.lessThan(TIMEOUTS.onvif * 2);
    } finally {
      await lab.clear('all');
    }
  });

  it('optical and Wi-Fi faults show up in the values: fiber attenuation, client spike, latency beyond the timeout', async () => {
    const fiber = 'fo-lengkiti-02';
    const wifi = inventory.devices.find((d) => d.type === 'wifi' && d.vendor === 'ubiquiti')!.id;
    const slow = 'fo-baturaja-timur-03';
    await lab.fault(fiber, { kind: 'optical', toDbm: -31.5, durationMs: 1 });
    await lab.fault(wifi, { kind: 'wifi-clients', count: 97 });
    await lab.fault(slow, { kind: 'latency', ms: TIMEOUTS.snmp + 5000 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const results = await Promise.all([fiber, wifi, slow].map((id) => collector.pollOnce({ deviceId: id })));
      const snmpOf = (i: number) => results[i]!.find((r): r is SnmpResult => r.kind === 'snmp')!;
      const want = OPTICAL_METRIC[inventory.byId.get(fiber)!.vendor]!;
      const rx = snmpOf(0)
        .metrics.filter((m) => m.name === want.name)
        .map((m) => m.value);
      expect(
        rx.some((v) => Math.abs(v - -31.5) <= want.resolution + 1e-9),
        rx.join(','),
      ).to.equal(true);
      expect(lab.expectedOptical(fiber)!.rxDbm).to.be.closeTo(-31.5, 0.01);
      expect(snmpOf(1).metrics.find((m) => m.name === 'wifi_clients')!.value).to.equal(97);
      expect(snmpOf(2).error?.code).to.equal('PANTAU_PROBE_TIMEOUT');
    } finally {
      await lab.clear('all');
    }
  });

  it('ifdown sends a linkDown trap that becomes a result within 1 s, and the next poll shows the port down', async () => {
    const d = inventory.byId.get('fo-core') as Device;
    const t0 = Date.now();
    await lab.fault(d.id, { kind: 'ifdown', ifIndex: 2 });
    try {
      const trap = await until(
        () =>
          seen.find(
            (r): r is TrapResult => r.kind === 'trap' && r.deviceId === d.id && r.trap === 'linkDown' && r.ts >= t0,
          ),
        1000,
        'linkDown trap',
      );
      expect(trap.ifIndex).to.equal(2);
      const [r] = (await collector.pollOnce({ deviceId: d.id })).filter((x): x is SnmpResult => x.kind === 'snmp');
      expect(r!.interfaces.find((i) => i.ifIndex === 2)!.operUp).to.equal(false);
    } finally {
      await lab.clear('all');
    }
  });

  it('a reboot is reported once (sysUpTime went back) and never as a traffic spike', async () => {
    const id = 'fo-baturaja-timur-02';
    const poll = async () =>
      (await collector.pollOnce({ deviceId: id })).find((x): x is SnmpResult => x.kind === 'snmp')!;
    await poll();
    await lab.fault(id, { kind: 'reboot', downMs: 500 });
    const after = await until(
      async () => {
        const r = await poll();
        return r.ok ? r : undefined;
      },
      15_000,
      'device back after reboot',
    );
    expect(after.rebooted).to.equal(true);
    for (const itf of after.interfaces) expect([itf.inBps, itf.outBps]).to.deep.equal([null, null]);
    // Measurement window: counters must move between the two polls for a rate.
    await new Promise((r) => setTimeout(r, 1500));
    const next = await poll();
    expect(next.rebooted).to.equal(false);
    const uplink = next.interfaces.find((i) => i.ifIndex === 1)!;
    expect(uplink.inBps).to.be.a('number');
    expect(uplink.inBps!).to.be.lessThan(uplink.speedBps!);
    await lab.clear('all');
  });
});
