import { randomUUID } from 'node:crypto';
import type { EventBus } from '../core/bus.js';
import type { Config } from '../core/config/schema.js';
import { PantauError } from '../core/errors.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';
import type { AlertFilter, AlertingService, MaintenanceInput, MaintenanceWindow } from '../core/services.js';
import type { Store } from '../core/store/store.js';
import type { Clock, Zone } from '../core/time.js';
import { filterAlerts } from '../core/alert-filter.js';
import { acksOf, type AckEntry, type Alert, type Device, type DeviceStatus } from '../core/types.js';
import { createEngine, deviceStatus } from './engine/engine.js';
import type {
  DeviceMachine,
  EngineEvent,
  EngineState,
  NoDataContext,
  OpenAlertRef,
  RaiseEffect,
} from './engine/types.js';
import { noDataAfterMs } from './engine/no-data.js';
import { probeOf } from '../collector/probes/list.js';
import { reachabilityKind, type ReachabilityKind } from '../core/reachability.js';
import { DEFAULT_ZONE, zonesOf } from '../core/inventory/zones.js';
import { formatInZone } from '../core/time.js';
import { createRenderer } from './i18n.js';
import { createDispatcher } from './notify/dispatcher.js';
import { buildTransports, type NotifierTransports } from './notify/transports.js';
import { loadRules } from './rules/load.js';
import type { CompiledRule } from './rules/types.js';
import { ALERTING_MIGRATIONS } from './store/migrations.js';
import { createRepo } from './store/repo.js';

export interface AlertingDeps {
  config: Pick<Config, 'alerting'>;
  inventory: Inventory;
  store: Store;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** Replace the real Telegram/SMTP/webhook senders (other gateways, tests). */
  notifierTransports?: NotifierTransports;
  /** Where `alerting.rulesFile` is relative to (the config file's folder). */
  configDir?: string;
  /** The region's time zone for times in messages (default WIB, OKU's). */
  timeZone?: Zone;
  /** Rules to use instead of loading them (tests). */
  rules?: readonly CompiledRule[];
  /**
   * A device's poll interval for a probe kind, in seconds (the collector's intervalFor, passed in by
   * the composition root); default: the kind's shipped default. Scales the no-data threshold (ADR 0406).
   */
  probeIntervalS?: (device: Device, kind: ReachabilityKind) => number;
  /**
   * Whether results can reach this engine now; false while their path is known to be broken (the
   * core's Redis link down: the collectors spool meanwhile). Silence is not counted then, and is
   * counted afresh from when it turns true again (ADR 0406). Default: always.
   */
  resultsFlowing?: () => boolean;
}

export interface Alerting extends AlertingService {
  /** The engine answers at once (a web server's mirror of it answers with promises). */
  acknowledge(id: string, by: string, comment?: string, publicMessage?: string): Alert;
  listMaintenance(): MaintenanceWindow[];
  addMaintenance(input: MaintenanceInput): MaintenanceWindow;
  removeMaintenance(id: string): boolean;
  start(): void;
  stop(): Promise<void>;
  /** Timers: for-durations, flapping quiet periods, maintenance, escalation, storm windows, outbox retries. */
  tick(): Promise<void>;
  /** An alert's history (opened, acknowledged, escalated, resolved…), oldest first. */
  history(alertId: string): { at: number; event: string; by: string | null; detail: unknown }[];
  /** Outbox rows by status, for health pages and tests. */
  outboxCounts(): Record<string, number>;
  /** A reloaded inventory (collector's `inventory.changed`): new devices are watched, removed ones' alerts resolved. */
  updateInventory(inventory: Inventory): void;
  /** This process's collector is stopping on purpose: from now on its silence is expected, not "no data" (ADR 0406). */
  holdNoData(): void;
}

/** Sent and dead outbox rows are kept this long (for "was it delivered?" questions), then pruned. */
const OUTBOX_RETENTION_MS = 30 * 86_400_000;

/** Machine fields worth persisting (streak counters are not: the next probes rebuild them). */
function significant(a: DeviceMachine | undefined, b: DeviceMachine): boolean {
  return (
    !a ||
    a.observed !== b.observed ||
    a.effective !== b.effective ||
    a.reason !== b.reason ||
    a.effReason !== b.effReason ||
    a.rootCauseId !== b.rootCauseId ||
    a.flapping !== b.flapping ||
    a.trapDown !== b.trapDown ||
    a.noDataSince !== b.noDataSince ||
    a.recoveredAt !== b.recoveredAt
  );
}

