/**
 * SNMP CPU per 1,000 device polls: the collector's SNMP probe (shipped vendor profiles, shipped
 * timeouts/retries, 64 at a time) against every SNMP device of the OKU lab (config/pantau.yaml),
 * beside Debian's prometheus-snmp-exporter 0.21 scraping the same agents with a hand-written
 * numeric-OID module that reads what pantau reads from IF-MIB (ifTable/ifXTable columns,
 * sysUpTime), v2c or v3 as the device is configured, 64 scrapes at a time.
 * CPU: this process for pantau (the lab runs in worker processes), the exporter's own process.
 * Alternating rounds (full 5, quick 1), medians.
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/snmp-peer.ts [--quick]'
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../core/config/load.js';
import type { Device } from '../core/types.js';
import { loadProfiles } from '../collector/probes/snmp/profiles.js';
import { createSnmpProber } from '../collector/probes/snmp/probe.js';
import { startLab } from '../simulator/lab.js';
import { resolveProfilesDir } from '../core/inventory/vendors.js';
import { load1, median, round, selfCpuMs, type BenchFigure, type BenchOptions } from './figure.js';
import { scrapeAll, startExporter } from './peers.js';

const IF_COLUMNS: Array<[string, string]> = [
  ['ifDescr', '1.3.6.1.2.1.2.2.1.2'],
  ['ifAdminStatus', '1.3.6.1.2.1.2.2.1.7'],
  ['ifOperStatus', '1.3.6.1.2.1.2.2.1.8'],
  ['ifInDiscards', '1.3.6.1.2.1.2.2.1.13'],
  ['ifInErrors', '1.3.6.1.2.1.2.2.1.14'],
  ['ifOutDiscards', '1.3.6.1.2.1.2.2.1.19'],
  ['ifOutErrors', '1.3.6.1.2.1.2.2.1.20'],
  ['ifName', '1.3.6.1.2.1.31.1.1.1.1'],
  ['ifHCInOctets', '1.3.6.1.2.1.31.1.1.1.6'],
  ['ifHCOutOctets', '1.3.6.1.2.1.31.1.1.1.10'],
  ['ifHighSpeed', '1.3.6.1.2.1.31.1.1.1.15'],
];

function moduleYaml(name: string, auth: string[], version: number): string {
  const metrics = IF_COLUMNS.map(([n, oid]) => {
    const type = n === 'ifDescr' || n === 'ifName' ? 'DisplayString' : n.includes('Octets') ? 'counter' : 'gauge';
    return `      - name: ${n}\n        oid: ${oid}\n        type: ${type}\n        indexes: [{labelname: ifIndex, type: gauge}]`;
  });
  return [
    `  ${name}:`,
    '    get: [1.3.6.1.2.1.1.3.0]',
    `    walk: [${IF_COLUMNS.map(([, o]) => o).join(', ')}]`,
    `    version: ${version}`,
    '    max_repetitions: 25',
    '    retries: 1',
    '    timeout: 5s',
    '    auth:',
    ...auth.map((a) => `      ${a}`),
    '    metrics:',
    '      - name: sysUpTime\n        oid: 1.3.6.1.2.1.1.3\n        type: gauge',
    ...metrics,
  ].join('\n');
}

export async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  const rounds = opts.quick ? 1 : 5;
  const loaded = loadConfig(resolve('config/pantau.yaml'), {});
  const cfg = loaded.config.collector;
  const creds = loaded.config.credentials.snmp;
  let devices = loaded.inventory.devices.filter((d) => d.probes.snmp?.enabled) as Device[];
  if (opts.quick) devices = devices.slice(0, 40);
  const tmp = mkdtempSync(join(tmpdir(), 'pantau-bench-snmp-'));
  const modules: string[] = [];
  const moduleOf = new Map<string, string>();
  for (const [name, c] of Object.entries(creds)) {
    const m = `pantau_${name.replace(/[^a-z0-9]/gi, '_')}`;
    moduleOf.set(name, m);
    const cc = c as unknown as Record<string, { reveal(): string } | string | undefined>;
    const reveal = (v: unknown) =>
      typeof v === 'string' ? v : ((v as { reveal(): string } | undefined)?.reveal() ?? '');
    if (cc['version'] === 'v3') {
      modules.push(
        moduleYaml(
          m,
          [
            `username: ${reveal(cc['user'])}`,
            'security_level: authPriv',
            `password: ${reveal(cc['authKey'])}`,
            `auth_protocol: ${String(cc['authProtocol']).toUpperCase()}`,
            `priv_protocol: ${String(cc['privProtocol']).toUpperCase()}`,
            `priv_password: ${reveal(cc['privKey'])}`,
          ],
          3,
        ),
      );
    } else {
      modules.push(moduleYaml(m, [`community: ${reveal(cc['community'])}`], 2));
    }
  }
  const snmpYml = join(tmp, 'snmp.yml');
  writeFileSync(snmpYml, `${modules.join('\n')}\n`, { mode: 0o600 });

  const lab = await startLab({ inventory: loaded.inventory, netns: 'none', workers: 2, trapTarget: null });
  const exporter = await startExporter('/usr/bin/prometheus-snmp-exporter', (listen) => [
    `--config.file=${snmpYml}`,
    `--web.listen-address=${listen}`,
  ]).catch(async (err) => {
    await lab.stop();
    throw err;
  });
  const prober = createSnmpProber({
    credentials: creds,
    profiles: loadProfiles(resolveProfilesDir(loaded.configDir, cfg.profilesDir)),
    now: Date.now,
    settings: { retries: cfg.snmp.retries, maxRepetitions: cfg.snmp.maxRepetitions, timeoutMs: cfg.timeoutsMs.snmp },
  });
  const concurrency = cfg.concurrency.snmp;
  const r = { pantau: [] as number[], pantauWall: [] as number[], peer: [] as number[], peerWall: [] as number[] };
  try {
    const pollPantau = async () => {
      let next = 0;
      let failed = 0;
      const c0 = selfCpuMs();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: Math.min(concurrency, devices.length) }, async () => {
          while (next < devices.length) {
            const d = devices[next++]!;
            const res = await prober.run(d, { signal: AbortSignal.timeout(cfg.timeoutsMs.snmp) });
            if (!res.ok) failed++;
          }
        }),
      );
      if (failed > devices.length / 10) throw new Error(`pantau: ${failed}/${devices.length} SNMP polls failed`);
      r.pantauWall.push(performance.now() - t0);
      r.pantau.push(((selfCpuMs() - c0) / devices.length) * 1000);
    };
    const pollPeer = async () => {
      const c0 = exporter.cpuMs();
      const t0 = performance.now();
      const urls = devices.map(
        (d) =>
          `${exporter.url}/snmp?target=${d.address}:${d.probes.snmp!.port}&module=${moduleOf.get(d.probes.snmp!.credentials)}`,
      );
      const good = await scrapeAll(urls, concurrency, (b) => b.includes('ifHCInOctets{'));
      if (good < devices.length * 0.9)
        throw new Error(`snmp_exporter: only ${good}/${devices.length} scrapes had interface data`);
      r.peerWall.push(performance.now() - t0);
      r.peer.push(((exporter.cpuMs() - c0) / devices.length) * 1000);
    };
    await pollPantau(); // warm-up (JIT, sessions, the agents' caches): not counted
    await pollPeer();
    r.pantau.length = 0;
    r.pantauWall.length = 0;
    r.peer.length = 0;
    r.peerWall.length = 0;
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        await pollPantau();
        await pollPeer();
      } else {
        await pollPeer();
        await pollPantau();
      }
      opts.log.info(
        `snmp round ${i + 1}: pantau ${Math.round(r.pantau.at(-1)!)} ms CPU/1000 polls, snmp_exporter ${Math.round(r.peer.at(-1)!)} (load ${load1()})`,
      );
    }
  } finally {
    await exporter.stop();
    await lab.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return [
    {
      id: 'snmp.cpu-per-1000-polls',
      title: 'SNMP CPU per 1,000 device polls',
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(r.pantau)),
      samples: r.pantau.map(Math.round),
      peer: {
        name: 'prometheus-snmp-exporter 0.21, numeric IF-MIB module',
        value: Math.round(median(r.peer)),
        samples: r.peer.map(Math.round),
      },
      goal: { op: '<=', value: 1.0, of: 'ratio' },
      note: `${devices.length} lab SNMP agents (OKU inventory, v2c and v3 authPriv), ${rounds} alternating rounds after a warm-up; pantau with the shipped vendor profiles (its extra OIDs included), the exporter reading only IF-MIB + sysUpTime`,
    },
    {
      id: 'snmp.round-wall',
      title: `one poll of all ${devices.length} SNMP devices (wall)`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(r.pantauWall)),
      samples: r.pantauWall.map(Math.round),
      peer: {
        name: 'prometheus-snmp-exporter',
        value: Math.round(median(r.peerWall)),
        samples: r.peerWall.map(Math.round),
      },
      note: `${concurrency} at a time on both sides; mean per device ${round(median(r.pantauWall) / devices.length)} ms`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(
    JSON.stringify(
      await run({ quick: process.argv.includes('--quick'), log: { info: (m) => console.log(m) } }),
      null,
      2,
    ),
  );
}
