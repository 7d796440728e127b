/**
 * The collector's steady state against the network lab (all devices of config/pantau.yaml):
 * scheduled polling at the configured intervals for D seconds (default 70: one SNMP/ONVIF
 * round plus seven ICMP rounds), counting results per kind, failures, ICMP engine runs and the
 * collector process's CPU (the lab runs in its own worker process).
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/collector-lab.ts [seconds]'
 * Writes bench/results/collector-lab.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInProcessBus } from '../core/bus.js';
import { loadConfig } from '../core/config/load.js';
import { silentLogger } from '../core/logger.js';
import type { ProbeResult } from '../core/types.js';
import { createCollector } from '../collector/collector.js';
import { createFpingEngine, findBinary, type IcmpEngine } from '../collector/probes/icmp/client.js';
import { startLab } from '../simulator/lab.js';

const seconds = Number(process.argv[2] ?? 70);
const loaded = loadConfig('config/pantau.yaml', {});
const lab = await startLab({ inventory: loaded.inventory, netns: 'none', workers: 1, trapTarget: null });
const fping = createFpingEngine((await findBinary('fping'))!);
let sweeps = 0;
let hostsSwept = 0;
const counting: IcmpEngine = {
  name: 'fping',
  sweep: (h, o) => {
    sweeps++;
    hostsSwept += h.length;
    return fping.sweep(h, o);
  },
};
const bus = createInProcessBus();
const results: ProbeResult[] = [];
bus.subscribe('probe.result', (r) => {
  results.push(r);
});
const config = {
  ...loaded.config,
  collector: { ...loaded.config.collector, traps: { ...loaded.config.collector.traps, enabled: false } },
};
const collector = createCollector({
  config,
  inventory: loaded.inventory,
  bus,
  logger: silentLogger(),
  configDir: loaded.configDir,
  icmpEngine: counting,
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await collector.start();
await new Promise((r) => setTimeout(r, seconds * 1000));
await collector.stop();
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await bus.drain();
await lab.stop();
const byKind: Record<string, { results: number; failed: number; p95DurationMs: number }> = {};
for (const kind of ['icmp', 'snmp', 'onvif']) {
  const rs = results.filter((r) => r.kind === kind);
  const d = rs.map((r) => r.durationMs).sort((a, b) => a - b);
  byKind[kind] = {
    results: rs.length,
    failed: rs.filter((r) => !r.ok).length,
    p95DurationMs: d[Math.floor(d.length * 0.95)] ?? 0,
  };
}
const out = {
  at: new Date().toISOString(),
  devices: loaded.inventory.devices.length,
  seconds: Math.round(wallS),
  byKind,
  fpingRuns: sweeps,
  hostsPerRun: Math.round(hostsSwept / Math.max(1, sweeps)),
  collectorCpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / wallS) * 1000) / 10,
};
console.log(JSON.stringify(out, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/collector-lab.json', `${JSON.stringify(out, null, 2)}\n`);
