/**
 * `npm run bench`: every comparison of issue 12 side by side in one go, each figure beside its
 * peer (alternating pairs and medians inside each benchmark), the load average recorded before
 * and after each section. Writes bench/results/latest.json and docs/performance.md;
 * `--quick` (tiny sizes, CI) writes bench/results/quick.json only and never judges a figure.
 *
 *   npm run bench                 (as root: re-runs itself inside `unshare -n`, loopback only)
 *   npm run bench -- --quick
 *   npm run bench -- --only writes,icmp
 *
 * A section is a module exporting `run(opts: BenchOptions): Promise<BenchFigure[]>` (bench/figure.ts).
 * A section that throws is recorded with its error; the others still run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load1, meetsGoal, ratio, type BenchFigure, type BenchRun } from './figure.js';
import { renderPerformance } from './report.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Section {
  name: string;
  file: string;
  owner: string;
  what: string;
}

export const SECTIONS: Section[] = [
  {
    name: 'snmp',
    file: 'bench/snmp-peer.ts',
    owner: 'writes',
    what: 'SNMP CPU per 1,000 device polls vs prometheus-snmp-exporter',
  },
  {
    name: 'icmp',
    file: 'bench/icmp-peer.ts',
    owner: 'writes',
    what: 'ICMP sweep of 1,000 hosts vs raw fping and prometheus-blackbox-exporter',
  },
  {
    name: 'writes',
    file: 'bench/writes.ts',
    owner: 'writes',
    what: 'InfluxDB 1.6.7 writes vs a raw line-protocol POST with curl',
  },
  {
    name: 'alert-spread',
    file: 'bench/alert-spread.ts',
    owner: 'writes',
    what: '1,000 socket.io clients: alert spread',
  },
  {
    name: 'fault-latency',
    file: 'bench/fault-latency.ts',
    owner: 'detect',
    what: 'fault → NOC page latency at shipped defaults (Chromium)',
  },
  { name: 'noc-page', file: 'bench/noc-page.ts', owner: 'web', what: 'NOC page at 10,000 devices (Chromium)' },
  { name: 'scale', file: 'bench/scale.ts', owner: 'scale', what: '10,000 devices on schedule' },
];

/** detect's bench/fault-latency.ts exports runFaultLatency (its own result shape): figures from it. */
interface LatencyStats {
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}
interface FaultLatencyLike {
  kinds: Record<string, { detect: LatencyStats; recover?: LatencyStats; missed: number } | undefined>;
  soak?: { minutes: number; lossPct: number; alertsOpened: number };
}
const ADAPTERS: Record<string, (mod: Record<string, unknown>) => BenchRun | undefined> = {
  'fault-latency': (mod) => {
    if (typeof mod['run'] === 'function' || typeof mod['runFaultLatency'] !== 'function') return undefined;
    const runFaultLatency = mod['runFaultLatency'] as (o: Record<string, unknown>) => Promise<FaultLatencyLike>;
    const targets = (mod['TARGET_MS'] ?? {}) as Record<string, number>;
    return async ({ quick, log }) => {
      // Sizes that fit `npm run bench`'s budget (detect's own full run: 20 faults, 30 min soak).
      const o = quick ? { faults: 1, kinds: ['down', 'linkdown'], soakMinutes: 0 } : { faults: 8, soakMinutes: 2 };
      const r = await runFaultLatency({ ...o, log: (l: string) => log.info(l) });
      const figures: BenchFigure[] = [];
      for (const [kind, k] of Object.entries(r.kinds)) {
        if (!k) continue;
        const target = targets[kind];
        figures.push({
          id: `fault-latency.${kind}.p95`,
          title: `fault → NOC page (${kind}), p95 of ${k.detect.n}`,
          unit: 'ms',
          better: 'lower',
          pantau: k.detect.p95Ms,
          ...(target ? { goal: { op: '<=' as const, value: target, of: 'value' as const } } : {}),
          note: `shipped defaults, Chromium; p50 ${k.detect.p50Ms} ms, max ${k.detect.maxMs} ms, missed ${k.missed}${k.recover ? `; recovery p95 ${k.recover.p95Ms} ms` : ''}; ${o.faults} fault(s) per kind`,
        });
      }
      if (r.soak) {
        figures.push({
          id: 'fault-latency.soak.false-alerts',
          title: `false alerts, ${r.soak.minutes} min at ${r.soak.lossPct} % loss`,
          unit: 'alerts',
          better: 'lower',
          pantau: r.soak.alertsOpened,
          goal: { op: '<=', value: 0, of: 'value' },
          note: 'every device at random packet loss, shipped thresholds',
        });
      }
      return figures;
    };
  },
};

export interface SectionResult {
  name: string;
  owner: string;
  what: string;
  status: 'ok' | 'error' | 'missing';
  error?: string;
  seconds: number;
  load1Before: number;
  load1After: number;
  figures: Array<BenchFigure & { ratio: number | null; meetsGoal: boolean | null }>;
}

