/**
 * Fault → NOC page latency at the SHIPPED defaults (config/pantau.yaml as shipped: intervals,
 * re-checks, thresholds, traps on :162), measured in Chromium: the lab, `startPantau` and a
 * logged-in operator page; each fault is injected in the lab and timed until the page shows it.
 *
 *   down        a leaf device off the air       → its alert row on the page        (target p95 ≤ 15 s)
 *   fiber-cut   a device and its subtree down   → its alert row + subtree UNREACHABLE (target p95 ≤ 15 s)
 *   snapshot    camera snapshot HTTP 500        → the reason (probeError) in the page's state (≤ 120 s)
 *   linkdown    ifdown on the uplink port (trap) → the uplink alert row              (target ≤ 2 s)
 * Recovery (fault cleared → device UP on the page) is timed for down and fiber-cut.
 * Then the soak: 5 % random loss on every device (ICMP and SNMP alike) for N minutes, counting
 * every alert opened and every device leaving UP (there is no real fault: each one is false).
 *
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/fault-latency.ts [--quick] [--faults 20] [--soak-min 30]'
 * Needs root (iptables in the private namespace, trap port 162), fping and Debian chromium.
 * Writes bench/results/fault-latency.json. `runFaultLatency()` is the same for bench/run.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../core/config/load.js';
import { createLogger } from '../core/logger.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Device } from '../core/types.js';
import { DEVICE_TYPES } from '../core/vocabulary/device-types.js';
import { startLab, type Lab } from '../simulator/lab.js';
import type { Fault } from '../simulator/model/faults.js';
import { startPantau, type RunningPantau } from '../server/main.js';
import { launchChromium } from '../test/helpers/chromium.js';

export const FAULT_KINDS = ['down', 'fiber-cut', 'snapshot', 'linkdown'] as const;
export type LatencyKind = (typeof FAULT_KINDS)[number];

export interface LatencyStats {
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}
export interface FaultLatencyOptions {
  /** Faults per kind (20 for the full benchmark). */
  faults?: number;
  kinds?: readonly LatencyKind[];
  /** Minutes of 5 % loss on every device; 0 skips the soak. */
  soakMinutes?: number;
  lossPct?: number;
  /** Faults running at once (on disjoint devices). */
  concurrency?: number;
  log?: (line: string) => void;
}
export interface FaultLatencyResult {
  at: string;
  settings: { faults: number; soakMinutes: number; lossPct: number; config: 'config/pantau.yaml (shipped)' };
  load: { before: number[]; after: number[]; cores: number };
  kinds: Partial<
    Record<
      LatencyKind,
      {
        detect: LatencyStats;
        recover?: LatencyStats;
        byType?: Record<string, LatencyStats>;
        missed: number;
        samples: number[];
      }
    >
  >;
  soak?: {
    minutes: number;
    lossPct: number;
    alertsOpened: number;
    falseAlerts: { key: string; title: string }[];
    leftUp: number;
    stateChanges: string[];
  };
}

export const TARGET_MS: Record<LatencyKind, number> = {
  down: 15_000,
  'fiber-cut': 15_000,
  snapshot: 120_000,
  linkdown: 2_000,
};
const PASSWORD = 'bench-noc-password';

export function stats(samples: readonly number[]): LatencyStats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!);
  return { n: s.length, p50Ms: q(0.5), p95Ms: q(0.95), maxMs: s.length ? s[s.length - 1]! : NaN };
}

