/**
 * Shared by alerting's unit and integration tests: inventory, devices, the engine with the tests'
 * settings and a driver on injected time, probe result builders, seeded noise.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../core/config/load.js';
import { alertingSection, type AlertingConfig } from '../../../core/config/sections/alerting.js';
import type { Inventory } from '../../../core/inventory/topology.js';
import { deviceSchema, type Device } from '../../../core/inventory/schema.js';
import { createEngine, type Engine } from '../../../alerting/engine/engine.js';
import type { Effect, EngineContext, EngineEvent, EngineState } from '../../../alerting/engine/types.js';
import type { EventBus } from '../../../core/bus.js';
import type {
  IcmpResult,
  OnvifResult,
  ProbeResult,
  SnmpResult,
  TrapResult,
  ProfileMetric,
} from '../../../core/types.js';
import type { HttpResult } from '../../../collector/probes/http/index.js';
import { reachabilityKind } from '../../../core/reachability.js';

let oku: Inventory | undefined;
/** The real OKU inventory (239 devices: 227 network + 12 public applications) from config/pantau.yaml. */
export function okuInventory(): Inventory {
  oku ??= loadConfig(fileURLToPath(new URL('../../../config/pantau.yaml', import.meta.url)), {}).inventory;
  return oku;
}

/**
 * A network device in Lengkiti under `parent`: pinged, and polled over SNMP (uplink ifIndex 1) or, a
 * camera, over ONVIF. `extra` sets any other inventory field (tags, …).
 */
export function device(
  id: string,
  parent: string | null,
  type: Device['type'],
  role: Device['role'],
  extra: Record<string, unknown> = {},
): Device {
  return deviceSchema.parse({
    id,
    name: `Perangkat ${id}`,
    type,
    role,
    kecamatan: 'Lengkiti',
    lat: -4.1,
    lon: 104.1,
    address: '127.20.0.1',
    parent,
    probes: {
      icmp: {},
      ...(type === 'cctv' ? { onvif: { credentials: 'cctv' } } : { snmp: { credentials: 'x', uplinkIfIndex: 1 } }),
    },
    ...extra,
  });
}

/** The pure engine as the engine tests run it: no rules unless given, flapping at 6 flips in 10 min, DOWN after 3, UP after 2. */
export function testEngine(
  inventory: Inventory,
  opts: { degradedAfter: number; rules?: EngineContext['rules'] },
): Engine {
  return createEngine({
    inventory,
    rules: opts.rules ?? [],
    degradedAfter: opts.degradedAfter,
    flapping: { threshold: 6, windowMs: 600_000, quietMs: 300_000 },
    thresholds: () => ({ downAfter: 3, upAfter: 2 }),
  });
}

export const probe = (r: ProbeResult): EngineEvent => ({ kind: 'probe', result: r });

/** Drives `engine` on injected time (every step at an explicit ms), keeping its state and every effect. */
export function engineWorld(engine: Engine) {
  let state: EngineState = engine.initialState();
  const effects: Effect[] = [];
  const at = (t: number, e: EngineEvent): Effect[] => {
    const out = engine.step(state, e, t);
    state = out.state;
    effects.push(...out.effects);
    return out.effects;
  };
  return {
    at,
    ping: (t: number, id: string, ok: boolean) => at(t, probe(icmp(id, t, ok ? 3 : 0))),
    snmp: (t: number, id: string, ok: boolean) => at(t, probe(snmp(id, t, ok))),
    onvif: (t: number, id: string, ok: boolean) => at(t, probe(onvif(id, t, ok))),
    get state() {
      return state;
    },
    effects,
    eff: (id: string) => state.devices.get(id)?.effective,
    raised: () => effects.filter((e): e is Extract<Effect, { kind: 'raise' }> => e.kind === 'raise'),
    resolved: () => effects.filter((e): e is Extract<Effect, { kind: 'resolve' }> => e.kind === 'resolve'),
  };
}

export function alertingConfig(input: Record<string, unknown> = {}): AlertingConfig {
  return alertingSection.parse(input);
}

/** A 3-ping ICMP result like the collector's: `received` of `sent` answered. */
export function icmp(deviceId: string, ts: number, received: number, sent = 3, rttMs = 2): IcmpResult {
  const ok = received > 0;
  return {
    kind: 'icmp',
    deviceId,
    ts,
    durationMs: 40,
    ok,
    sent,
    received,
    lossPct: Math.round(((sent - received) / sent) * 1000) / 10,
    rttMinMs: ok ? rttMs * 0.8 : null,
    rttAvgMs: ok ? rttMs : null,
    rttMaxMs: ok ? rttMs * 1.3 : null,
    jitterMs: ok ? 0.2 : null,
    ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'no reply' } }),
  };
}

/** An HTTP check result of a service: answered 200 in `totalMs`, or timed out. */
export function http(deviceId: string, ts: number, ok: boolean, totalMs = 120): HttpResult {
  return {
    kind: 'http',
    deviceId,
    ts,
    durationMs: ok ? totalMs : 10_000,
    ok,
    ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'timeout' } }),
    url: `https://${deviceId}.okukab.go.id/`,
    status: ok ? 200 : null,
    bytes: ok ? 300 : null,
    redirects: 0,
    dnsMs: null,
    connectMs: ok ? 1 : null,
    tlsMs: ok ? 4 : null,
    ttfbMs: ok ? totalMs - 2 : null,
    totalMs: ok ? totalMs : null,
  };
}

