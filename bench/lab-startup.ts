/**
 * Lab start-up at scale: a generated inventory of N devices (default 10,000), every agent
 * bound and answering, timed from startLab() to the last worker's ready; then one snmpget to
 * the last device to prove it answers, and the lab's own CPU and memory.
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/lab-startup.ts [devices] [workers]'
 * Writes bench/results/lab-startup-<devices>.json. The acceptance target: 10,000 devices < 60 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { generateInventory } from '../simulator/generate.js';
import { startLab } from '../simulator/lab.js';

const devices = Number(process.argv[2] ?? 10_000);
const workers = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const inventory = generateInventory({ devices });
const tty = process.stdout.isTTY;
const t0 = performance.now();
const lab = await startLab({
  inventory,
  netns: 'none',
  workers,
  onProgress: (started, total) => {
    if (tty) process.stdout.write(`\rstarting ${started}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  },
});
const startupMs = Math.round(performance.now() - t0);
const status = await lab.status();
const last = inventory.devices.filter((d) => d.type !== 'cctv').at(-1)!;
const t1 = performance.now();
const answer = execFileSync('snmpget', ['-v2c', '-c', 'public', '-On', '-t', '2', last.address, '1.3.6.1.2.1.1.5.0'], {
  encoding: 'utf8',
}).trim();
const firstAnswerMs = Math.round(performance.now() - t1);
await lab.stop();
const result = {
  devices,
  workers: status.workers,
  cameras: inventory.devices.filter((d) => d.type === 'cctv').length,
  startupMs,
  cpuMsDuringStartup: status.cpuMs,
  rssMb: status.rssMb,
  lastDeviceAnswer: answer,
  snmpgetMs: firstAnswerMs,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  at: new Date().toISOString(),
  targetMs: 60_000,
  pass: startupMs < 60_000,
};
if (tty) process.stdout.write('\n');
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/lab-startup-${devices}.json`, `${JSON.stringify(result, null, 2)}\n`);
