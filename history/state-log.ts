/**
 * The device state log: every effective state change the alert engine publishes (`device.state`),
 * kept in SQLite. The alert timeline, the drawer's state bands and the SLA report read it.
 */
import type { EventBus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store/store.js';
import type { DeviceState, DeviceStateChange } from '../core/types.js';
import { HISTORY_MIGRATIONS } from './migrations.js';

export interface StateChangeRow {
  deviceId: string;
  at: number;
  from: DeviceState;
  to: DeviceState;
  reason?: string;
  rootCauseId?: string;
}

/** One device over a window: its state when the window opens (undefined = never seen) and its changes inside. */
export interface DeviceTimeline {
  initial: DeviceState | undefined;
  changes: { at: number; to: DeviceState }[];
}

interface Row {
  device_id: string;
  at: number;
  from_state: string;
  to_state: string;
  reason: string | null;
  root_cause: string | null;
}

const toChange = (r: Row): StateChangeRow => ({
  deviceId: r.device_id,
  at: r.at,
  from: r.from_state as DeviceState,
  to: r.to_state as DeviceState,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.root_cause ? { rootCauseId: r.root_cause } : {}),
});

export function createStateLog(store: Store) {
  store.migrate('history', HISTORY_MIGRATIONS);
  const db = store.db;
  const q = {
    insert: db.prepare(
      'INSERT INTO history_state_change (device_id, at, from_state, to_state, reason, root_cause) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    ofDevice: db.prepare(
      'SELECT * FROM history_state_change WHERE device_id = ? AND at >= ? AND at < ? ORDER BY at, rowid LIMIT ?',
    ),
    before: db.prepare(
      'SELECT * FROM history_state_change WHERE device_id = ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT 1',
    ),
    // SQLite: with MAX(), the bare columns come from the row holding the maximum.
    allBefore: db.prepare(
      'SELECT device_id, to_state, MAX(at) AS at FROM history_state_change WHERE at < ? GROUP BY device_id',
    ),
    inWindow: db.prepare(
      'SELECT device_id, at, to_state FROM history_state_change WHERE at >= ? AND at < ? ORDER BY at, rowid',
    ),
    prune: db.prepare('DELETE FROM history_state_change WHERE at < ?'),
  };
  return {
    record(c: DeviceStateChange): void {
      q.insert.run(c.deviceId, c.at, c.from, c.to, c.status.reason ?? null, c.status.rootCauseId ?? null);
    },
    /** Changes of one device in [from, to), oldest first, at most `limit`. */
    changes(deviceId: string, from: number, to: number, limit = 5000): StateChangeRow[] {
      return (q.ofDevice.all(deviceId, from, to, limit) as Row[]).map(toChange);
    },
    /** The last change of a device before `at`: its state at that instant. */
    lastBefore(deviceId: string, at: number): StateChangeRow | undefined {
      const r = q.before.get(deviceId, at) as Row | undefined;
      return r ? toChange(r) : undefined;
    },
    /** Every device's timeline over [from, to): what the SLA report computes from. */
    timelines(from: number, to: number): Map<string, DeviceTimeline> {
      const out = new Map<string, DeviceTimeline>();
      for (const r of q.allBefore.all(from) as { device_id: string; to_state: string }[]) {
        out.set(r.device_id, { initial: r.to_state as DeviceState, changes: [] });
      }
      for (const r of q.inWindow.iterate(from, to) as Iterable<{ device_id: string; at: number; to_state: string }>) {
        let t = out.get(r.device_id);
        if (!t) out.set(r.device_id, (t = { initial: undefined, changes: [] }));
        t.changes.push({ at: r.at, to: r.to_state as DeviceState });
      }
      return out;
    },
    prune: (before: number): number => q.prune.run(before).changes,
  };
}

export type StateLog = ReturnType<typeof createStateLog>;

/** Subscribes the log to `device.state`; returns the unsubscribe. A failed write is logged, never thrown into the bus. */
export function recordStateChanges(bus: EventBus, log: StateLog, logger: Logger): () => void {
  return bus.subscribe('device.state', (c) => {
    try {
      log.record(c);
    } catch (err) {
      logger.error({ err, device: c.deviceId }, 'state change not recorded');
    }
  });
}
