/**
 * Scale run (issue 12 item 2): a generated network in the lab and `pantau start` on the config the
 * lab writes for it, both on this machine, exactly as a user repeats it:
 *
 *   pantau lab --generate 10000 --netns none --write-config DIR     (then, in the same namespace)
 *   pantau start --config DIR/pantau.yaml
 *
 * Figures: per probe kind, the share of scheduled polls completed after a warm-up (pantau's own
 * /metrics counters), pantau's peak and last RSS and CPU, how long pantau and the lab take to stop
 * after SIGTERM; and the OKU network on the shipped config/pantau.yaml (RSS, the ≤ 150 MB goal).
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/scale.ts [--quick] [--devices N] [--seconds S] [--oku | --generated]'
 * Root, inside a private network namespace (the lab answers on 127.30+.x.y:161/80/554).
 * Writes bench/results/scale.json. `run()` is what bench/run.ts (`npm run bench`) calls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load1, round, type BenchFigure, type BenchOptions } from './figure.js';

const BIN = 'bin/pantau.mjs';
const KINDS = ['icmp', 'snmp', 'onvif'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** VmRSS and VmHWM (peak) in MB, and user+system CPU ms, of a live process. */
function procStats(pid: number): { rssMb: number; peakMb: number; cpuMs: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      rssMb: kb('VmRSS') / 1024,
      peakMb: kb('VmHWM') / 1024,
      cpuMs: ((Number(f[11]) + Number(f[12])) * 1000) / 100,
    };
  } catch {
    return null;
  }
}

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], log: (l: string) => void, name: string): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PANTAU_LOG_LEVEL: 'warn' },
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  log(`${name}: pid ${child.pid}`);
  return { child, out: () => out, exited };
}

/** SIGTERM, then ms until exit (SIGKILL after 30 s so a bench never hangs). */
async function stopMs(p: Proc): Promise<{ ms: number; code: number | null }> {
  if (p.child.exitCode !== null) return { ms: 0, code: p.child.exitCode };
  const t0 = performance.now();
  p.child.kill('SIGTERM');
  const killer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
  const code = await p.exited;
  clearTimeout(killer);
  return { ms: Math.round(performance.now() - t0), code };
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs: number, proc?: Proc): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (proc && proc.child.exitCode !== null)
      throw new Error(`${what}: process exited ${proc.child.exitCode}:\n${proc.out().slice(-2000)}`);
    if (Date.now() > end)
      throw new Error(`${what}: not within ${timeoutMs} ms${proc ? `:\n${proc.out().slice(-2000)}` : ''}`);
    await sleep(250);
  }
}

type Counters = Record<string, { scheduled: number; completed: number; skipped: number }>;

async function pollCounters(port: number): Promise<Counters> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Counters = {};
  for (const k of KINDS) {
    const v = (name: string) =>
      Number(new RegExp(`^pantau_polls_${name}_total\\{kind="${k}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    out[k] = { scheduled: v('scheduled'), completed: v('completed'), skipped: v('skipped') };
  }
  return out;
}

/** Where pantau's memory is, near the end of the window: V8 heap (committed, live), external (the rings), smaps. */
export interface MemoryBreakdown {
  heapCommittedMb: number;
  heapUsedMb: number;
  externalMb: number;
  /** smaps_rollup: anonymous memory (heaps, malloc) and file-backed pages (code, mapped files). */
  anonMb: number;
  fileMb: number;
  threads: number;
}

async function memoryBreakdown(port: number, pid: number): Promise<MemoryBreakdown | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const mb = (name: string) =>
      round(Number(new RegExp(`^pantau_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1048576, 1);
    const smaps = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(smaps)?.[1] ?? 0);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      heapCommittedMb: mb('nodejs_heap_size_total_bytes'),
      heapUsedMb: mb('nodejs_heap_size_used_bytes'),
      externalMb: mb('nodejs_external_memory_bytes'),
      anonMb: round(kb('Anonymous') / 1024, 0),
      fileMb: round((kb('Rss') - kb('Anonymous')) / 1024, 0),
      threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  } catch {
    return null;
  }
}

const memoryNote = (m: MemoryBreakdown | null) =>
  m
    ? `V8 heap ${m.heapCommittedMb} MB committed, ${m.heapUsedMb} MB live; external ${m.externalMb} MB; anonymous ${m.anonMb} MB, file-backed ${m.fileMb} MB; ${m.threads} threads`
    : 'memory breakdown not read';

interface RunResult {
  devices: number;
  seconds: number;
  warmupS: number;
  kinds: Record<string, { scheduled: number; completed: number; skipped: number; completedPct: number }>;
  rssPeakMb: number;
  rssLastMb: number;
  cpuPctOfCore: number;
  stopMs: number;
  stopCode: number | null;
  labStopMs: number;
  labRssMb: number | null;
  load1: number[];
  behindLog: string[];
  memory: MemoryBreakdown | null;
}

