import type { Device, DeviceProbeError, DeviceState, DeviceStatus, Severity } from '../../core/types.js';
import type { MaintenanceWindow } from '../../core/services.js';
import { samplesOf } from '../rules/samples.js';
import { addToHistory, evaluateSample, instanceKey, rulesFor, withinOpeningHours } from '../rules/evaluate.js';
import type { HistoryBucket, RuleInstance } from '../rules/types.js';
import { PMap } from './pmap.js';
import { initialMachine, observe, quietCheck, standingProbeError } from './device.js';
import { affectedBy, effectiveOf, heldByUpstream } from './topology.js';
import { silenceCheck, silentZones } from './no-data.js';

/** DEGRADED reasons that raise a device_degraded alert, with the probe whose error explains them. */
const DEGRADED_ALERTS: ReadonlyMap<string, 'snmp' | 'onvif' | 'http' | 'tls' | 'dns' | 'tcp'> = new Map([
  ['snmp_failing', 'snmp'],
  ['onvif_failing', 'onvif'],
  ['http_slow', 'http'],
  ['http_failing', 'http'],
  ['tls_failing', 'tls'],
  ['dns_failing', 'dns'],
  ['tcp_failing', 'tcp'],
] as const);
import type {
  DeviceMachine,
  Effect,
  EngineContext,
  EngineEvent,
  EngineState,
  NoDataContext,
  OpenAlertRef,
  StepOutput,
} from './types.js';

/*
 * The alert engine: step(state, event, now) → { state, effects }. Pure: no I/O, no clock, the
 * input state is never mutated. The shell (alerting.ts) persists and publishes the effects.
 *
 * Events: probe (a ProbeResult), tick (timers), maintenance (the window list changed), health,
 * inventory (devices were added or removed).
 *
 * Alerts the engine keeps (key → open while …):
 *   device_down:<id>      raise: effective DOWN and not flapping        resolve: observed UP or DEGRADED again
 *   device_degraded:<id>  raise: effective DEGRADED (SNMP/ONVIF failing), ping answering, no failing
 *                         ancestor newer than its last success          resolve: observed no longer DEGRADED for that reason
 *   either of the two, once the device turns out to be UNREACHABLE below a DOWN ancestor:
 *                         resolve 'folded' into the ancestor's device_down (no recovery notice)
 *   flapping:<id>         raise: flapping, not UNREACHABLE/MAINTENANCE   resolve: quiet period over
 *   rule:<rule>:<id>[:l]  threshold rules (rules/evaluate.ts); raise only while UP/DEGRADED
 *   pantau:<component>:<code>  pantau.health degraded → raise; ok → resolve
 *   no_data:<zone>        raise: a device of the zone has had no data too long (no-data.ts), not in maintenance
 *                         update: the count changes                   resolve: none of them silent any more
 * Every raised key is resolved by an explicit resolve effect, never dropped silently.
 */

const ALERTABLE: ReadonlySet<DeviceState> = new Set(['UP', 'DEGRADED']);

/** What the page is pushed for one device (also the snapshot's statuses). */
export function deviceStatus(device: Device, m: DeviceMachine): DeviceStatus {
  const pe = standingProbeError(m, device);
  return {
    deviceId: device.id,
    state: m.effective,
    since: m.since,
    ...(m.effReason ? { reason: m.effReason } : {}),
    ...(m.rootCauseId ? { rootCauseId: m.rootCauseId } : {}),
    ...(pe ? { probeError: pe } : {}),
    ...(m.effReason === 'no_data' && m.noDataSince !== undefined ? { noDataSince: m.noDataSince } : {}),
  };
}

const sameProbeError = (a: DeviceProbeError | undefined, b: DeviceProbeError | undefined): boolean =>
  a === b || (!!a && !!b && a.kind === b.kind && a.code === b.code && a.since === b.since && a.hint === b.hint);