export function createAlerting(deps: AlertingDeps): Alerting {
  const { bus, clock } = deps;
  let inventory = deps.inventory;
  const cfg = deps.config.alerting;
  const log = deps.logger.child({ module: 'alerting' });
  const rules = deps.rules ?? loadRules({ rulesFile: cfg.rulesFile, configDir: deps.configDir });
  deps.store.migrate('alerting', ALERTING_MIGRATIONS);
  const repo = createRepo(deps.store.db);
  const renderer = createRenderer(rules, deps.timeZone);
  const intervalS =
    deps.probeIntervalS ?? ((_d: Device, kind: ReachabilityKind) => probeOf(kind).schema.defaults.intervalS);
  const noDataContext = (inv: Inventory): NoDataContext => {
    const zones = zonesOf(inv);
    return {
      afterMs: (d) => noDataAfterMs(intervalS(d, reachabilityKind(d)), cfg.noData),
      zoneOf: (id) => zones.get(id) ?? DEFAULT_ZONE,
      timeText: (ms) => formatInZone(ms, deps.timeZone ?? 'WIB', { seconds: false }),
    };
  };
  const buildEngine = (inv: Inventory) =>
    createEngine({
      inventory: inv,
      ...(cfg.noData.enabled ? { noData: noDataContext(inv) } : {}),
      rules,
      degradedAfter: cfg.degradedAfter,
      flapping: {
        threshold: cfg.flapping.threshold,
        windowMs: cfg.flapping.windowS * 1000,
        quietMs: cfg.flapping.quietS * 1000,
      },
      thresholds: (d) => ({
        downAfter: cfg.byType[d.type]?.downAfter ?? cfg.downAfter,
        upAfter: cfg.byType[d.type]?.upAfter ?? cfg.upAfter,
      }),
    });
  let engine = buildEngine(inventory);
  const transports = buildTransports(cfg.notifications, () => clock.now(), deps.notifierTransports);
  const buildDispatcher = (inv: Inventory) =>
    createDispatcher({ repo, config: cfg, inventory: inv, renderer, transports, logger: log });
  let dispatcher = buildDispatcher(inventory);

  // Restart: open alerts, acknowledgements, device machines and maintenance come back from SQLite.
  const open = new Map<string, Alert>(repo.openAlerts().map((a) => [a.key, a]));
  const openRefs: Record<string, OpenAlertRef> = {};
  for (const a of open.values()) openRefs[a.key] = { rule: a.rule, deviceId: a.deviceId, severity: a.severity };
  let state: EngineState = engine.restore(repo.devices(), openRefs, repo.maintenance(), clock.now());
  const startedAt = clock.now();
  log.info({ openAlerts: open.size, devices: state.devices.size }, 'alerting restored');

  function buildAlert(fx: RaiseEffect): Alert {
    const d = inventory.byId.get(fx.deviceId);
    return {
      id: repo.nextAlertId(),
      key: fx.key,
      rule: fx.rule,
      deviceId: fx.deviceId,
      deviceType: d?.type ?? 'pantau',
      kecamatan: d?.kecamatan ?? '',
      severity: fx.severity,
      status: 'open',
      messageKey: fx.messageKey,
      params: fx.params,
      title: renderer.title(fx.messageKey, fx.params, 'id'),
      affected: fx.affected,
      openedAt: fx.at,
      updatedAt: fx.at,
    };
  }

  /** One engine step; its effects are persisted in one transaction, then published. */
  function apply(event: EngineEvent): void {
    const now = clock.now();
    const prev = state;
    const out = engine.step(state, event, now);
    // In-memory changes wait for the commit, so a failed transaction leaves memory and SQLite agreeing.
    const publish: (() => void)[] = [];
    const toSave = out.touched
      .map((id) => [id, out.state.devices.get(id)!] as const)
      .filter(([id, m]) => significant(prev.devices.get(id), m));
    if (toSave.length === 0 && out.effects.length === 0) {
      state = out.state;
      return;
    }
    const staged = new Map<string, Alert | null>();
    const current = (key: string) => (staged.has(key) ? (staged.get(key) ?? undefined) : open.get(key));
    repo.tx(() => {
      for (const [id, m] of toSave) repo.saveDevice(id, m, now);
      for (const fx of out.effects) {
        if (fx.kind === 'state') {
          publish.push(() => bus.publish('device.state', fx.change));
        } else if (fx.kind === 'raise') {
          const a = buildAlert(fx);
          repo.insertAlert(a);
          repo.history(a.id, now, 'opened', null, { severity: a.severity, affected: a.affected.length });
          dispatcher.onRaised(a, now);
          staged.set(a.key, a);
          publish.push(() => {
            open.set(a.key, a);
            bus.publish('alert.changed', a);
          });
        } else if (fx.kind === 'update') {
          const cur = current(fx.key);
          if (!cur) continue;
          const a: Alert = {
            ...cur,
            severity: fx.severity,
            params: fx.params,
            title: renderer.title(cur.messageKey, fx.params, 'id'),
            updatedAt: now,
          };
          repo.updateAlert(a);
          repo.history(a.id, now, 'updated', null, { severity: a.severity, from: cur.severity });
          // Same transaction as the alert row: a restart neither loses the rise notice nor makes a second one.
          if (a.severity !== cur.severity) dispatcher.onSeverityChanged(a, cur.severity, now);
          staged.set(a.key, a);
          publish.push(() => {
            open.set(a.key, a);
            bus.publish('alert.changed', a);
          });
        } else {
          const cur = current(fx.key);
          if (!cur) continue;
          const intoId = fx.into ? current(fx.into)?.id : undefined;
          const a: Alert = {
            ...cur,
            status: 'resolved',
            resolvedAt: now,
            updatedAt: now,
            resolvedReason: fx.reason,
            ...(intoId ? { foldedInto: intoId } : {}),
          };
          repo.updateAlert(a);
          repo.history(a.id, now, 'resolved', null, {
            reason: fx.reason,
            ...(fx.into ? { into: fx.into, intoId } : {}),
          });
          // Folded into the root cause's alert: that alert speaks for it, so no recovery notice.
          dispatcher.onResolved(a, now, { silent: fx.reason === 'folded' });
          staged.set(a.key, null);
          publish.push(() => {
            open.delete(a.key);
            bus.publish('alert.changed', a);
          });
        }
      }
    });
    state = out.state;
    for (const p of publish) p();
  }

  const safeApply = (event: EngineEvent) => {
    try {
      apply(event);
    } catch (err) {
      log.error({ err, event: event.kind }, 'alert engine step failed');
    }
  };

  const alertById = (id: string): Alert | undefined => {
    for (const a of open.values()) if (a.id === id) return a;
    return repo.alertById(id);
  };

  const routedGroups = (a: Alert): string[] => {
    const set = new Set(dispatcher.routeOf(a).groups);
    for (const g of repo.groupsOf(a.id)) set.add(g.grp);
    return [...set];
  };

  let unsubscribe: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const shutdown = new AbortController();
  let ticking: Promise<void> = Promise.resolve();
  let busy = false;

  // No data (ADR 0406): silence counts from the start (the start grace: every device is polled within
  // one interval of it), and afresh from the end of a known break in the results' path.
  let silenceFrom = startedAt;
  let silenceHeld: string | null = null;
  let stopping = false;
  function noDataAnchor(now: number): { from: number } | undefined {
    if (!cfg.noData.enabled) return undefined;
    const why = stopping
      ? 'collector_stopping'
      : deps.resultsFlowing && !deps.resultsFlowing()
        ? 'results_path_down'
        : null;
    if (why) {
      if (silenceHeld === null) log.info({ why }, 'no-data check held: results cannot arrive now');
      silenceHeld = why;
      return undefined;
    }
    if (silenceHeld !== null) {
      silenceHeld = null;
      silenceFrom = now;
      log.info('no-data check resumed: silence counted from now');
    }
    return { from: silenceFrom };
  }

  let lastPrune = 0;
  async function runTick(): Promise<void> {
    const now = clock.now();
    if (now - lastPrune > 3_600_000) {
      lastPrune = now;
      repo.pruneOutbox(now - OUTBOX_RETENTION_MS);
    }
    const noData = noDataAnchor(now);
    apply(noData ? { kind: 'tick', noData } : { kind: 'tick' });
    repo.tx(() => dispatcher.escalate([...open.values()], now));
    dispatcher.flush(now, alertById);
    if (!shutdown.signal.aborted) await dispatcher.deliver(now, shutdown.signal);
  }

  return {
    statuses(): DeviceStatus[] {
      return inventory.devices.map((d) => {
        const m = state.devices.get(d.id);
        if (!m) return { deviceId: d.id, state: 'UNKNOWN', since: startedAt };
        return deviceStatus(d, m);
      });
    },
    listAlerts(filter: AlertFilter = {}): Alert[] {
      const onlyActive = filter.status !== undefined && !filter.status.includes('resolved');
      const pool = onlyActive ? [...open.values()] : repo.recentAlerts(Math.max(filter.limit ?? 0, 2000));
      return filterAlerts(pool, filter, routedGroups);
    },
    getAlert: alertById,
    acknowledge(id, by, comment, publicMessage) {
      const cur = alertById(id);
      if (!cur) throw new PantauError('PANTAU_NOT_FOUND', `alert ${id} not found`);
      if (cur.status === 'resolved') throw new PantauError('PANTAU_ALERT_RESOLVED', `alert ${id} is already resolved`);
      const now = clock.now();
      // A later ack adds to the record instead of replacing who handled it first (issue 13).
      const entry: AckEntry = {
        by,
        at: now,
        ...(comment ? { comment } : {}),
        ...(publicMessage ? { publicMessage } : {}),
      };
      const a: Alert = {
        ...cur,
        status: 'acknowledged',
        acknowledgedAt: cur.acknowledgedAt ?? now,
        acknowledgedBy: cur.acknowledgedBy ?? by,
        acks: [...acksOf(cur), entry],
        updatedAt: now,
        ...(comment ? { ackComment: comment } : {}),
        // A later ack without a public message keeps the one the public already reads.
        ...(publicMessage ? { publicMessage } : {}),
      };
      repo.tx(() => {
        repo.updateAlert(a);
        const detail = { ...(comment ? { comment } : {}), ...(publicMessage ? { publicMessage } : {}) };
        repo.history(a.id, now, 'acknowledged', by, Object.keys(detail).length > 0 ? detail : undefined);
      });
      open.set(a.key, a);
      bus.publish('alert.changed', a);
      return a;
    },
    routedGroups,
    listMaintenance: () => repo.maintenance(),
    addMaintenance(input: MaintenanceInput): MaintenanceWindow {
      if (!inventory.byId.has(input.deviceId))
        throw new PantauError('PANTAU_INVALID_INPUT', `unknown device ${input.deviceId}`);
      if (!(input.endsAt > input.startsAt))
        throw new PantauError('PANTAU_INVALID_INPUT', 'endsAt must be after startsAt');
      const w: MaintenanceWindow = { ...input, id: `M-${randomUUID().slice(0, 8)}` };
      repo.addMaintenance(w, clock.now());
      safeApply({ kind: 'maintenance', windows: repo.maintenance() });
      return w;
    },
    removeMaintenance(id) {
      const removed = repo.removeMaintenance(id);
      if (removed) safeApply({ kind: 'maintenance', windows: repo.maintenance() });
      return removed;
    },
    history: (alertId) =>
      repo.historyOf(alertId).map((h) => ({ ...h, detail: h.detail ? (JSON.parse(h.detail) as unknown) : null })),
    outboxCounts: () => repo.outboxCounts(),
    updateInventory(inv) {
      inventory = inv;
      engine = buildEngine(inv);
      dispatcher = buildDispatcher(inv);
      safeApply({ kind: 'inventory' });
    },
    holdNoData() {
      stopping = true;
    },
    start() {
      if (timer) return;
      unsubscribe = [
        bus.subscribe('probe.result', (r) => safeApply({ kind: 'probe', result: r })),
        bus.subscribe('pantau.health', (h) => safeApply({ kind: 'health', health: h })),
      ];
      // A slow delivery (timeouts) must not pile up ticks behind it: skip while one runs.
      timer = setInterval(() => {
        if (!busy) void this.tick();
      }, cfg.tickS * 1000);
      timer.unref();
    },
    async stop() {
      for (const u of unsubscribe) u();
      unsubscribe = [];
      if (timer) clearInterval(timer);
      timer = undefined;
      shutdown.abort();
      await ticking;
      await transports.close?.();
    },
    tick() {
      busy = true;
      ticking = ticking
        .then(runTick)
        .catch((err: unknown) => {
          log.error({ err }, 'alerting tick failed');
        })
        .finally(() => {
          busy = false;
        });
      return ticking;
    },
  };
}
