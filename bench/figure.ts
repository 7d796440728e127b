/**
 * The shape every benchmark hands to bench/run.ts (`npm run bench`), and small helpers they share.
 * Contract: /work/notes/writes-contract.md — each bench/<name>.ts exports
 * `run(opts: BenchOptions): Promise<BenchFigure[]>`.
 */
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

export interface BenchFigure {
  /** Stable key, e.g. 'writes.steady.points-per-s'. */
  id: string;
  /** Operator-readable, English. */
  title: string;
  /** The measured value (a median when `samples` are given). */
  pantau: number;
  unit: string;
  /** The same figure for the peer, if there is one. */
  peer?: { name: string; value: number; samples?: number[] };
  better: 'lower' | 'higher';
  /** The target, on the value or on the ratio to the peer. */
  goal?: { op: '<=' | '>='; value: number; of: 'value' | 'ratio' };
  samples?: number[];
  /** How it was measured, sizes, caveats. */
  note?: string;
}

export interface BenchLog {
  info(msg: string): void;
}
export interface BenchOptions {
  quick: boolean;
  log: BenchLog;
}
export type BenchRun = (opts: BenchOptions) => Promise<BenchFigure[]>;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export const load1 = (): number => round(loadavg()[0]!, 2);

/** CPU ms of this process so far (user + system). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU ms of this process's children that have exited and were waited for (cutime + cstime). */
export function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field: state is fields[0], so cutime (field 16) and cstime (17) are [13] and [14].
  const ticks = Number(fields[13]) + Number(fields[14]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** pantau / peer, as issue 12 writes it (its goal says which way is good: writes ≥ 0.9, CPU ≤ 1.0). */
export function ratio(f: BenchFigure): number | null {
  if (!f.peer || !Number.isFinite(f.peer.value) || f.peer.value === 0 || !Number.isFinite(f.pantau)) return null;
  return f.pantau / f.peer.value;
}

/** Whether the figure meets its goal (null without a goal or a ratio to judge). Never a test: a report. */
export function meetsGoal(f: BenchFigure): boolean | null {
  if (!f.goal) return null;
  const v = f.goal.of === 'ratio' ? ratio(f) : f.pantau;
  if (v === null || !Number.isFinite(v)) return null;
  return f.goal.op === '<=' ? v <= f.goal.value : v >= f.goal.value;
}