export interface BenchReport {
  quick: boolean;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  commit: string;
  machine: { cpus: number; cpuModel: string; memGB: number; kernel: string; node: string };
  loadavgStart: number[];
  loadavgEnd: number[];
  sections: SectionResult[];
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function inPrivateNetns(): boolean {
  return process.env['PANTAU_BENCH_NETNS'] === '1';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg
    ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : (args[args.indexOf(onlyArg) + 1] ?? ''))
        .split(',')
        .filter(Boolean)
    : null;
  const outArg = args.find((a) => a.startsWith('--out='));

  if (!inPrivateNetns() && process.env['PANTAU_BENCH_HOST_NETNS'] !== '1') {
    if (process.getuid?.() !== 0)
      throw new Error('npm run bench needs root (a private network namespace, ports < 1024, raw ICMP)');
    // Loopback only, nothing collides with other work: run again inside `unshare -n`.
    const r = spawnSync(
      'unshare',
      [
        '-n',
        'bash',
        '-c',
        `ip link set lo up && exec "${process.execPath}" --import tsx "${fileURLToPath(import.meta.url)}" "$@"`,
        'bench',
        ...args,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, PANTAU_BENCH_NETNS: '1' },
      },
    );
    process.exit(r.status ?? 1);
  }

  // Measure what users run: the prebuilt JavaScript in dist/ (ADR 0011), rebuilt when the sources changed.
  const built = spawnSync(process.execPath, ['scripts/build-dist.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');

  const t0 = Date.now();
  const report: BenchReport = {
    quick,
    startedAt: new Date(t0).toISOString(),
    finishedAt: '',
    seconds: 0,
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' (+ local changes)' : ''}`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memGB: Math.round(totalmem() / 2 ** 30),
      kernel: release(),
      node: process.version,
    },
    loadavgStart: loadavg().map((x) => Math.round(x * 100) / 100),
    loadavgEnd: [],
    sections: [],
  };
  for (const s of SECTIONS) {
    if (only && !only.includes(s.name)) continue;
    const started = Date.now();
    const base = { name: s.name, owner: s.owner, what: s.what, load1Before: load1() };
    const log = { info: (m: string) => console.log(`[${s.name}] ${m}`) };
    if (!existsSync(join(root, s.file))) {
      console.log(`[${s.name}] ${s.file} is not there (owner: ${s.owner}): skipped`);
      report.sections.push({
        ...base,
        status: 'missing',
        error: `${s.file} not found`,
        seconds: 0,
        load1After: load1(),
        figures: [],
      });
      continue;
    }
    console.log(`[${s.name}] ${s.what}${quick ? ' (quick)' : ''} — load ${base.load1Before}`);
    try {
      const mod = (await import(pathToFileURL(join(root, s.file)).href)) as Record<string, unknown>;
      const runner = (ADAPTERS[s.name]?.(mod) ?? mod['run']) as BenchRun | undefined;
      if (typeof runner !== 'function') throw new Error(`${s.file} exports no run(opts)`);
      const figures = await runner({ quick, log });
      report.sections.push({
        ...base,
        status: 'ok',
        seconds: Math.round((Date.now() - started) / 1000),
        load1After: load1(),
        figures: figures.map((f) => ({ ...f, ratio: ratio(f), meetsGoal: meetsGoal(f) })),
      });
    } catch (err) {
      const message = (err as Error)?.stack ?? String(err);
      console.log(`[${s.name}] failed: ${message}`);
      report.sections.push({
        ...base,
        status: 'error',
        error: String((err as Error)?.message ?? err),
        seconds: Math.round((Date.now() - started) / 1000),
        load1After: load1(),
        figures: [],
      });
    }
    const last = report.sections.at(-1)!;
    for (const f of last.figures)
      console.log(
        `[${s.name}] ${f.title}: ${f.pantau} ${f.unit}${f.peer ? ` vs ${f.peer.name} ${f.peer.value}${f.ratio !== null ? ` (ratio ${f.ratio.toFixed(2)})` : ''}` : ''}`,
      );
  }
  report.finishedAt = new Date().toISOString();
  report.seconds = Math.round((Date.now() - t0) / 1000);
  report.loadavgEnd = loadavg().map((x) => Math.round(x * 100) / 100);

  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const out = outArg
    ? resolve(outArg.slice('--out='.length))
    : join(root, 'bench/results', quick ? 'quick.json' : 'latest.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out} (${report.seconds} s)`);
  if (!quick && !only && !outArg) {
    const md = join(root, 'docs/performance.md');
    const previous = existsSync(md) ? readFileSync(md, 'utf8') : '';
    writeFileSync(md, renderPerformance(report, previous));
    console.log(`wrote ${md}`);
  }
  // Crashes of a section are recorded, not fatal; only a broken harness exits non-zero.
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
