import type { Db } from '../../core/store/store.js';
import type { MaintenanceWindow } from '../../core/services.js';
import { acksOf, type Alert, type Severity } from '../../core/types.js';
import type { DeviceMachine } from '../engine/types.js';
import type { ChannelName } from '../notify/channels/list.js';

export interface OutboxRow {
  id: number;
  grp: string;
  channel: ChannelName;
  target: string;
  subject: string;
  body: string;
  payload: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  next_at: number;
  created_at: number;
  sent_at: number | null;
  last_error: string | null;
}

export interface NoticeRow {
  id: number;
  grp: string;
  alert_id: string;
  kind: 'open' | 'resolved' | 'escalated' | 'severity';
  level: number;
  created_at: number;
  /** kind severity: the alert's severity before the rise. */
  from_severity: Severity | null;
  /** kind severity: 1 when the group had not been told about the alert before this notice. */
  first: number;
}

/** Prepared statements over alerting's tables. Callers group writes in `tx`. */
export function createRepo(db: Db) {
  const q = {
    nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM alerting_alert'),
    insertAlert: db.prepare(
      'INSERT INTO alerting_alert (id, key, status, opened_at, updated_at, data) VALUES (@id, @key, @status, @openedAt, @updatedAt, @data)',
    ),
    updateAlert: db.prepare(
      'UPDATE alerting_alert SET status = @status, updated_at = @updatedAt, data = @data WHERE id = @id',
    ),
    openAlerts: db.prepare("SELECT data FROM alerting_alert WHERE status != 'resolved' ORDER BY seq"),
    recentAlerts: db.prepare('SELECT data FROM alerting_alert ORDER BY seq DESC LIMIT ?'),
    alertById: db.prepare('SELECT data FROM alerting_alert WHERE id = ?'),
    history: db.prepare('INSERT INTO alerting_history (alert_id, at, event, by, detail) VALUES (?, ?, ?, ?, ?)'),
    historyOf: db.prepare('SELECT at, event, by, detail FROM alerting_history WHERE alert_id = ? ORDER BY at, rowid'),
    saveDevice: db.prepare(
      'INSERT INTO alerting_device (device_id, machine, updated_at) VALUES (?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET machine = excluded.machine, updated_at = excluded.updated_at',
    ),
    devices: db.prepare('SELECT device_id, machine FROM alerting_device'),
    addMaint: db.prepare('INSERT INTO alerting_maintenance (id, data, created_at) VALUES (?, ?, ?)'),
    delMaint: db.prepare('DELETE FROM alerting_maintenance WHERE id = ?'),
    maint: db.prepare('SELECT data FROM alerting_maintenance ORDER BY created_at, id'),
    addGroup: db.prepare('INSERT OR IGNORE INTO alerting_alert_group (alert_id, grp, level, at) VALUES (?, ?, ?, ?)'),
    groupsOf: db.prepare('SELECT grp, level FROM alerting_alert_group WHERE alert_id = ? ORDER BY level, grp'),
    addNotice: db.prepare(
      'INSERT INTO alerting_notice (grp, alert_id, kind, level, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    pendingOpenNotice: db.prepare(
      "SELECT id FROM alerting_notice WHERE alert_id = ? AND grp = ? AND (kind IN ('open', 'escalated') OR (kind = 'severity' AND first = 1))",
    ),
    addSeverityNotice: db.prepare(
      "INSERT INTO alerting_notice (grp, alert_id, kind, level, created_at, from_severity, first) VALUES (?, ?, 'severity', 0, ?, ?, ?)",
    ),
    pendingOf: db.prepare('SELECT * FROM alerting_notice WHERE alert_id = ? ORDER BY id'),
    delGroup: db.prepare('DELETE FROM alerting_alert_group WHERE alert_id = ? AND grp = ?'),
    delNotice: db.prepare('DELETE FROM alerting_notice WHERE id = ?'),
    notices: db.prepare('SELECT * FROM alerting_notice ORDER BY id'),
    addOutbox: db.prepare(
      'INSERT INTO alerting_outbox (grp, channel, target, subject, body, payload, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    due: db.prepare("SELECT * FROM alerting_outbox WHERE status = 'pending' AND next_at <= ? ORDER BY id LIMIT ?"),
    markSent: db.prepare(
      "UPDATE alerting_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND status = 'pending'",
    ),
    delivery: db.prepare('INSERT INTO alerting_delivery (outbox_id, at, channel, target) VALUES (?, ?, ?, ?)'),
    markRetry: db.prepare(
      'UPDATE alerting_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?',
    ),
    markDead: db.prepare(
      "UPDATE alerting_outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?",
    ),
    pruneOutbox: db.prepare("DELETE FROM alerting_outbox WHERE status != 'pending' AND created_at < ?"),
    pruneDelivery: db.prepare('DELETE FROM alerting_delivery WHERE at < ?'),
    outboxCounts: db.prepare('SELECT status, COUNT(*) AS n FROM alerting_outbox GROUP BY status'),
  };
  const parse = (r: unknown): Alert => {
    const a = JSON.parse((r as { data: string }).data) as Alert;
    // Rows stored before ack history existed: their one ack becomes the list, so every reader sees `acks`.
    return a.acks || a.acknowledgedBy === undefined ? a : { ...a, acks: acksOf(a) };
  };
  return {
    tx: <T>(fn: () => T): T => db.transaction(fn)(),
    nextAlertId: (): string => `A-${String((q.nextSeq.get() as { n: number }).n).padStart(5, '0')}`,
    insertAlert: (a: Alert) =>
      q.insertAlert.run({
        id: a.id,
        key: a.key,
        status: a.status,
        openedAt: a.openedAt,
        updatedAt: a.updatedAt,
        data: JSON.stringify(a),
      }),
    updateAlert: (a: Alert) =>
      q.updateAlert.run({ id: a.id, status: a.status, updatedAt: a.updatedAt, data: JSON.stringify(a) }),
    openAlerts: (): Alert[] => q.openAlerts.all().map(parse),
    recentAlerts: (limit: number): Alert[] => q.recentAlerts.all(limit).map(parse),
    alertById: (id: string): Alert | undefined => {
      const r = q.alertById.get(id);
      return r ? parse(r) : undefined;
    },
    history: (alertId: string, at: number, event: string, by: string | null, detail?: unknown) =>
      q.history.run(alertId, at, event, by, detail === undefined ? null : JSON.stringify(detail)),
    historyOf: (alertId: string) =>
      q.historyOf.all(alertId) as { at: number; event: string; by: string | null; detail: string | null }[],
    saveDevice: (id: string, m: DeviceMachine, at: number) => q.saveDevice.run(id, JSON.stringify(m), at),
    devices: (): Record<string, DeviceMachine> =>
      Object.fromEntries(
        (q.devices.all() as { device_id: string; machine: string }[]).map((r) => [
          r.device_id,
          JSON.parse(r.machine) as DeviceMachine,
        ]),
      ),
    addMaintenance: (w: MaintenanceWindow, at: number) => q.addMaint.run(w.id, JSON.stringify(w), at),
    removeMaintenance: (id: string): boolean => q.delMaint.run(id).changes > 0,
    maintenance: (): MaintenanceWindow[] =>
      q.maint.all().map((r) => JSON.parse((r as { data: string }).data) as MaintenanceWindow),
    addGroup: (alertId: string, grp: string, level: number, at: number): boolean =>
      q.addGroup.run(alertId, grp, level, at).changes > 0,
    groupsOf: (alertId: string) => q.groupsOf.all(alertId) as { grp: string; level: number }[],
    addNotice: (grp: string, alertId: string, kind: NoticeRow['kind'], level: number, at: number) =>
      q.addNotice.run(grp, alertId, kind, level, at),
    addSeverityNotice: (grp: string, alertId: string, from: Severity, first: boolean, at: number) =>
      q.addSeverityNotice.run(grp, alertId, at, from, first ? 1 : 0),
    /** Every notice of one alert still waiting for its storm window. */
    pendingNoticesOf: (alertId: string): NoticeRow[] => q.pendingOf.all(alertId) as NoticeRow[],
    deleteGroup: (alertId: string, grp: string) => q.delGroup.run(alertId, grp),
    pendingOpenNotices: (alertId: string, grp: string) =>
      (q.pendingOpenNotice.all(alertId, grp) as { id: number }[]).map((r) => r.id),
    deleteNotice: (id: number) => q.delNotice.run(id),
    notices: (): NoticeRow[] => q.notices.all() as NoticeRow[],
    addOutbox: (r: Pick<OutboxRow, 'grp' | 'channel' | 'target' | 'subject' | 'body' | 'payload'>, at: number) =>
      q.addOutbox.run(r.grp, r.channel, r.target, r.subject, r.body, r.payload, at, at),
    due: (now: number, limit: number): OutboxRow[] => q.due.all(now, limit) as OutboxRow[],
    /** Marks sent and records the delivery in one transaction: a crash leaves both or neither. */
    markSent: (row: OutboxRow, at: number): boolean =>
      db.transaction(() => {
        const ok = q.markSent.run(at, row.id).changes > 0;
        if (ok) q.delivery.run(row.id, at, row.channel, row.target);
        return ok;
      })(),
    markRetry: (id: number, nextAt: number, error: string) => q.markRetry.run(nextAt, error, id),
    markDead: (id: number, error: string) => q.markDead.run(error, id),
    /** Forgets delivered and dead messages older than `before` (pending ones are kept). */
    pruneOutbox: (before: number): number =>
      db.transaction(() => {
        q.pruneDelivery.run(before);
        return q.pruneOutbox.run(before).changes;
      })(),
    outboxCounts: (): Record<string, number> =>
      Object.fromEntries((q.outboxCounts.all() as { status: string; n: number }[]).map((r) => [r.status, r.n])),
  };
}

export type Repo = ReturnType<typeof createRepo>;
