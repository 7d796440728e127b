import type { Migration } from '../../core/store/store.js';

/** alerting's own tables (store.migrate('alerting', …)). Append, never edit a shipped one. */
export const ALERTING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE alerting_alert (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        status TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      -- One open (or acknowledged) alert per dedup key, enforced by the database.
      CREATE UNIQUE INDEX alerting_alert_open_key ON alerting_alert(key) WHERE status != 'resolved';
      CREATE INDEX alerting_alert_status ON alerting_alert(status, opened_at);
      CREATE TABLE alerting_history (
        alert_id TEXT NOT NULL, at INTEGER NOT NULL, event TEXT NOT NULL, by TEXT, detail TEXT
      );
      CREATE INDEX alerting_history_alert ON alerting_history(alert_id, at);
      CREATE TABLE alerting_device (device_id TEXT PRIMARY KEY, machine TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE alerting_maintenance (id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at INTEGER NOT NULL);
      -- Which groups an alert went to, and at which escalation level.
      CREATE TABLE alerting_alert_group (
        alert_id TEXT NOT NULL, grp TEXT NOT NULL, level INTEGER NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (alert_id, grp)
      );
      -- Notices waiting for the storm window to close, then folded into one outbox message per recipient.
      CREATE TABLE alerting_notice (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        grp TEXT NOT NULL, alert_id TEXT NOT NULL, kind TEXT NOT NULL, level INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE alerting_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        grp TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL,
        subject TEXT NOT NULL, body TEXT NOT NULL, payload TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER, last_error TEXT
      );
      CREATE INDEX alerting_outbox_due ON alerting_outbox(status, next_at);
      CREATE TABLE alerting_delivery (outbox_id INTEGER NOT NULL, at INTEGER NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    // Severity-raised notices (ADR 0403): what the alert was before the rise (for the text and for
    // cancelling on a fall), and whether this group had heard nothing about the alert before.
    sql: `
      ALTER TABLE alerting_notice ADD COLUMN from_severity TEXT;
      ALTER TABLE alerting_notice ADD COLUMN first INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
