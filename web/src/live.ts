/**
 * The page's copy of the network, fed by the snapshot+delta protocol (core/realtime.ts).
 * Pure (no DOM), so the ordering rules are unit-tested: a snapshot replaces everything; a delta
 * with seq <= the current seq is ignored; a gap asks for a resync; alerts and statuses are keyed
 * by id and an older version never overwrites a newer one.
 */
import type { Alert, DeviceStatus, MetricSample } from '../../core/types.js';
import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';
import { SEVERITY_RANK } from '../../core/vocabulary/severities.js';
import type { Delta, DeviceView, SessionUser, Snapshot, UiConfig } from '../../core/realtime.js';

export interface ApplyResult {
  /** Device ids whose state changed. */
  devices: Set<string>;
  alerts: Alert[];
  /** Critical alerts that just opened (sound + blink). */
  newCritical: Alert[];
  metrics: MetricSample[];
  /** A seq was skipped: the caller should ask for a snapshot. */
  gap: boolean;
  /** The device list changed (added, removed or edited devices): redraw markers, lists, the drawer. */
  inventory: boolean;
}

export class LiveState {
  seq = -1;
  serverId = '';
  user: SessionUser | undefined;
  ui: UiConfig = { tileUrl: '', language: 'id', region: { name: '', shortName: '', timeZone: 'WIB', kecamatan: [] } };
  devices = new Map<string, DeviceView>();
  children = new Map<string, string[]>();
  statuses = new Map<string, DeviceStatus>();
  alerts = new Map<string, Alert>();
  latest = new Map<string, MetricSample>();

  applySnapshot(s: Snapshot): ApplyResult {
    const before = new Map(this.statuses);
    const knownAlerts = new Set(this.alerts.keys());
    const hadSnapshot = this.seq >= 0;
    this.seq = s.seq;
    this.serverId = s.serverId;
    this.user = s.user;
    this.ui = s.ui;
    // A reconnect to a server with an edited inventory brings a different device list.
    const inventory = this.setDevices(s.devices);
    this.statuses = new Map(s.statuses.map((x) => [x.deviceId, x]));
    this.alerts = new Map(s.alerts.map((a) => [a.id, a]));
    this.latest = new Map();
    for (const m of s.latest) this.latest.set(metricKey(m), m);
    const devices = new Set<string>();
    for (const [id, st] of this.statuses) if (before.get(id)?.state !== st.state) devices.add(id);
    // After a reconnect, criticals that opened while we were away still deserve the alarm.
    const newCritical = hadSnapshot
      ? s.alerts.filter((a) => !knownAlerts.has(a.id) && a.status === 'open' && a.severity === 'critical')
      : [];
    for (const id of before.keys()) if (!this.statuses.has(id)) devices.add(id);
    return { devices, alerts: s.alerts, newCritical, metrics: s.latest, gap: false, inventory };
  }

  applyDeltas(batch: readonly Delta[]): ApplyResult {
    const r: ApplyResult = {
      devices: new Set(),
      alerts: [],
      newCritical: [],
      metrics: [],
      gap: false,
      inventory: false,
    };
    if (this.seq < 0) return r;
    for (const d of batch) {
      if (d.seq <= this.seq) continue;
      if (d.seq !== this.seq + 1) r.gap = true;
      this.seq = d.seq;
      if (d.kind === 'status') {
        const prev = this.statuses.get(d.status.deviceId);
        if (prev && prev.since > d.status.since) continue;
        this.statuses.set(d.status.deviceId, d.status);
        // A new reason or probe error (same state) also counts: the drawer and tooltip say why.
        if (
          prev?.state !== d.status.state ||
          prev.reason !== d.status.reason ||
          prev.probeError?.code !== d.status.probeError?.code ||
          prev.probeError?.hint !== d.status.probeError?.hint
        )
          r.devices.add(d.status.deviceId);
      } else if (d.kind === 'alert') {
        const prev = this.alerts.get(d.alert.id);
        if (prev && prev.updatedAt > d.alert.updatedAt) continue;
        this.alerts.set(d.alert.id, d.alert);
        r.alerts.push(d.alert);
        if (!prev && d.alert.status === 'open' && d.alert.severity === 'critical') r.newCritical.push(d.alert);
      } else if (d.kind === 'devices') {
        if (!this.setDevices(d.devices)) continue;
        r.inventory = true;
        // Removed devices take their status and latest values with them; their alerts stay (history).
        for (const id of [...this.statuses.keys()])
          if (!this.devices.has(id)) {
            this.statuses.delete(id);
            r.devices.add(id);
          }
        for (const [k, m] of this.latest) if (!this.devices.has(m.deviceId)) this.latest.delete(k);
        for (const id of this.devices.keys()) r.devices.add(id);
      } else {
        for (const m of d.samples) this.latest.set(metricKey(m), m);
        r.metrics.push(...d.samples);
      }
    }
    return r;
  }

  /** Live samples of watched devices (outside the seq stream): keeps the newest per metric; returns the ones taken. */
  applySamples(samples: readonly MetricSample[]): MetricSample[] {
    const taken: MetricSample[] = [];
    for (const m of samples) {
      if (!this.devices.has(m.deviceId)) continue;
      const k = metricKey(m);
      const prev = this.latest.get(k);
      if (prev && prev.ts >= m.ts) continue;
      this.latest.set(k, m);
      taken.push(m);
    }
    return taken;
  }

  /** Replaces the device list when it differs; true when it did. */
  private setDevices(list: readonly DeviceView[]): boolean {
    const same =
      this.devices.size === list.length &&
      list.every((d) => {
        const o = this.devices.get(d.id);
        return o !== undefined && (o === d || JSON.stringify(o) === JSON.stringify(d));
      });
    if (same) return false;
    this.devices = new Map(list.map((d) => [d.id, d]));
    this.children = new Map();
    for (const d of list)
      if (d.parent) (this.children.get(d.parent) ?? this.children.set(d.parent, []).get(d.parent)!).push(d.id);
    return true;
  }

  /** Number of devices below this one, at any depth (what its outage cuts off). */
  descendantCount(id: string): number {
    let n = 0;
    const stack = [...(this.children.get(id) ?? [])];
    const seen = new Set<string>();
    while (stack.length) {
      const c = stack.pop()!;
      if (seen.has(c)) continue; // a bad inventory with a cycle must not hang the page
      seen.add(c);
      n++;
      stack.push(...(this.children.get(c) ?? []));
    }
    return n;
  }

  stateOf(id: string): DeviceStatus['state'] {
    return this.statuses.get(id)?.state ?? 'UNKNOWN';
  }

  /** Active alerts, newest critical first: severity, then open before acknowledged, then newest. */
  activeAlerts(): Alert[] {
    const rank = SEVERITY_RANK;
    return [...this.alerts.values()]
      .filter((a) => a.status !== 'resolved')
      .sort(
        (a, b) =>
          rank[a.severity] - rank[b.severity] ||
          (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
          b.openedAt - a.openedAt,
      );
  }
}

export const metricKey = (m: MetricSample) => `${m.deviceId}|${m.name}|${m.labels ? JSON.stringify(m.labels) : ''}`;

export { DEVICE_TYPES };