/** One lab + pantau run: `generate` devices (or the config's own inventory when null). */
export async function scaleRun(opts: {
  generate: number | null;
  seconds: number;
  warmupS: number;
  config?: string;
  log: (l: string) => void;
}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-scale-'));
  const cfgDir = join(dir, 'cfg');
  const controlPort = await freePort();
  const labArgs = [
    'lab',
    '--netns',
    'none',
    '--write-config',
    cfgDir,
    '--control',
    String(controlPort),
    ...(opts.config ? ['--config', opts.config] : []),
    ...(opts.generate ? ['--generate', String(opts.generate)] : []),
  ];
  const lab = start(labArgs, opts.log, 'lab');
  let pantau: Proc | undefined;
  try {
    await until(
      'lab ready',
      () => /kontrol \/ control/.test(lab.out()) && existsSync(join(cfgDir, 'pantau.yaml')),
      600_000,
      lab,
    );
    opts.log(
      lab
        .out()
        .split('\n')
        .find((l) => l.includes('perangkat aktif')) ?? 'lab up',
    );
    const port = await freePort();
    const file = join(cfgDir, 'pantau.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+)port: 3000$/m, `$1port: ${port}`));
    pantau = start(['start', '--config', file], opts.log, 'pantau');
    const p = pantau;
    const healthEnd = Date.now() + 300_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (p.child.exitCode !== null || Date.now() > healthEnd)
        throw new Error(`pantau did not serve /healthz:\n${p.out().slice(-2000)}`);
      await sleep(500);
    }
    const t0 = Date.now();
    const loads: number[] = [load1()];
    let peak = 0;
    let last = procStats(p.child.pid!);
    const cpu0 = last?.cpuMs ?? 0;
    await sleep(opts.warmupS * 1000);
    const before = await pollCounters(port);
    const cpuAtWarm = procStats(p.child.pid!)?.cpuMs ?? cpu0;
    const tWarm = Date.now();
    while (Date.now() - tWarm < opts.seconds * 1000) {
      await sleep(Math.min(5000, opts.seconds * 1000));
      const s = procStats(p.child.pid!);
      if (!s) throw new Error(`pantau died:\n${p.out().slice(-2000)}`);
      last = s;
      peak = Math.max(peak, s.peakMb);
      loads.push(load1());
      opts.log(`${Math.round((Date.now() - t0) / 1000)} s: RSS ${Math.round(s.rssMb)} MB, load ${loads.at(-1)}`);
    }
    const after = await pollCounters(port);
    const memory = await memoryBreakdown(port, p.child.pid!);
    opts.log(`memory: ${memoryNote(memory)}`);
    const cpuEnd = procStats(p.child.pid!)?.cpuMs ?? cpuAtWarm;
    const wallMs = Date.now() - tWarm;
    const kinds: RunResult['kinds'] = {};
    for (const k of KINDS) {
      const d = {
        scheduled: after[k]!.scheduled - before[k]!.scheduled,
        completed: after[k]!.completed - before[k]!.completed,
        skipped: after[k]!.skipped - before[k]!.skipped,
      };
      kinds[k] = { ...d, completedPct: d.scheduled > 0 ? round((d.completed / d.scheduled) * 100, 2) : NaN };
    }
    const labRss = /(\d+) MB\s*$/m.exec(
      lab
        .out()
        .split('\n')
        .find((l) => l.includes('perangkat aktif')) ?? '',
    )?.[1];
    const stop = await stopMs(p);
    const behindLog = p
      .out()
      .split('\n')
      .filter((l) => /behind schedule|back on schedule/.test(l))
      .map((l) => {
        try {
          return String((JSON.parse(l) as { msg?: string }).msg ?? l);
        } catch {
          return l;
        }
      })
      .slice(0, 12);
    const labStop = await stopMs(lab);
    return {
      devices: opts.generate ?? NaN,
      seconds: Math.round(wallMs / 1000),
      warmupS: opts.warmupS,
      kinds,
      rssPeakMb: round(peak, 0),
      rssLastMb: round(last?.rssMb ?? 0, 0),
      cpuPctOfCore: round(((cpuEnd - cpuAtWarm) / wallMs) * 100, 1),
      stopMs: stop.ms,
      stopCode: stop.code,
      labStopMs: labStop.ms,
      labRssMb: labRss ? Number(labRss) : null,
      load1: loads,
      behindLog,
      memory,
    };
  } finally {
    if (pantau && pantau.child.exitCode === null) pantau.child.kill('SIGKILL');
    if (lab.child.exitCode === null) {
      lab.child.kill('SIGTERM');
      await Promise.race([lab.exited, sleep(10_000)]);
      if (lab.child.exitCode === null) lab.child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadNote = (loads: number[]) =>
  `load average (1 min) ${Math.min(...loads)}–${Math.max(...loads)} on 2 cores, shared with other work`;

export async function run(
  opts: BenchOptions & { devices?: number; seconds?: number; parts?: ReadonlyArray<'generated' | 'oku'> },
): Promise<BenchFigure[]> {
  const log = (l: string) => opts.log.info(`[scale] ${l}`);
  const parts = opts.parts ?? ['generated', 'oku'];
  const figures: BenchFigure[] = [];
  if (parts.includes('generated')) figures.push(...(await generatedPart(opts, log)));
  if (parts.includes('oku')) figures.push(await okuPart(opts, log));
  return figures;
}

async function generatedPart(
  opts: BenchOptions & { devices?: number; seconds?: number },
  log: (l: string) => void,
): Promise<BenchFigure[]> {
  const devices = opts.devices ?? (opts.quick ? 300 : 10_000);
  const seconds = opts.seconds ?? (opts.quick ? 5 : 600);
  const big = await scaleRun({ generate: devices, seconds, warmupS: opts.quick ? 3 : 30, log });
  const size = `${devices.toLocaleString('en')} generated devices, ${big.seconds} s after ${big.warmupS} s warm-up`;
  // A kind with no slot in the window (ONVIF polls every 60 s; --quick measures 5 s) has no completion
  // share: say so instead of reporting NaN %.
  for (const k of KINDS)
    if (big.kinds[k]!.scheduled === 0) log(`${k}: no poll was due in the ${big.seconds} s window; no figure`);
  const figures: BenchFigure[] = KINDS.filter((k) => big.kinds[k]!.scheduled > 0).map((k) => ({
    id: `scale.polls-completed.${k}`,
    title: `${k.toUpperCase()} scheduled polls completed, ${size}`,
    pantau: big.kinds[k]!.completedPct,
    unit: '%',
    better: 'higher' as const,
    goal: { op: '>=' as const, value: 99, of: 'value' as const },
    note: `${big.kinds[k]!.completed} of ${big.kinds[k]!.scheduled} (skipped ${big.kinds[k]!.skipped}); lab on the same machine; ${loadNote(big.load1)}`,
  }));
  figures.push(
    {
      id: 'scale.rss-peak',
      title: `pantau peak RSS, ${size}`,
      pantau: big.rssPeakMb,
      unit: 'MB',
      better: 'lower',
      goal: { op: '<=', value: 1024, of: 'value' },
      note: `VmHWM of the pantau process; last ${big.rssLastMb} MB; ${memoryNote(big.memory)}; lab ${big.labRssMb ?? '?'} MB at start`,
    },
    {
      id: 'scale.cpu',
      title: `pantau CPU, ${size}`,
      pantau: big.cpuPctOfCore,
      unit: '% of one core',
      better: 'lower',
      note: loadNote(big.load1),
    },
    {
      id: 'scale.stop-ms',
      title: `pantau start: SIGTERM to exit, ${size}`,
      pantau: big.stopMs,
      unit: 'ms',
      better: 'lower',
      goal: { op: '<=', value: 5000, of: 'value' },
      note: `exit code ${big.stopCode}; the lab stopped in ${big.labStopMs} ms`,
    },
  );
  return figures;
}

async function okuPart(opts: BenchOptions, log: (l: string) => void): Promise<BenchFigure> {
  const oku = await scaleRun({
    generate: null,
    seconds: opts.quick ? 5 : 120,
    warmupS: opts.quick ? 3 : 30,
    config: 'config/pantau.yaml',
    log,
  });
  return {
    id: 'scale.oku-rss',
    title: `pantau RSS on the OKU network (shipped config/pantau.yaml), ${oku.seconds} s`,
    pantau: oku.rssPeakMb,
    unit: 'MB',
    better: 'lower',
    goal: { op: '<=', value: 150, of: 'value' },
    note: `peak (VmHWM); last ${oku.rssLastMb} MB; ${memoryNote(oku.memory)}; CPU ${oku.cpuPctOfCore} % of one core; ${loadNote(oku.load1)}`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const quick = process.argv.includes('--quick');
  // --oku: only the OKU network on the shipped config (2.5 min); --generated: only the generated network.
  const parts = process.argv.includes('--oku')
    ? (['oku'] as const)
    : process.argv.includes('--generated')
      ? (['generated'] as const)
      : undefined;
  const devices = arg('--devices');
  const seconds = arg('--seconds');
  const figures = await run({
    quick,
    log: { info: (m) => console.error(m) },
    ...(devices ? { devices } : {}),
    ...(seconds ? { seconds } : {}),
    ...(parts ? { parts } : {}),
  });
  const out = { at: new Date().toISOString(), quick, figures };
  console.log(JSON.stringify(out, null, 2));
  mkdirSync('bench/results', { recursive: true });
  const name = `scale${parts ? `-${parts[0]}` : ''}${quick ? '-quick' : ''}`;
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(out, null, 2)}\n`);
}
