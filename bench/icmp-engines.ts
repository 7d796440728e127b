/**
 * fping (one process sweeps every host) vs npm `ping` (one system ping per host, 50 at a time)
 * over N loopback hosts (default 1,000), through the collector's own engines (the code pantau
 * runs), one echo per host like the measurement in environment.md; wall time and CPU time of
 * this process plus its children.
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/icmp-engines.ts [hosts] [count]'
 * Writes bench/results/icmp-engines-<hosts>x<count>.json. Needs fping and iputils-ping (the fallback's binary).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createFpingEngine, createPingEngine, findBinary, type IcmpEngine } from '../collector/probes/icmp/client.js';

const hosts = Number(process.argv[2] ?? 1000);
const count = Number(process.argv[3] ?? 1);
const addresses = Array.from({ length: hosts }, (_, i) => `127.9.${Math.floor(i / 250)}.${(i % 250) + 1}`);

function cpuMs(): number {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1000;
}

async function childrenCpuMs(): Promise<number> {
  // /proc/self/stat fields 16/17: cutime/cstime of waited-for children, in clock ticks (100 Hz).
  const { readFileSync } = await import('node:fs');
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
}

async function measure(engine: IcmpEngine) {
  const c0 = cpuMs();
  const k0 = await childrenCpuMs();
  const t0 = performance.now();
  const res = await engine.sweep(addresses, {
    count,
    intervalMs: 20,
    timeoutMs: 500,
    signal: AbortSignal.timeout(300_000),
  });
  const wallMs = Math.round(performance.now() - t0);
  const alive = [...res.values()].filter((s) => s.received > 0).length;
  return {
    engine: engine.name,
    hosts,
    count,
    wallMs,
    cpuMs: Math.round(cpuMs() - c0 + (await childrenCpuMs()) - k0),
    alive,
  };
}

const fping = await findBinary('fping');
const ping = await findBinary('ping');
if (!fping || !ping) throw new Error(`need fping (${fping}) and ping (${ping})`);
const results = [await measure(createFpingEngine(fping)), await measure(createPingEngine(50))];
const file = `bench/results/icmp-engines-${hosts}x${count}.json`;
for (const r of results)
  console.log(
    `${r.engine.padEnd(6)} ${r.hosts} hosts × ${r.count}: ${r.wallMs} ms wall, ${r.cpuMs} ms CPU, ${r.alive} answered`,
  );
mkdirSync('bench/results', { recursive: true });
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
