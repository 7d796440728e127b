/**
 * How fast the lab answers: one round of SNMP GETs (sysUpTime, ifHCInOctets.1, ifHCOutOctets.1)
 * to every device of a generated inventory, from one net-snmp Manager process, with the lab's
 * CPU over the round. Shows whether the lab or the poller is the bottleneck.
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/lab-poll.ts [devices] [workers] [concurrency]'
 */
import { createRequire } from 'node:module';
import { generateInventory } from '../simulator/generate.js';
import { startLab } from '../simulator/lab.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- net-snmp is untyped
const snmp = createRequire(import.meta.url)('net-snmp') as any;
const devices = Number(process.argv[2] ?? 2000);
const workers = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const concurrency = Number(process.argv[4] ?? 200);
const inventory = generateInventory({ devices });
const lab = await startLab({ inventory, netns: 'none', workers });
const targets = inventory.devices.filter((d) => d.type !== 'cctv');
const oids = ['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.31.1.1.1.10.1'];
const get = (addr: string) =>
  new Promise<boolean>((resolve) => {
    const s = snmp.createSession(addr, 'public', { version: snmp.Version2c, timeout: 3000, retries: 0 });
    s.get(oids, (err: Error | null) => {
      s.close();
      resolve(!err);
    });
  });
const cpu0 = (await lab.status()).cpuMs;
const pollerCpu0 = process.cpuUsage();
const t0 = performance.now();
let ok = 0;
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < targets.length) {
      const d = targets[next++]!;
      if (await get(d.address)) ok++;
    }
  }),
);
const wallMs = performance.now() - t0;
const st = await lab.status();
const pc = process.cpuUsage(pollerCpu0);
await lab.stop();
console.log(
  JSON.stringify(
    {
      devices: targets.length,
      workers: st.workers,
      concurrency,
      ok,
      wallMs: Math.round(wallMs),
      getsPerS: Math.round(targets.length / (wallMs / 1000)),
      labCpuMs: Math.round(st.cpuMs - cpu0),
      pollerCpuMs: Math.round((pc.user + pc.system) / 1000),
    },
    null,
    2,
  ),
);