/** The shipped config with only what a private test run must change: paths, a temp store, port 0, offline tiles. */
export function writeShippedConfig(dir: string): string {
  const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  cfg['inventory'] = [resolve('config/inventory/oku.yaml')] as never;
  cfg['collector'] = { ...cfg['collector'], profilesDir: resolve('config/profiles') };
  const rules = cfg['alerting']?.['rulesFile'];
  if (typeof rules === 'string') cfg['alerting'] = { ...cfg['alerting'], rulesFile: resolve('config', rules) };
  cfg['store'] = { path: join(dir, 'pantau.db') };
  cfg['server'] = { ...cfg['server'], port: 0, tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' };
  cfg['logLevel'] = 'warn' as never;
  const path = join(dir, 'pantau.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

interface PageHook {
  live: { statuses: Map<string, { state: string; probeError?: { code: string } }> };
  snapshots: number;
}
type W = { __pantau: PageHook };

export interface ShippedStack {
  lab: Lab;
  pantau: RunningPantau;
  inventory: Inventory;
  browser: Browser;
  page: Page;
  /** alerting.flapping.windowS of the shipped config, in ms. */
  flapWindowMs: number;
  stop(): Promise<void>;
}

/** Lab + pantau at the shipped defaults + a logged-in operator page, every device UP on it. */
export async function startShippedStack(log: (l: string) => void = () => {}): Promise<ShippedStack> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-shipped-'));
  const configPath = writeShippedConfig(dir);
  const logger = createLogger({ level: process.env['PANTAU_TEST_LOG'] ?? 'warn' });
  const loaded = loadConfig(configPath, {});
  const traps = loaded.config.collector.traps;
  const lab = await startLab({
    inventory: loaded.inventory,
    netns: 'none',
    trapTarget: { host: '127.0.0.1', port: traps.port },
    logger,
  });
  const pantau = await startPantau({ configPath, env: {}, logger, host: '127.0.0.1', port: 0 });
  await pantau.server.users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: ['noc'] });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`http://127.0.0.1:${pantau.port}`);
  await page.fill('input[name=username]', 'operator');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => ((window as unknown as W).__pantau?.snapshots ?? 0) > 0, null, { timeout: 30_000 });
  const ids = loaded.inventory.devices.map((d) => d.id);
  log(`waiting for all ${ids.length} devices UP on the page…`);
  await page.waitForFunction(
    (ids) => ids.every((id: string) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === 'UP'),
    ids,
    { timeout: 120_000, polling: 250 },
  );
  return {
    lab,
    pantau,
    inventory: loaded.inventory,
    browser,
    page,
    flapWindowMs: loaded.config.alerting.flapping.windowS * 1000,
    async stop() {
      await browser.close().catch(() => undefined);
      await pantau.stop().catch(() => undefined);
      await lab.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Page conditions (no named helpers inside: tsx's keepNames would reference __name in the page). */
const alertRowFor = (page: Page, id: string, timeoutMs: number) =>
  page.waitForFunction((id) => document.querySelectorAll(`.alert[data-device-id="${id}"]`).length > 0, id, {
    timeout: timeoutMs,
    polling: 50,
  });
const stateIs = (page: Page, ids: readonly string[], state: string, timeoutMs: number) =>
  page.waitForFunction(
    ({ ids, state }) =>
      ids.every((id: string) => (window as unknown as W).__pantau.live.statuses.get(id)?.state === state),
    { ids: [...ids], state },
    { timeout: timeoutMs, polling: 50 },
  );
const reasonIs = (page: Page, id: string, code: string | null, timeoutMs: number) =>
  page.waitForFunction(
    ({ id, code }) => ((window as unknown as W).__pantau.live.statuses.get(id)?.probeError?.code ?? null) === code,
    { id, code },
    { timeout: timeoutMs, polling: 50 },
  );
/** The page's view of some devices, for a failure's log line: `id STATE(code)` for each one not UP. */
const pageStates = (page: Page, ids: readonly string[]) =>
  page
    .evaluate(
      (ids) =>
        ids
          .map((id: string) => {
            const s = (window as unknown as W).__pantau.live.statuses.get(id);
            return s?.state === 'UP' ? '' : `${id} ${s?.state ?? '?'}${s?.probeError ? `(${s.probeError.code})` : ''}`;
          })
          .filter(Boolean)
          .join(', '),
      [...ids],
    )
    .catch((e: Error) => `(page: ${e.message})`);
const noAlertRow = (page: Page, id: string, timeoutMs: number) =>
  page.waitForFunction((id) => document.querySelectorAll(`.alert[data-device-id="${id}"]`).length === 0, id, {
    timeout: timeoutMs,
    polling: 100,
  });

interface Trial {
  target: Device;
  inject(): Promise<void>;
  shown(): Promise<unknown>;
  clear(): Promise<void>;
  recovered(): Promise<unknown>;
  settled(): Promise<unknown>;
}

/** Picks the targets of each kind (round-robin over device types for `down`). */
export function pickTargets(inv: Inventory, kind: LatencyKind, n: number): Device[] {
  const leaves = inv.devices.filter((d) => inv.descendants(d.id).length === 0);
  if (kind === 'down') {
    // Round-robin over the types, each device at most twice: OKU has only two village points, and a
    // third outage of one device within the flapping window (6 flips in 10 min) rightly makes it FLAPPING.
    const byType = DEVICE_TYPES.map((t) => leaves.filter((d) => d.type === t));
    const used = byType.map(() => 0);
    const out: Device[] = [];
    for (let i = 0; out.length < n && byType.some((pool, t) => used[t]! < 2 * pool.length); i++) {
      const t = i % byType.length;
      const pool = byType[t]!;
      if (used[t]! < 2 * pool.length) out.push(pool[used[t]!++ % pool.length]!);
    }
    return out;
  }
  if (kind === 'fiber-cut') {
    const cuts = inv.devices.filter(
      (d) => d.parent !== null && inv.descendants(d.id).length > 0 && inv.descendants(d.id).length <= 12,
    );
    return Array.from({ length: n }, (_, i) => cuts[(i * 7) % cuts.length]!);
  }
  if (kind === 'snapshot') {
    const cams = inv.devices.filter((d) => d.type === 'cctv');
    return Array.from({ length: n }, (_, i) => cams[i % cams.length]!);
  }
  const withUplink = inv.devices.filter(
    (d) => d.probes.snmp?.uplinkIfIndex !== undefined && inv.descendants(d.id).length === 0,
  );
  return Array.from({ length: n }, (_, i) => withUplink[(i * 5) % withUplink.length]!);
}

function trialFor(st: ShippedStack, kind: LatencyKind, d: Device): Trial {
  const { lab, page, inventory } = st;
  const below = inventory.descendants(d.id).map((x) => x.id);
  const limit = TARGET_MS[kind] * 4;
  switch (kind) {
    case 'down':
      return {
        target: d,
        inject: async () => {
          await lab.fault(d.id, { kind: 'down' });
        },
        shown: () => alertRowFor(page, d.id, limit),
        clear: () => lab.clear(d.id),
        recovered: () => stateIs(page, [d.id], 'UP', 60_000),
        settled: () => noAlertRow(page, d.id, 30_000),
      };
    case 'fiber-cut':
      return {
        target: d,
        inject: async () => {
          await lab.fault(d.id, { kind: 'down' }, { subtree: true });
        },
        shown: async () => {
          await alertRowFor(page, d.id, limit);
          await stateIs(page, below, 'UNREACHABLE', limit);
        },
        clear: () => lab.clear(d.id),
        recovered: () => stateIs(page, [d.id, ...below], 'UP', 90_000),
        settled: () => noAlertRow(page, d.id, 30_000),
      };
    case 'snapshot':
      return {
        target: d,
        inject: async () => {
          await lab.fault(d.id, { kind: 'snapshot', mode: 'http500' } as Fault);
        },
        shown: () => reasonIs(page, d.id, 'PANTAU_PROBE_SNAPSHOT', limit),
        clear: () => lab.clear(d.id),
        recovered: () => reasonIs(page, d.id, null, 180_000),
        settled: () => noAlertRow(page, d.id, 60_000),
      };
    case 'linkdown': {
      const ifIndex = d.probes.snmp!.uplinkIfIndex!;
      return {
        target: d,
        inject: async () => {
          await lab.fault(d.id, { kind: 'ifdown', ifIndex });
        },
        shown: () => alertRowFor(page, d.id, limit),
        clear: async () => {
          await lab.fault(d.id, { kind: 'ifup', ifIndex });
          await lab.clear(d.id);
        },
        recovered: () => noAlertRow(page, d.id, 90_000),
        settled: () => noAlertRow(page, d.id, 30_000),
      };
    }
  }
}

/** Runs `n` trials of one kind, `concurrency` at a time on devices that do not share a branch. */
async function runKind(
  st: ShippedStack,
  kind: LatencyKind,
  n: number,
  concurrency: number,
  log: (l: string) => void,
  outages: Map<string, number[]>,
) {
  const targets = pickTargets(st.inventory, kind, n);
  const detect: number[] = [];
  const recover: number[] = [];
  const byType: Record<string, number[]> = {};
  let missed = 0;
  const busy = new Set<string>();
  const related = (a: string, b: string) =>
    a === b || st.inventory.ancestors(a).some((x) => x.id === b) || st.inventory.ancestors(b).some((x) => x.id === a);
  let next = 0;
  async function worker() {
    while (next < targets.length) {
      const idx = next++;
      const d = targets[idx]!;
      while ([...busy].some((b) => related(b, d.id))) await sleep(200);
      busy.add(d.id);
      // Never a third outage of one device within the flapping window: that is real flapping (DEGRADED),
      // not a fault this benchmark times. Wait until the oldest of its recent outages leaves the window.
      // Only kinds that take devices off the network count as reachability flips; a snapshot or a
      // linkDown fault leaves the device reachable, so it never waits (it waited up to 10 min before).
      const flips = kind === 'down' || kind === 'fiber-cut';
      const hit = flips ? [d.id, ...st.inventory.descendants(d.id).map((x) => x.id)] : [];
      const recent = () =>
        Math.max(0, ...hit.map((id) => (outages.get(id) ?? []).filter((t) => t > Date.now() - st.flapWindowMs).length));
      if (recent() >= 2)
        log(`${kind} ${d.id}: waiting for its flapping window (2 outages in ${st.flapWindowMs / 60_000} min)`);
      while (recent() >= 2) await sleep(1000);
      for (const id of hit) outages.set(id, [...(outages.get(id) ?? []), Date.now()]);
      try {
        const t = trialFor(st, kind, d);
        // A random phase against the poll grid (ICMP 10 s, ONVIF 60 s): faults do not come on the grid.
        await sleep(Math.random() * (kind === 'snapshot' ? 60_000 : 10_000));
        const t0 = Date.now();
        await t.inject();
        try {
          await t.shown();
          const ms = Date.now() - t0;
          detect.push(ms);
          (byType[d.type] ??= []).push(ms);
          log(`${kind} ${d.id} (${d.type}): ${(ms / 1000).toFixed(1)} s`);
        } catch {
          missed++;
          log(`${kind} ${d.id}: NOT shown within ${TARGET_MS[kind] * 4} ms`);
        }
        const t1 = Date.now();
        await t.clear();
        try {
          await t.recovered();
          if (kind === 'down' || kind === 'fiber-cut') recover.push(Date.now() - t1);
          await t.settled();
        } catch {
          log(
            `${kind} ${d.id}: did not recover on the page: ${await pageStates(st.page, [d.id, ...st.inventory.descendants(d.id).map((x) => x.id)])}`,
          );
        }
      } finally {
        busy.delete(d.id);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return {
    detect: stats(detect),
    ...(recover.length ? { recover: stats(recover) } : {}),
    ...(kind === 'down' ? { byType: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, stats(v)])) } : {}),
    missed,
    samples: detect,
  };
}

/** Every alert the server knows (open and resolved), through the page's session. */
const allAlerts = (page: Page) =>
  page.evaluate(async () => {
    const r = await fetch('/api/alerts?limit=5000');
    return ((await r.json()) as { alerts: { id: string; key: string; title: string }[] }).alerts;
  });

/** 5 % loss on every device for `minutes`: every alert opened and every device leaving UP is false. */
async function soak(st: ShippedStack, minutes: number, lossPct: number, log: (l: string) => void) {
  const { lab, page, inventory } = st;
  const before = new Set((await allAlerts(page)).map((a) => a.id));
  // The page's own view: every device seen away from UP during the soak (sampled every 250 ms).
  await page.evaluate(() => {
    const w = window as unknown as { __soakAway: string[]; __soakTimer: number };
    w.__soakAway = [];
    w.__soakTimer = window.setInterval(() => {
      for (const [id, s] of (window as unknown as W).__pantau.live.statuses) {
        if (s.state !== 'UP' && !w.__soakAway.includes(`${id} ${s.state}`)) w.__soakAway.push(`${id} ${s.state}`);
      }
    }, 250);
  });
  const start = Date.now();
  for (const d of inventory.devices) await lab.fault(d.id, { kind: 'loss', percent: lossPct });
  log(`soak: ${lossPct} % loss on ${inventory.devices.length} devices for ${minutes} min`);
  const opened = async () => (await allAlerts(page)).filter((a) => !before.has(a.id));
  while (Date.now() - start < minutes * 60_000) {
    await sleep(Math.min(60_000, start + minutes * 60_000 - Date.now()));
    log(`soak ${((Date.now() - start) / 60_000).toFixed(1)} min: ${(await opened()).length} alerts opened`);
  }
  const away = await page.evaluate(() => {
    const w = window as unknown as { __soakAway: string[]; __soakTimer: number };
    window.clearInterval(w.__soakTimer);
    return w.__soakAway;
  });
  const falseAlerts = (await opened()).map((a) => ({ key: a.key, title: a.title }));
  await lab.clear('all');
  return {
    minutes,
    lossPct,
    alertsOpened: falseAlerts.length,
    falseAlerts,
    leftUp: away.length,
    stateChanges: away.slice(0, 50),
  };
}

/** The whole benchmark (bench/run.ts calls this). Must run as root inside `unshare -n`. */
export async function runFaultLatency(opts: FaultLatencyOptions = {}): Promise<FaultLatencyResult> {
  const log = opts.log ?? (() => {});
  const faults = opts.faults ?? 20;
  const soakMinutes = opts.soakMinutes ?? 30;
  const lossPct = opts.lossPct ?? 5;
  const loadBefore = loadavg();
  const st = await startShippedStack(log);
  const outages = new Map<string, number[]>();
  try {
    const result: FaultLatencyResult = {
      at: new Date().toISOString(),
      settings: { faults, soakMinutes, lossPct, config: 'config/pantau.yaml (shipped)' },
      load: { before: loadBefore, after: [], cores: (await import('node:os')).cpus().length },
      kinds: {},
    };
    for (const kind of opts.kinds ?? FAULT_KINDS) {
      result.kinds[kind] = await runKind(
        st,
        kind,
        faults,
        opts.concurrency ?? (kind === 'snapshot' ? 10 : 4),
        log,
        outages,
      );
    }
    if (soakMinutes > 0) result.soak = await soak(st, soakMinutes, lossPct, log);
    result.load.after = loadavg();
    return result;
  } finally {
    await st.stop();
  }
}

const fmt = (s: LatencyStats) =>
  `p50 ${(s.p50Ms / 1000).toFixed(1)} s, p95 ${(s.p95Ms / 1000).toFixed(1)} s, max ${(s.maxMs / 1000).toFixed(1)} s (n=${s.n})`;

export function summary(r: FaultLatencyResult): string {
  const lines = [
    `fault → page at the shipped defaults (load ${r.load.before.map((x) => x.toFixed(1)).join('/')} → ${r.load.after.map((x) => x.toFixed(1)).join('/')}, ${r.load.cores} cores)`,
  ];
  for (const [k, v] of Object.entries(r.kinds)) {
    lines.push(
      `  ${k.padEnd(9)} ${fmt(v.detect)}${v.missed ? `, ${v.missed} missed` : ''} (target ${TARGET_MS[k as LatencyKind] / 1000} s)`,
    );
    if (v.recover) lines.push(`  ${''.padEnd(9)} recovery ${fmt(v.recover)}`);
    for (const [t, s] of Object.entries(v.byType ?? {})) lines.push(`    ${t.padEnd(8)} ${fmt(s)}`);
  }
  if (r.soak)
    lines.push(
      `  soak ${r.soak.minutes} min at ${r.soak.lossPct} % loss: ${r.soak.alertsOpened} alerts opened (all false), ${r.soak.leftUp} devices left UP`,
    );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('fault-latency.ts')) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const r = await runFaultLatency({
    faults: Number(arg('--faults') ?? (quick ? 2 : 20)),
    soakMinutes: Number(arg('--soak-min') ?? (quick ? 1 : 30)),
    ...(arg('--kinds') ? { kinds: arg('--kinds')!.split(',') as LatencyKind[] } : {}),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/fault-latency${quick ? '-quick' : ''}.json`, `${JSON.stringify(r, null, 2)}\n`);
  process.stdout.write(`${summary(r)}\n`);
}