export interface Engine {
  initialState(): EngineState;
  /** Rebuilds state after a restart from persisted machines and open alerts. */
  restore(
    devices: Record<string, DeviceMachine>,
    open: Record<string, OpenAlertRef>,
    maintenance: readonly MaintenanceWindow[],
    now: number,
  ): EngineState;
  step(state: EngineState, event: EngineEvent, now: number): StepOutput;
}

/** The state being built by one step; every write makes a new persistent map, the input stays untouched. */
class Draft {
  devices: PMap<DeviceMachine>;
  open: PMap<OpenAlertRef>;
  rules: PMap<RuleInstance>;
  history: PMap<readonly HistoryBucket[]>;
  maintenance: readonly MaintenanceWindow[];
  readonly touched = new Set<string>();
  constructor(s: EngineState) {
    this.devices = s.devices;
    this.open = s.open;
    this.rules = s.rules;
    this.history = s.history;
    this.maintenance = s.maintenance;
  }
  setDevice(id: string, m: DeviceMachine) {
    this.devices = this.devices.set(id, m);
    this.touched.add(id);
  }
  state(): EngineState {
    return {
      devices: this.devices,
      open: this.open,
      rules: this.rules,
      history: this.history,
      maintenance: this.maintenance,
    };
  }
}

export function createEngine(ctx: EngineContext): Engine {
  const inv = ctx.inventory;
  const dropMetrics = new Set(ctx.rules.filter((r) => r.drop).map((r) => r.metric));
  const maxDropMs = Math.max(0, ...ctx.rules.map((r) => r.drop?.withinMs ?? 0));

  // A public application that is down is critical: citizens are turned away (issue 14).
  const deviceSeverity = (d: Device, affected: number): Severity =>
    affected > 0 || d.role === 'core' || d.role === 'distribution' || d.type === 'service' ? 'critical' : 'warning';

  function raise(dr: Draft, fx: Effect[], e: Omit<Extract<Effect, { kind: 'raise' }>, 'kind'>) {
    if (dr.open.get(e.key)) return;
    dr.open = dr.open.set(e.key, { rule: e.rule, deviceId: e.deviceId, severity: e.severity });
    fx.push({ kind: 'raise', ...e });
  }
  function resolve(dr: Draft, fx: Effect[], key: string, at: number, reason: string, into?: string) {
    if (!dr.open.get(key)) return;
    dr.open = dr.open.delete(key);
    fx.push({ kind: 'resolve', key, at, reason, ...(into ? { into } : {}) });
  }

  /**
   * Recomputes effective state of `ids`, emits state changes, then the device alerts.
   * `detail`: devices whose standing probe error changed; the page hears of it even when the state did not.
   */
  function settle(dr: Draft, fx: Effect[], ids: Iterable<string>, now: number, detail?: ReadonlySet<string>) {
    for (const id of ids) {
      const d = inv.byId.get(id);
      const m = dr.devices.get(id);
      if (!d || !m) continue;
      const eff = effectiveOf(d, dr.devices, dr.maintenance, inv, now);
      if (eff.state !== m.effective || eff.reason !== m.effReason || eff.rootCauseId !== m.rootCauseId) {
        const next: DeviceMachine = { ...m, effective: eff.state, since: eff.state !== m.effective ? now : m.since };
        if (eff.reason) next.effReason = eff.reason;
        else delete next.effReason;
        if (eff.rootCauseId) next.rootCauseId = eff.rootCauseId;
        else delete next.rootCauseId;
        dr.setDevice(id, next);
        // A reason-only change (upstream_suspect → upstream_down) is not news for the page.
        if (eff.state === m.effective && eff.rootCauseId === m.rootCauseId && !detail?.has(id)) {
          deviceAlerts(dr, fx, d, now);
          continue;
        }
        fx.push({
          kind: 'state',
          change: { deviceId: id, from: m.effective, to: eff.state, at: now, status: deviceStatus(d, next) },
        });
      } else if (detail?.has(id)) {
        fx.push({
          kind: 'state',
          change: { deviceId: id, from: m.effective, to: m.effective, at: now, status: deviceStatus(d, m) },
        });
      }
      deviceAlerts(dr, fx, d, now);
    }
  }

  function deviceAlerts(dr: Draft, fx: Effect[], d: Device, now: number) {
    const m = dr.devices.get(d.id)!;
    const base = { deviceId: d.id, at: now };
    const downKey = `device_down:${d.id}`;
    const degKey = `device_degraded:${d.id}`;
    // Below a DOWN ancestor after all: its own alerts become part of the ancestor's (one cut, one alert).
    if (m.effective === 'UNREACHABLE' && m.effReason === 'upstream_down' && m.rootCauseId) {
      const into = `device_down:${m.rootCauseId}`;
      resolve(dr, fx, downKey, now, 'folded', into);
      resolve(dr, fx, degKey, now, 'folded', into);
    }
    if (m.effective === 'DOWN' && !m.flapping) {
      const a = affectedBy(d, inv);
      // A failing application says why (its reachability check's code); a cut names the services it takes down.
      const own = d.type === 'service' ? standingProbeError(m, d) : undefined;
      raise(dr, fx, {
        ...base,
        key: downKey,
        rule: 'device_down',
        severity: deviceSeverity(d, a.ids.length),
        messageKey: 'alert.device_down',
        params: {
          device: d.name,
          deviceId: d.id,
          count: a.ids.length,
          ...a.counts,
          ...(m.reason ? { reason: m.reason } : {}),
          ...(a.services.length ? { services: a.services.join(', ') } : {}),
          ...(own ? { code: own.code } : {}),
        },
        affected: a.ids,
      });
    } else if (m.observed === 'UP' || m.observed === 'DEGRADED') resolve(dr, fx, downKey, now, 'recovered');

    const degradedFor = m.observed === 'DEGRADED' && m.reason !== undefined && DEGRADED_ALERTS.has(m.reason);
    // "Ping fine but SNMP silent" needs ping to be fine now, and newer than any failure upstream.
    if (degradedFor && m.effective === 'DEGRADED' && m.fail === 0 && !heldByUpstream(d, dr.devices, inv)) {
      const kind = DEGRADED_ALERTS.get(m.reason!)!;
      const err = m.probeErrors?.[kind];
      const service = d.type === 'service' || (kind !== 'snmp' && kind !== 'onvif');
      raise(dr, fx, {
        ...base,
        key: degKey,
        rule: 'device_degraded',
        severity: 'warning',
        messageKey: service ? 'alert.service_degraded' : `alert.${m.reason}`,
        params: { device: d.name, deviceId: d.id, ...(service ? { kind } : {}), ...(err ? { code: err.code } : {}) },
        affected: [],
      });
    } else if (!degradedFor) resolve(dr, fx, degKey, now, 'recovered');

    const flapKey = `flapping:${d.id}`;
    if (m.flapping && m.effective !== 'UNREACHABLE' && m.effective !== 'MAINTENANCE' && m.effReason !== 'no_data') {
      raise(dr, fx, {
        ...base,
        key: flapKey,
        rule: 'flapping',
        severity: 'warning',
        messageKey: 'alert.flapping',
        params: {
          device: d.name,
          deviceId: d.id,
          flips: m.flips.length,
          windowMin: Math.round(ctx.flapping.windowMs / 60_000),
        },
        affected: [],
      });
    } else if (!m.flapping) resolve(dr, fx, flapKey, now, 'quiet');
  }

  function onRules(dr: Draft, fx: Effect[], d: Device, samples: ReturnType<typeof samplesOf>, now: number) {
    const alertable = ALERTABLE.has(dr.devices.get(d.id)?.effective ?? 'UNKNOWN');
    for (const s of samples) {
      const hKey = `${d.id}|${s.metric}|${s.labels}`;
      const history = dr.history.get(hKey);
      for (const rule of rulesFor(ctx.rules, d, s.metric)) {
        const key = instanceKey(rule.name, d.id, s.labels);
        const dec = evaluateSample(rule, d, dr.rules.get(key), s, history, now, alertable);
        dr.rules = dr.rules.set(key, dec.instance);
        const params = {
          device: d.name,
          deviceId: d.id,
          value: Math.round(s.value * 100) / 100,
          threshold: dec.threshold ?? '',
          ...(s.labels ? { labels: s.labels } : {}),
        };
        if (dec.action === 'raise')
          raise(dr, fx, {
            key,
            rule: rule.name,
            deviceId: d.id,
            severity: dec.instance.severity!,
            messageKey: `rule.${rule.name}`,
            params,
            affected: [],
            at: now,
          });
        else if (dec.action === 'update' && dr.open.get(key)) {
          dr.open = dr.open.set(key, { ...dr.open.get(key)!, severity: dec.instance.severity! });
          fx.push({ kind: 'update', key, severity: dec.instance.severity!, params, at: now });
        } else if (dec.action === 'resolve') resolve(dr, fx, key, now, 'condition_cleared');
      }
      if (dropMetrics.has(s.metric)) dr.history = dr.history.set(hKey, addToHistory(history, now, s.value, maxDropMs));
    }
  }

  function onTick(dr: Draft, fx: Effect[], now: number, noDataFrom: number | undefined) {
    const nd = noDataFrom === undefined ? undefined : ctx.noData;
    // Devices whose no-data flag changed: the page hears of it even when the state word stays UNKNOWN.
    const silenced = new Set<string>();
    for (const d of inv.devices) {
      const m = dr.devices.get(d.id);
      if (!m) {
        // Never heard of since the start (its zone has no collector): no data as well, once past the grace.
        if (!nd) continue;
        const s = silenceCheck(initialMachine(noDataFrom!), d, nd, noDataFrom!, now);
        if (s.noDataSince === undefined) continue;
        dr.setDevice(d.id, s);
        silenced.add(d.id);
        continue;
      }
      let q = quietCheck(m, d, ctx, now);
      if (nd) q = silenceCheck(q, d, nd, noDataFrom!, now);
      if (q.noDataSince !== m.noDataSince) silenced.add(d.id);
      if (q !== m) dr.setDevice(d.id, q);
    }
    settle(
      dr,
      fx,
      inv.devices.map((d) => d.id),
      now,
      silenced,
    );
    if (ctx.noData) zoneAlerts(dr, fx, ctx.noData, now);
    // Rules bound to opening hours end when the hours do, even without a new sample.
    for (const [key, inst] of dr.rules.entries()) {
      if (!inst.firing) continue;
      const rule = ctx.rules.find((r) => r.name === inst.rule);
      const d = inv.byId.get(inst.deviceId);
      if (rule?.during === 'openingHours' && d && !withinOpeningHours(d.openingHours, now)) {
        dr.rules = dr.rules.set(key, { ...inst, firing: false });
        resolve(dr, fx, key, now, 'outside_hours');
      }
    }
  }

  /** One warning per zone with silent devices (ADR 0406): the cause is pantau's own path, not each device. */
  function zoneAlerts(dr: Draft, fx: Effect[], nd: NoDataContext, now: number) {
    const zones = silentZones(inv.devices, (id) => dr.devices.get(id), nd);
    for (const [zone, z] of zones) {
      const key = `no_data:${zone}`;
      const params = { zone, count: z.count, since: nd.timeText(z.since), sinceMs: z.since };
      const cur = dr.open.get(key);
      if (!cur) {
        raise(dr, fx, {
          key,
          rule: 'no_data',
          deviceId: 'pantau',
          severity: 'warning',
          messageKey: 'alert.no_data',
          params,
          affected: [],
          at: now,
        });
        dr.open = dr.open.set(key, { ...dr.open.get(key)!, count: z.count });
      } else if (cur.count !== z.count) {
        dr.open = dr.open.set(key, { ...cur, count: z.count });
        fx.push({ kind: 'update', key, severity: cur.severity, params, at: now });
      }
    }
    for (const [key, ref] of dr.open.entries())
      if (ref.rule === 'no_data' && !zones.has(key.slice('no_data:'.length))) resolve(dr, fx, key, now, 'recovered');
  }

  return {
    initialState() {
      return { devices: PMap.empty(), maintenance: [], open: PMap.empty(), rules: PMap.empty(), history: PMap.empty() };
    },
    restore(devices, open, maintenance, now) {
      let rules = PMap.empty<RuleInstance>();
      for (const [key, ref] of Object.entries(open)) {
        if (!key.startsWith('rule:')) continue;
        const labels = key.split(':').slice(3).join(':');
        rules = rules.set(key, {
          rule: ref.rule,
          deviceId: ref.deviceId,
          labels,
          firing: true,
          severity: ref.severity,
          lastTs: now,
        });
      }
      return {
        devices: PMap.from(Object.entries(devices)),
        open: PMap.from(Object.entries(open)),
        maintenance,
        rules,
        history: PMap.empty(),
      };
    },
    step(state, event, now) {
      const dr = new Draft(state);
      const fx: Effect[] = [];
      switch (event.kind) {
        case 'probe': {
          const d = inv.byId.get(event.result.deviceId);
          if (!d) break;
          const prev = dr.devices.get(d.id) ?? initialMachine(now);
          const next = observe(prev, event.result, d, ctx, now);
          dr.setDevice(d.id, next);
          // A change in "is it failing" can change every descendant's effective state.
          const topo =
            prev.observed !== next.observed ||
            prev.fail > 0 !== next.fail > 0 ||
            prev.flapping !== next.flapping ||
            !state.devices.get(d.id);
          const detail =
            sameProbeError(standingProbeError(prev, d), standingProbeError(next, d)) &&
            prev.noDataSince === next.noDataSince
              ? undefined
              : new Set([d.id]);
          // Descendants waiting for this device's fresh result (upstream_unverified) are decided now.
          const ids = topo
            ? [d.id, ...inv.descendants(d.id).map((x) => x.id)]
            : [
                d.id,
                ...inv
                  .descendants(d.id)
                  .filter((x) => dr.devices.get(x.id)?.effReason === 'upstream_unverified')
                  .map((x) => x.id),
              ];
          settle(dr, fx, ids, now, detail);
          onRules(dr, fx, d, samplesOf(event.result, d), now);
          break;
        }
        case 'tick':
          onTick(dr, fx, now, event.noData?.from);
          break;
        case 'maintenance':
          dr.maintenance = event.windows;
          settle(
            dr,
            fx,
            inv.devices.map((d) => d.id),
            now,
          );
          break;
        case 'inventory': {
          for (const [key, ref] of dr.open.entries()) {
            if (ref.deviceId !== 'pantau' && !inv.byId.has(ref.deviceId)) resolve(dr, fx, key, now, 'device_removed');
          }
          for (const id of [...dr.devices.keys()]) if (!inv.byId.has(id)) dr.devices = dr.devices.delete(id);
          for (const [key, inst] of dr.rules.entries())
            if (!inv.byId.has(inst.deviceId)) dr.rules = dr.rules.delete(key);
          settle(
            dr,
            fx,
            inv.devices.filter((d) => dr.devices.has(d.id)).map((d) => d.id),
            now,
          );
          break;
        }
        case 'health': {
          const h = event.health;
          const key = `pantau:${h.component}:${h.code}`;
          if (h.status === 'degraded') {
            raise(dr, fx, {
              key,
              rule: 'pantau_health',
              deviceId: 'pantau',
              severity: 'warning',
              messageKey: 'alert.pantau_health',
              params: { component: h.component, code: h.code, message: h.message },
              affected: [],
              at: now,
            });
          } else {
            for (const k of [...dr.open.keys()])
              if (k.startsWith(`pantau:${h.component}:`)) resolve(dr, fx, k, now, 'recovered');
          }
          break;
        }
      }
      return { state: dr.state(), effects: fx, touched: [...dr.touched] };
    },
  };
}
