import type { Inventory } from '../../core/inventory/topology.js';
import type { MaintenanceWindow } from '../../core/services.js';
import type { Device, DeviceState } from '../../core/types.js';
import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';
import { coveringWindow } from '../maintenance.js';
import type { DeviceMachine } from './types.js';

/** How long children of a recovered device wait for their own fresh result before alerting. */
export const RECOVERY_GRACE_MS = 120_000;
/**
 * How long a DOWN device waits for ancestors whose last result predates its failure (the collector
 * re-probes them at once, ADR 0205) before it is alerted on its own.
 */
export const UPSTREAM_VERIFY_MS = 10_000;

export interface Effective {
  state: DeviceState;
  reason?: string;
  rootCauseId?: string;
}

/*
 * Effective state = observed state after maintenance and topology (root cause).
 *
 *   condition (first that holds wins)                                           → effective
 *   an active window on the device, or a subtree window on an ancestor          → MAINTENANCE
 *   no result of its reachability probe for too long (no-data.ts)               → UNKNOWN (no_data)
 *   an ancestor is DOWN and this device is failing too (DOWN, UNKNOWN or ≥1 fail),
 *     or its last success is older than that ancestor's failure (stale evidence)   → UNREACHABLE (root cause: the topmost DOWN ancestor)
 *   this device is DOWN and an ancestor's last probe failed (not yet DOWN)       → UNREACHABLE (root cause pending: the ancestor decides)
 *   this device is DOWN, an ancestor's last result predates this failure, and
 *     the failure is younger than UPSTREAM_VERIFY_MS                             → UNREACHABLE (upstream_unverified: wait for its fresh result)
 *   this device is DOWN, an ancestor recovered less than RECOVERY_GRACE_MS ago,
 *     and no result from this device since, or it is answering again           → UNREACHABLE (upstream_recovering)
 *   otherwise                                                                   → observed
 *
 * The third line is why a fiber cut gives one alert: children probed a few seconds before their
 * parent reach `downAfter` first, but the parent is already failing, so they wait for it.
 */
export function effectiveOf(
  device: Device,
  machines: { get(id: string): DeviceMachine | undefined },
  windows: readonly MaintenanceWindow[],
  inventory: Inventory,
  now: number,
): Effective {
  if (coveringWindow(device.id, windows, inventory, now)) return { state: 'MAINTENANCE', reason: 'maintenance' };
  const m = machines.get(device.id);
  if (!m) return { state: 'UNKNOWN' };
  // No result for too long (ADR 0406): nothing says what it is now, least of all its last state.
  if (m.noDataSince !== undefined) return { state: 'UNKNOWN', reason: 'no_data' };
  const fromRoot = inventory.ancestors(device.id).reverse();
  const failing = m.observed === 'DOWN' || m.observed === 'UNKNOWN' || m.fail > 0;
  const down = fromRoot.find((a) => machines.get(a.id)?.observed === 'DOWN');
  if (down && (failing || staleAgainst(m, machines.get(down.id)!)))
    return { state: 'UNREACHABLE', reason: 'upstream_down', rootCauseId: down.id };
  if (m.observed === 'DOWN') {
    const suspect = fromRoot.find((a) => (machines.get(a.id)?.fail ?? 0) > 0);
    if (suspect) return { state: 'UNREACHABLE', reason: 'upstream_suspect', rootCauseId: suspect.id };
    const failSince = m.failSince;
    // A linkDown trap from the device itself is first-hand evidence: no waiting for upstream.
    if (failSince !== undefined && !m.trapDown && now - failSince < UPSTREAM_VERIFY_MS) {
      const unverified = fromRoot.find((a) => {
        const at = machines.get(a.id)?.lastReachAt;
        return at !== undefined && at < failSince;
      });
      if (unverified) return { state: 'UNREACHABLE', reason: 'upstream_unverified', rootCauseId: unverified.id };
    }
    const recovering = fromRoot.find((a) => {
      const r = machines.get(a.id)?.recoveredAt;
      return r !== undefined && now - r < RECOVERY_GRACE_MS && ((m.lastReachAt ?? 0) <= r || m.fail === 0);
    });
    if (recovering) return { state: 'UNREACHABLE', reason: 'upstream_recovering', rootCauseId: recovering.id };
  }
  return m.reason ? { state: m.observed, reason: m.reason } : { state: m.observed };
}

/** This device's last success came before `ancestor` started failing: it says nothing about now. */
export function staleAgainst(m: DeviceMachine, ancestor: DeviceMachine): boolean {
  return ancestor.failSince !== undefined && (m.lastOkAt ?? -Infinity) <= ancestor.failSince;
}

/** An ancestor is failing (not yet DOWN) since after this device's last success: its own alerts wait. */
export function heldByUpstream(
  device: Device,
  machines: { get(id: string): DeviceMachine | undefined },
  inventory: Inventory,
): boolean {
  const m = machines.get(device.id);
  if (!m) return false;
  return inventory.ancestors(device.id).some((a) => {
    const am = machines.get(a.id);
    return am !== undefined && (am.fail > 0 || am.observed === 'DOWN') && staleAgainst(m, am);
  });
}

/**
 * What a DOWN device takes down: every descendant, with counts per type for the message, and the
 * names of the public services among them (a core's cut names "SIP, E-office, …", issue 14).
 */
export function affectedBy(
  device: Device,
  inventory: Inventory,
): { ids: string[]; counts: Record<string, number>; services: string[] } {
  const ds = inventory.descendants(device.id);
  const counts: Record<string, number> = {};
  for (const t of DEVICE_TYPES) counts[t] = 0;
  for (const d of ds) counts[d.type] = (counts[d.type] ?? 0) + 1;
  // Only a cut that takes services down mentions them (older alerts' params stay as they were).
  if (counts['service'] === 0) delete counts['service'];
  return { ids: ds.map((d) => d.id), counts, services: ds.filter((d) => d.type === 'service').map((d) => d.name) };
}
