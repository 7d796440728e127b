/**
 * An in-memory AlertingService for server and browser tests, driven by the test through the
 * real bus: `cut(id)` takes a device DOWN with its subtree UNREACHABLE and opens one root-cause
 * alert, `restore(id)` resolves it, exactly the events the real engine publishes.
 */
import { PantauError } from '../../core/errors.js';
import type { EventBus } from '../../core/bus.js';
import type { Inventory } from '../../core/inventory/topology.js';
import type { AlertFilter, AlertingService, MaintenanceInput, MaintenanceWindow } from '../../core/services.js';
import type { Clock } from '../../core/time.js';
import type { Alert, DeviceState, DeviceStatus } from '../../core/types.js';

export interface FakeAlerting extends AlertingService {
  setState(id: string, state: DeviceState, extra?: Partial<DeviceStatus>): void;
  raise(partial: Partial<Alert> & { deviceId: string }): Alert;
  resolve(id: string): Alert;
  cut(id: string): Alert;
  restore(id: string): void;
  /** Group routing used by routedGroups: by kecamatan, default ['noc']. */
  routes: Map<string, string[]>;
}

export function createFakeAlerting(deps: {
  inventory: Inventory;
  bus: EventBus;
  clock: Clock;
  initial?: DeviceState;
}): FakeAlerting {
  const statuses = new Map<string, DeviceStatus>();
  for (const d of deps.inventory.devices)
    statuses.set(d.id, { deviceId: d.id, state: deps.initial ?? 'UP', since: deps.clock.now() });
  const alerts = new Map<string, Alert>();
  const windows = new Map<string, MaintenanceWindow>();
  let n = 0;
  const routes = new Map<string, string[]>();

  const svc: FakeAlerting = {
    routes,
    statuses: () => [...statuses.values()].map((s) => ({ ...s })),
    listAlerts(f: AlertFilter = {}) {
      const out = [...alerts.values()].filter(
        (a) =>
          (!f.status || f.status.includes(a.status)) &&
          (!f.severity || f.severity.includes(a.severity)) &&
          (!f.kecamatan || f.kecamatan.includes(a.kecamatan)) &&
          (!f.type || f.type.includes(a.deviceType)) &&
          (!f.deviceId || a.deviceId === f.deviceId) &&
          (!f.groups || svc.routedGroups(a).some((g) => f.groups!.includes(g))),
      );
      out.sort((a, b) => b.openedAt - a.openedAt);
      return (f.limit ? out.slice(0, f.limit) : out).map((a) => ({ ...a }));
    },
    getAlert: (id) => {
      const a = alerts.get(id);
      return a ? { ...a } : undefined;
    },
    acknowledge(id, by, comment, publicMessage) {
      const a = alerts.get(id);
      if (!a) throw new PantauError('PANTAU_STORE', `alert ${id} not found`);
      if (a.status === 'resolved') throw new PantauError('PANTAU_STORE', `alert ${id} resolved`);
      const now = deps.clock.now();
      Object.assign(
        a,
        {
          status: 'acknowledged',
          acknowledgedAt: a.acknowledgedAt ?? now,
          acknowledgedBy: a.acknowledgedBy ?? by,
          updatedAt: now,
          acks: [
            ...(a.acks ?? []),
            { by, at: now, ...(comment ? { comment } : {}), ...(publicMessage ? { publicMessage } : {}) },
          ],
        },
        comment ? { ackComment: comment } : {},
        publicMessage ? { publicMessage } : {},
      );
      deps.bus.publish('alert.changed', { ...a });
      return { ...a };
    },
    routedGroups: (a) => routes.get(a.kecamatan) ?? ['noc'],
    listMaintenance: () => [...windows.values()],
    addMaintenance(input: MaintenanceInput) {
      const w = { ...input, id: `mw-${++n}` };
      windows.set(w.id, w);
      return w;
    },
    removeMaintenance: (id) => windows.delete(id),
    setState(id, state, extra = {}) {
      const prev = statuses.get(id);
      if (!prev) throw new Error(`no device ${id}`);
      const status: DeviceStatus = { deviceId: id, state, since: deps.clock.now(), ...extra };
      statuses.set(id, status);
      deps.bus.publish('device.state', { deviceId: id, from: prev.state, to: state, at: status.since, status });
    },
    raise(p) {
      const dev = deps.inventory.byId.get(p.deviceId);
      const now = deps.clock.now();
      const a: Alert = {
        id: `al-${++n}`,
        key: `device_down:${p.deviceId}`,
        rule: 'device_down',
        deviceType: dev?.type ?? 'fiber',
        kecamatan: dev?.kecamatan ?? 'Baturaja Timur',
        severity: 'critical',
        status: 'open',
        messageKey: 'alert.device_down',
        params: { device: dev?.name ?? p.deviceId },
        title: `${dev?.name ?? p.deviceId} DOWN`,
        affected: [],
        openedAt: now,
        updatedAt: now,
        ...p,
      };
      alerts.set(a.id, a);
      deps.bus.publish('alert.changed', { ...a });
      return { ...a };
    },
    resolve(id) {
      const a = alerts.get(id);
      if (!a) throw new Error(`no alert ${id}`);
      Object.assign(a, { status: 'resolved', resolvedAt: deps.clock.now(), updatedAt: deps.clock.now() });
      deps.bus.publish('alert.changed', { ...a });
      return { ...a };
    },
    cut(id) {
      const below = deps.inventory.descendants(id);
      svc.setState(id, 'DOWN', { reason: 'icmp_loss' });
      for (const d of below) svc.setState(d.id, 'UNREACHABLE', { reason: 'upstream_down', rootCauseId: id });
      return svc.raise({
        deviceId: id,
        affected: below.map((d) => d.id),
        params: { device: deps.inventory.byId.get(id)?.name ?? id, count: below.length },
      });
    },
    restore(id) {
      for (const d of [deps.inventory.byId.get(id)!, ...deps.inventory.descendants(id)]) svc.setState(d.id, 'UP');
      for (const a of alerts.values()) if (a.deviceId === id && a.status !== 'resolved') svc.resolve(a.id);
    },
  };
  return svc;
}