export function snmp(
  deviceId: string,
  ts: number,
  ok: boolean,
  extra: { metrics?: ProfileMetric[]; rebooted?: boolean; uplinkOperUp?: boolean } = {},
): SnmpResult {
  return {
    kind: 'snmp',
    deviceId,
    ts,
    durationMs: 80,
    ok,
    ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'timeout' } }),
    sysUpTimeS: ok ? 1000 : null,
    sysName: ok ? deviceId : null,
    sysDescr: null,
    rebooted: extra.rebooted ?? false,
    interfaces: ok
      ? [
          {
            ifIndex: 1,
            ifName: 'ether1',
            adminUp: true,
            operUp: extra.uplinkOperUp ?? true,
            speedBps: 1e9,
            inBps: 1000,
            outBps: 1000,
            inErrors: 0,
            outErrors: 0,
            inDiscards: 0,
            outDiscards: 0,
            isUplink: true,
          },
        ]
      : [],
    metrics: ok ? (extra.metrics ?? []) : [],
  };
}

/** `reachable`: the ONVIF service answers. The check as a whole fails, like the collector's, on a bad snapshot or > 5 s drift. */
export function onvif(
  deviceId: string,
  ts: number,
  reachable: boolean,
  extra: { snapshotOk?: boolean; driftS?: number } = {},
): OnvifResult {
  const drift = extra.driftS ?? 0.5;
  const error = !reachable
    ? { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'timeout' }
    : extra.snapshotOk === false
      ? { code: 'PANTAU_PROBE_SNAPSHOT' as const, message: 'HTTP 500' }
      : Math.abs(drift) > 5
        ? { code: 'PANTAU_PROBE_CLOCK_DRIFT' as const, message: 'drift' }
        : undefined;
  return {
    kind: 'onvif',
    deviceId,
    ts,
    durationMs: 200,
    ok: !error,
    ...(error ? { error } : {}),
    reachable,
    authenticated: reachable,
    clockDriftS: reachable ? drift : null,
    info: null,
    mismatches: [],
    snapshot: reachable ? { ok: extra.snapshotOk ?? true, status: 200, bytes: 1000, latencyMs: 50 } : null,
    rtsp: reachable ? { ok: true, status: 200, sdp: true, latencyMs: 30 } : null,
  };
}

export function trap(deviceId: string, ts: number, name: 'linkDown' | 'linkUp', ifIndex = 1): TrapResult {
  return {
    kind: 'trap',
    deviceId,
    ts,
    durationMs: 0,
    ok: true,
    trap: name,
    trapOid: '1.3.6.1.6.3.1.1.5.3',
    source: '127.0.0.1',
    ifIndex,
  };
}

/** mulberry32: a tiny seeded PRNG so "random" loss is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Drives an alerting service like the collector would: every `intervalMs` one ICMP result per
 * device, deepest devices first (the hard order for root cause), then the service's timers.
 */
export interface WorldDeps {
  inventory: Inventory;
  bus: EventBus;
  clock: { now(): number; advance(ms: number): void };
  alerting: { tick(): Promise<void> };
  /** Per-ping loss probability for a device (default 0). */
  lossOf?: (id: string) => number;
  rng?: () => number;
  intervalMs?: number;
}

export function createWorld(deps: WorldDeps) {
  const down = new Set<string>();
  const order = [...deps.inventory.devices].sort((a, b) => deps.inventory.depthOf(b.id) - deps.inventory.depthOf(a.id));
  const rng = deps.rng ?? Math.random;
  const interval = deps.intervalMs ?? 10_000;
  let pingsSent = 0;
  let pingsLost = 0;
  return {
    down,
    stats: () => ({ pingsSent, pingsLost }),
    /** Takes a device and its whole subtree off the air (a fiber cut). */
    cut(id: string) {
      down.add(id);
      for (const d of deps.inventory.descendants(id)) down.add(d.id);
    },
    repair(id: string) {
      down.delete(id);
      for (const d of deps.inventory.descendants(id)) down.delete(d.id);
    },
    async cycle(only?: ReadonlySet<string>) {
      const now = deps.clock.now();
      for (const d of order) {
        if (only && !only.has(d.id)) continue;
        // A public application (type service) is reached via its HTTP check, not ping (ADR 0701).
        if (reachabilityKind(d) === 'http') {
          deps.bus.publish('probe.result', http(d.id, now, !down.has(d.id)));
          continue;
        }
        let received = 0;
        if (!down.has(d.id)) {
          const p = deps.lossOf?.(d.id) ?? 0;
          for (let i = 0; i < 3; i++) if (p === 0 || rng() >= p) received++;
        }
        pingsSent += 3;
        pingsLost += 3 - received;
        deps.bus.publish('probe.result', icmp(d.id, now, received));
      }
      await deps.bus.drain();
      await deps.alerting.tick();
      deps.clock.advance(interval);
    },
    async run(ms: number, only?: ReadonlySet<string>) {
      for (let t = 0; t < ms; t += interval) await this.cycle(only);
    },
  };
}
