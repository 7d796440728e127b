import type { Inventory } from '../../core/inventory/topology.js';
import type { PantauHealth } from '../../core/bus.js';
import type { MaintenanceWindow } from '../../core/services.js';
import type {
  Device,
  DeviceState,
  DeviceStateChange,
  ProbeErrorCode,
  ProbeResult,
  Severity,
} from '../../core/types.js';
import type { CompiledRule, RuleInstance, HistoryBucket } from '../rules/types.js';
import type { PMap } from './pmap.js';

/** What a device's own probes say, before topology and maintenance are applied. */
export type Observed = 'UP' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';

export interface DeviceMachine {
  observed: Observed;
  /** Why observed is what it is: icmp_loss, service_down, trap_link_down, snmp_failing, onvif_failing, camera_media_failing, http_slow, tls_failing, dns_failing, tcp_failing, http_failing, flapping. */
  reason?: string;
  /** Consecutive failed / successful reachability results (ICMP, or the first enabled probe). */
  fail: number;
  ok: number;
  snmpFail: number;
  /** ONVIF service not answering (unreachable, auth, no media profile). */
  onvifFail: number;
  /** ONVIF answers but the snapshot or RTSP stream fails (the threshold rules alert on these). */
  mediaFail?: number;
  /** A linkDown trap on the uplink port arrived and no linkUp or success since. */
  trapDown: boolean;
  lastReach: boolean | null;
  /** When the last reachability result arrived. */
  lastReachAt?: number;
  /** When the last SUCCESSFUL reachability result arrived: evidence older than an ancestor's failure proves nothing. */
  lastOkAt?: number;
  /** When the current reachability failure streak began (kept while DOWN). */
  failSince?: number;
  /** The standing failure of each polled probe (cleared by its next success): the page shows why before any alert. */
  probeErrors?: Partial<
    Record<
      'icmp' | 'snmp' | 'onvif' | 'http' | 'tls' | 'dns' | 'tcp',
      { code: ProbeErrorCode; since: number; count: number }
    >
  >;
  /**
   * Service checks (http, tls, dns, tcp) failing in a row while the reachability probe is fine, by
   * kind; `slow`: reachability answers slower than its limit (PANTAU_PROBE_HTTP_SLOW). ADR 0701.
   */
  checkFail?: Partial<Record<'http' | 'tls' | 'dns' | 'tcp' | 'slow', number>>;
  /** When observed last left DOWN: children wait for a fresh result after this. */
  recoveredAt?: number;
  /** Times (ms) of reachability flips inside the flapping window. */
  flips: number[];
  flapping: boolean;
  /**
   * No data (ADR 0406): set by a tick when no reachability result arrived for longer than the
   * device's no-data threshold; the instant of the last one (or of the watch's start). Cleared only
   * by the next reachability result. While set, the device is effective UNKNOWN ('no_data').
   */
  noDataSince?: number;
  /** After topology and maintenance. */
  effective: DeviceState;
  since: number;
  effReason?: string;
  rootCauseId?: string;
}

export interface OpenAlertRef {
  rule: string;
  deviceId: string;
  severity: Severity;
  /** no_data alerts: how many devices it counts (an update when that changes); not kept across restarts. */
  count?: number;
}

export interface EngineState {
  devices: PMap<DeviceMachine>;
  maintenance: readonly MaintenanceWindow[];
  /** Open (not resolved) alerts by dedup key. */
  open: PMap<OpenAlertRef>;
  rules: PMap<RuleInstance>;
  history: PMap<readonly HistoryBucket[]>;
}

export type EngineEvent =
  | { kind: 'probe'; result: ProbeResult }
  /**
   * Timers. `noData`: evaluate silence (ADR 0406), counting it from `from` at the earliest (the
   * shell's start, or the moment results could flow again); absent: not this tick (held or disabled).
   */
  | { kind: 'tick'; noData?: { from: number } }
  | { kind: 'maintenance'; windows: readonly MaintenanceWindow[] }
  | { kind: 'health'; health: PantauHealth }
  /** The engine was rebuilt with a new inventory: forget removed devices, resolve their alerts. */
  | { kind: 'inventory' };

export interface RaiseEffect {
  kind: 'raise';
  key: string;
  rule: string;
  deviceId: string;
  severity: Severity;
  messageKey: string;
  params: Record<string, string | number>;
  affected: string[];
  at: number;
}

export type Effect =
  | { kind: 'state'; change: DeviceStateChange }
  | RaiseEffect
  | { kind: 'update'; key: string; severity: Severity; params: Record<string, string | number>; at: number }
  /** `into`: the alert that now explains this one (reason 'folded'): resolved silently, no recovery notice. */
  | { kind: 'resolve'; key: string; at: number; reason: string; into?: string };

export interface EngineContext {
  inventory: Inventory;
  thresholds(device: Device): { downAfter: number; upAfter: number };
  degradedAfter: number;
  flapping: { threshold: number; windowMs: number; quietMs: number };
  rules: readonly CompiledRule[];
  /** The no-data rule (ADR 0406); absent: devices keep their last state when results stop. */
  noData?: NoDataContext;
}

export interface NoDataContext {
  /** How long a device may stay without a result of its reachability probe. */
  afterMs(device: Device): number;
  /** The device's zone (its collectors' zone, docs/scale.md): one no-data alert per zone. */
  zoneOf(deviceId: string): string;
  /** An instant as the operators read it, in the region's zone (e.g. `30/11/2026 21.40 WIB`). */
  timeText(ms: number): string;
}

export interface StepOutput {
  state: EngineState;
  effects: Effect[];
  /** Devices whose machine this step replaced (the shell persists the significant ones). */
  touched: string[];
}
