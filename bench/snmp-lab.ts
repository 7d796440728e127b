/**
 * The collector's SNMP probe against the lab: every SNMP device of config/pantau.yaml polled at
 * once (concurrency = all, default timeouts), R rounds, per-device durations, failures and the
 * number of SNMP requests each probe sent.
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/snmp-lab.ts [rounds] [workers] [concurrency]'
 */
import { loadConfig } from '../core/config/load.js';
import type { Device, SnmpResult } from '../core/types.js';
import { loadProfiles } from '../collector/probes/snmp/profiles.js';
import { createSnmpProber } from '../collector/probes/snmp/probe.js';
import { snmp } from '../collector/probes/snmp/netsnmp.js';
import { startLab } from '../simulator/lab.js';

const rounds = Number(process.argv[2] ?? 3);
const workers = Number(process.argv[3] ?? 1);
const concurrency = Number(process.argv[4] ?? 1000);
const loaded = loadConfig('config/pantau.yaml', {});
const cfg = loaded.config.collector;
const lab = await startLab({ inventory: loaded.inventory, netns: 'none', workers, trapTarget: null });
const prober = createSnmpProber({
  credentials: loaded.config.credentials.snmp,
  profiles: loadProfiles(loaded.profilesDir),
  now: Date.now,
  settings: { retries: cfg.snmp.retries, maxRepetitions: cfg.snmp.maxRepetitions, timeoutMs: cfg.timeoutsMs.snmp },
});
// Count every datagram the collector sends, per device address (retransmissions included).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- net-snmp internals
const proto = (snmp as any).Session.prototype;
const origSend = proto.send;
const sent = new Map<string, number>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- net-snmp internals
proto.send = function (this: any, req: any, noWait: boolean) {
  sent.set(this.target, (sent.get(this.target) ?? 0) + 1);
  return origSend.call(this, req, noWait);
};
const devices = loaded.inventory.devices.filter((d) => d.probes.snmp) as Device[];
const out = [];
for (let r = 0; r < rounds; r++) {
  const cpu0 = (await lab.status()).cpuMs;
  const t0 = performance.now();
  const results: SnmpResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, devices.length) }, async () => {
      while (next < devices.length) {
        const d = devices[next++]!;
        results.push(await prober.run(d, { signal: AbortSignal.timeout(cfg.timeoutsMs.snmp) }));
      }
    }),
  );
  const wallMs = Math.round(performance.now() - t0);
  const cpuMs = Math.round((await lab.status()).cpuMs - cpu0);
  const d = results.map((x) => x.durationMs).sort((a, b) => a - b);
  const failed = results.filter((x) => !x.ok);
  const slow = [...results]
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 8)
    .map((x) => `${x.deviceId}:${x.durationMs}`);
  out.push({
    round: r,
    devices: devices.length,
    failedCount: failed.length,
    wallMs,
    labCpuMs: cpuMs,
    p50: d[Math.floor(d.length / 2)],
    p95: d[Math.floor(d.length * 0.95)],
    max: d.at(-1),
    failed: failed.map((f) => `${f.deviceId}:${f.error?.code}`),
    slow,
  });
  console.log(JSON.stringify(out.at(-1)));
  const per = devices.map((dv) => [dv.id, sent.get(dv.address) ?? 0] as const).sort((a, b) => b[1] - a[1]);
  console.log(
    'datagrams',
    per.reduce((a, b) => a + b[1], 0),
    'max',
    per
      .slice(0, 10)
      .map((x) => x.join(':'))
      .join(' '),
  );
  sent.clear();
}
await lab.stop();
