import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import type { EventBus } from '../core/bus.js';
import type { Config } from '../core/config/schema.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';
import { systemClock, type Clock } from '../core/time.js';
import type { Device, DeviceType, ProbeResult } from '../core/types.js';
import type { IcmpEngine } from './probes/icmp/client.js';
import type { Prober } from './probes/definition.js';
import { POLLED_KINDS, probeOf } from './probes/list.js';
import { resolveProfilesDir } from '../core/inventory/vendors.js';
import { planJobs, type Job, type PolledKind } from './scheduler/plan.js';
import { createRunner } from './scheduler/runner.js';
import { assessSchedule, behindMessage, initialScheduleHealth } from './scheduler/health.js';
import { recheck, recoveryRechecks, SETTLED, type Streak } from './scheduler/recheck.js';
import { reachabilityKind, reached } from '../core/reachability.js';
import { startTrapReceiver } from './traps/receiver.js';
import { watchInventory } from './inventory-watch.js';
import { internalResult } from './internal-result.js';
import { abortReason, toProbeError } from './probe-error.js';
import { loadInventory } from '../core/config/load.js';
import type { InventoryRefs } from '../core/inventory/validate.js';
import { startProbeWorkers, type ProbeWorkers } from './probes/worker/pool.js';
import { encodeSecrets, workerCount } from './probes/worker/wire.js';

/** Ids added, removed or edited between two inventories (pure). */
export function changedDeviceIds(before: Inventory, after: Inventory): string[] {
  const out = new Set<string>();
  for (const d of before.devices) if (!after.byId.has(d.id)) out.add(d.id);
  for (const d of after.devices) {
    const old = before.byId.get(d.id);
    if (!old || JSON.stringify(old) !== JSON.stringify(d)) out.add(d.id);
  }
  return [...out].sort();
}

export interface CollectorDeps {
  config: Readonly<Config>;
  inventory: Inventory;
  bus: EventBus;
  logger: Logger;
  clock?: Clock;
  /** Folder of pantau.yaml: config.collector.profilesDir resolves against it. */
  configDir: string;
  /**
   * With these, start() reloads the inventory on file change or SIGHUP (default reload: the files
   * validated against config.credentials) and publishes `inventory.changed` with the ids that changed.
   */
  inventoryFiles?: readonly string[];
  reloadInventory?: () => Inventory;
  /** What a default reload checks against (region, vendors, credentials): LoadedConfig.refs. */
  inventoryRefs?: InventoryRefs;
  /** Tests: a ping engine other than the auto-picked one. */
  icmpEngine?: IcmpEngine;
  /** Test hooks by name, handed to every kind's `create` (a kind reads only its own, e.g. `httpBeforeRun`). */
  probeHooks?: Readonly<Record<string, unknown>>;
  /** How often the schedule report (`collector.schedule`) goes out; default 5 s. */
  scheduleReportMs?: number;
  /** Names this collector in schedule reports (default `pantau`). */
  collectorId?: string;
  /**
   * Several collectors (`--role collector`): polls only the devices this returns true for (traps
   * from any device are still forwarded). `rebalance()` re-reads it. Default: every device.
   */
  owns?: (device: Device) => boolean;
}

export interface Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  pollOnce(filter?: { deviceId?: string; type?: DeviceType }, opts?: { signal?: AbortSignal }): Promise<ProbeResult[]>;
  updateInventory(inv: Inventory): void;
  /** Re-applies `owns` (the devices this collector polls changed); returns the jobs added and removed. */
  rebalance(): { added: number; removed: number };
}

/** Runs `fn` over items with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export function createCollector(deps: CollectorDeps): Collector {
  const cfg = deps.config.collector;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const log = deps.logger.child({ module: 'collector' });
  let inventory = deps.inventory;
  const settingsOf = (kind: PolledKind): unknown => (cfg as unknown as Record<string, unknown>)[kind];
  const hooks = { ...deps.probeHooks, ...(deps.icmpEngine ? { icmpEngine: deps.icmpEngine } : {}) };
  // Every kind's prober, built now so a bad setting (e.g. an invalid vendor profile) fails start-up.
  const probers = new Map<PolledKind, Prober<ProbeResult>>(
    POLLED_KINDS.map((kind) => [
      kind,
      probeOf(kind).create({
        settings: settingsOf(kind),
        timeoutMs: cfg.timeoutsMs[kind],
        credentials: deps.config.credentials,
        configDir: deps.configDir,
        profilesDir: resolveProfilesDir(deps.configDir, cfg.profilesDir),
        now,
        logger: deps.logger,
        hooks,
      }) as Prober<ProbeResult>,
    ]),
  );
  const loggedInternal = new Set<string>();
  // Probe worker threads (ADR 0208), started by start(): the scheduled runs of offloaded kinds go
  // there; pollOnce() without start() (the CLI) stays in this thread.
  const offloaded = POLLED_KINDS.filter((k) => probeOf(k).offload === true);
  let workers: ProbeWorkers | undefined;
  const workerProbers = new Map<PolledKind, Prober<ProbeResult>>();
  const proberOf = (kind: PolledKind) => workerProbers.get(kind) ?? probers.get(kind)!;

  const timeoutMs = (kind: PolledKind, n: number) => {
    const def = probeOf(kind);
    return def.runTimeoutMs ? def.runTimeoutMs(n, settingsOf(kind), cfg.timeoutsMs[kind]) : cfg.timeoutsMs[kind];
  };

  /** A probe that throws is a bug: one log line per device (with the cause), and a result that says so. */
  function internal(kind: PolledKind, device: Device, err: unknown, ts: number): ProbeResult {
    if (!loggedInternal.has(`${kind}:${device.id}`)) {
      loggedInternal.add(`${kind}:${device.id}`);
      log.error({ err, device: device.id, kind }, 'probe threw an exception (bug): reported as PANTAU_PROBE_INTERNAL');
    }
    return internalResult(kind, device.id, ts, now() - ts, err);
  }

  // The runner never starts a job that is running, but pollOnce() can be called while it runs:
  // per-key locks keep "one run of one probe on one device at a time" true for both paths.
  const busy = new Map<string, Promise<void>>();
  async function exclusive(keys: readonly string[], fn: () => Promise<void>): Promise<void> {
    for (;;) {
      const waits = keys.map((k) => busy.get(k)).filter((p): p is Promise<void> => p !== undefined);
      if (waits.length === 0) break;
      await Promise.all(waits);
    }
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    for (const k of keys) busy.set(k, held);
    try {
      await fn();
    } finally {
      for (const k of keys) if (busy.get(k) === held) busy.delete(k);
      release();
    }
  }

  function execute(
    kind: PolledKind,
    jobs: readonly Job[],
    signal: AbortSignal,
    sink: (r: ProbeResult) => void,
  ): Promise<void> {
    return exclusive(
      jobs.map((j) => j.key),
      () => executeNow(kind, jobs, signal, sink),
    );
  }

  async function executeNow(
    kind: PolledKind,
    jobs: readonly Job[],
    signal: AbortSignal,
    sink: (r: ProbeResult) => void,
  ): Promise<void> {
    const devices = jobs.map((j) => inventory.byId.get(j.deviceId)).filter((d): d is Device => d !== undefined);
    if (devices.length === 0) return;
    const ts = now();
    try {
      const results = await proberOf(kind).run(devices, { signal });
      for (const r of results) sink(r);
    } catch (err) {
      // Cut short (timeout, stop, a probe worker stopped with it): a timeout result, not a bug report.
      if (signal.aborted) {
        const error = toProbeError(abortReason(signal));
        for (const d of devices) sink(probeOf(kind).failed({ deviceId: d.id, ts, durationMs: now() - ts, error }));
        return;
      }
      for (const d of devices) sink(internal(kind, d, err, ts));
    }
  }

  const polled = (inv: Inventory): readonly Device[] => (deps.owns ? inv.devices.filter(deps.owns) : inv.devices);

  // Re-check after a change (ADR 0205): the streak per job decides whether the probe runs again soon.
  const alerting = deps.config.alerting;
  const streaks = new Map<string, Streak>();
  const confirm = (d: Device, kind: PolledKind) =>
    kind === 'icmp' || kind === reachabilityKind(d)
      ? {
          confirmFail: alerting.byType[d.type]?.downAfter ?? alerting.downAfter,
          confirmOk: alerting.byType[d.type]?.upAfter ?? alerting.upAfter,
        }
      : { confirmFail: alerting.degradedAfter, confirmOk: 1 };
  function afterResult(r: ProbeResult): void {
    if (r.kind === 'trap') {
      // A linkDown on the device: its next ping confirms (or clears) it now, not in one interval.
      if (r.trap === 'linkDown') runner.expedite(`icmp:${r.deviceId}`, now());
      return;
    }
    const d = inventory.byId.get(r.deviceId);
    const spacing = cfg.recheckMs[r.kind];
    if (!d || spacing <= 0) return;
    const key = `${r.kind}:${d.id}`;
    const before = streaks.get(key) ?? SETTLED;
    const isReach = r.kind === reachabilityKind(d);
    // A slow HTTP answer is an answer: it does not start a DOWN re-check streak (ADR 0701).
    const ok = isReach ? reached(r) : r.ok;
    const dec = recheck(before, ok, confirm(d, r.kind));
    // The ping answers again after failures: re-check the device's services now, so a stale
    // "SNMP/ONVIF failing" clears and a real fault is confirmed within the re-check spacing.
    for (const k of recoveryRechecks(before, ok, isReach, d)) runner.expedite(`${k}:${d.id}`, now());
    if (dec.streak === SETTLED) streaks.delete(key);
    else streaks.set(key, dec.streak);
    if (dec.again) runner.expedite(key, now() + spacing);
    // The first failed ping: refresh the ancestors' evidence at once, so the engine can tell
    // "this device" from "something above it" before this device reaches downAfter.
    if (dec.checkUpstream && isReach) {
      for (const a of inventory.ancestors(d.id)) runner.expedite(`${reachabilityKind(a)}:${a.id}`, now());
    }
  }
  const publish = (r: ProbeResult) => {
    deps.bus.publish('probe.result', r);
    afterResult(r);
  };
  const runner = createRunner({
    clock,
    logger: deps.logger,
    limits: cfg.concurrency,
    timeoutMs,
    batched: new Set(POLLED_KINDS.filter((k) => probeOf(k).batchQuantumMs !== undefined)),
    maxBatch: Object.fromEntries(
      POLLED_KINDS.flatMap((k) => {
        const max = probeOf(k).maxBatch?.(settingsOf(k));
        return max === undefined ? [] : [[k, max]];
      }),
    ),
    execute: (kind, jobs, signal) => execute(kind, jobs, signal, publish),
  });

  let traps: { close(): Promise<void> } | undefined;
  let unwatch: (() => void) | undefined;

  // Every few seconds: counters and lag per kind on the bus (/metrics reads them), and a kind that
  // falls behind or catches up is logged and raised/cleared as pantau.health (an alert).
  let scheduleHealth = initialScheduleHealth();
  let firstReport = true;
  let reportTimer: NodeJS.Timeout | undefined;
  const healthOf = (kind: string, status: 'ok' | 'degraded', message: string) =>
    deps.bus.publish('pantau.health', {
      component: `schedule.${kind}`,
      status,
      code: 'PANTAU_POLLS_BEHIND',
      message,
      at: now(),
    });
  function reportSchedule() {
    const r = assessSchedule(scheduleHealth, runner.takeStats(), now());
    scheduleHealth = r.state;
    deps.bus.publish('collector.schedule', { collector: deps.collectorId ?? 'pantau', at: now(), kinds: r.kinds });
    for (const c of r.changes) {
      const fields = { kind: c.kind, window: c.report.window, queued: c.report.queued, running: c.report.running };
      if (c.behind) {
        const message = behindMessage(c.kind, c.report);
        log.warn(fields, message);
        healthOf(c.kind, 'degraded', message);
      } else {
        log.info(
          fields,
          `jadwal ${c.kind.toUpperCase()} kembali tepat waktu / ${c.kind.toUpperCase()} back on schedule`,
        );
        healthOf(c.kind, 'ok', 'on schedule');
      }
    }
    // An alert left open by a previous run (stopped while behind) is cleared once this run is on schedule.
    if (firstReport) {
      firstReport = false;
      for (const [kind, k] of Object.entries(r.kinds)) if (!k.behind) healthOf(kind, 'ok', 'on schedule');
    }
  }

  const collector: Collector = {
    async start() {
      const threads =
        offloaded.length === 0 ? 0 : workerCount(cfg.workers, polled(inventory).length, availableParallelism());
      if (threads > 0 && !workers) {
        const pool = startProbeWorkers({
          count: threads,
          logger: deps.logger,
          init: {
            kinds: [...offloaded],
            settings: Object.fromEntries(offloaded.map((k) => [k, settingsOf(k)])),
            timeoutsMs: { ...cfg.timeoutsMs },
            credentials: encodeSecrets(deps.config.credentials),
            configDir: deps.configDir,
            profilesDir: resolveProfilesDir(deps.configDir, cfg.profilesDir),
            logLevel: deps.logger.level,
          },
        });
        try {
          await pool.ready();
        } catch (err) {
          await pool.close();
          throw err;
        }
        workers = pool;
        for (const k of offloaded) workerProbers.set(k, pool.prober(k));
        log.info({ threads, kinds: offloaded }, 'probe worker threads started');
      }
      runner.setJobs(planJobs(polled(inventory), cfg));
      if (cfg.traps.enabled) {
        traps = await startTrapReceiver({
          address: cfg.traps.address,
          port: cfg.traps.port,
          credentials: deps.config.credentials.snmp,
          inventory: () => inventory,
          onResult: publish,
          logger: deps.logger,
          now,
        });
      }
      const files = deps.inventoryFiles ?? [];
      if (deps.reloadInventory || files.length > 0) {
        const known: InventoryRefs = deps.inventoryRefs ?? {
          snmpCredentials: new Set(Object.keys(deps.config.credentials.snmp)),
          onvifCredentials: new Set(Object.keys(deps.config.credentials.onvif)),
        };
        const reload = deps.reloadInventory ?? (() => loadInventory(files, known));
        unwatch = watchInventory({
          files,
          reload,
          logger: deps.logger,
          apply: (inv) => {
            const changed = changedDeviceIds(inventory, inv);
            collector.updateInventory(inv);
            if (changed.length > 0) deps.bus.publish('inventory.changed', { deviceIds: changed });
          },
        });
      }
      runner.start();
      reportTimer = setInterval(reportSchedule, deps.scheduleReportMs ?? 5000);
      reportTimer.unref();
      log.info({ jobs: runner.size() }, 'collector started');
    },
    async stop() {
      unwatch?.();
      if (reportTimer) clearInterval(reportTimer);
      reportTimer = undefined;
      // In-flight probes get 1 s, then are aborted: the whole of `pantau start` must stop within 5 s.
      await runner.stop(1000);
      workerProbers.clear();
      await workers?.close();
      workers = undefined;
      await traps?.close();
      traps = undefined;
      log.info('collector stopped');
    },
    async pollOnce(filter, opts = {}) {
      const jobs = planJobs(inventory.devices, cfg, filter);
      const out: ProbeResult[] = [];
      const sink = (r: ProbeResult) => {
        out.push(r);
        publish(r);
      };
      const signalFor = (kind: PolledKind, n: number) => {
        const s = AbortSignal.any([...(opts.signal ? [opts.signal] : []), AbortSignal.timeout(timeoutMs(kind, n))]);
        setMaxListeners(0, s);
        return s;
      };
      await Promise.all(
        POLLED_KINDS.map((kind) => {
          const own = jobs.filter((j) => j.kind === kind);
          if (own.length === 0) return Promise.resolve();
          // A batched kind (ICMP) runs all its devices in one call; the others one device per call.
          if (probeOf(kind).batchQuantumMs !== undefined) return execute(kind, own, signalFor(kind, own.length), sink);
          return pool(own, cfg.concurrency[kind], (j) => execute(kind, [j], signalFor(kind, 1), sink));
        }),
      );
      return out;
    },
    rebalance() {
      const moved = runner.setJobs(planJobs(polled(inventory), cfg));
      if (moved.added + moved.removed > 0)
        log.info({ ...moved, jobs: runner.size() }, 'pembagian perangkat berubah / device share changed');
      return moved;
    },
    updateInventory(inv) {
      const before = new Set(inventory.devices.map((d) => d.id));
      inventory = inv;
      for (const id of before)
        if (!inv.byId.has(id)) for (const p of [...probers.values(), ...workerProbers.values()]) p.forget?.(id);
      for (const key of [...streaks.keys()]) if (!inv.byId.has(key.slice(key.indexOf(':') + 1))) streaks.delete(key);
      const { added, removed } = runner.setJobs(planJobs(polled(inv), cfg));
      log.info({ added, removed, jobs: runner.size() }, 'inventory updated');
    },
  };
  return collector;
}
