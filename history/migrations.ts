import type { Migration } from '../core/store/store.js';

/**
 * The history module's own tables (store.migrate('history', …)). Append, never edit a shipped one.
 * - history_state_change: every effective state change of a device (the alert engine's
 *   `device.state` events), for the alert timeline, the drawer's state bands and the SLA report.
 * - history_rollup: embedded metrics (sink none) folded into 5-minute and 1-hour buckets, so the
 *   drawer's 6 h … 30 d graphs work without InfluxDB (docs/adr/0801).
 */
export const HISTORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE history_state_change (
        device_id TEXT NOT NULL, at INTEGER NOT NULL,
        from_state TEXT NOT NULL, to_state TEXT NOT NULL,
        reason TEXT, root_cause TEXT
      );
      CREATE INDEX history_state_change_device ON history_state_change(device_id, at);
      CREATE INDEX history_state_change_at ON history_state_change(at);
      CREATE TABLE history_rollup (
        device_id TEXT NOT NULL, series TEXT NOT NULL, step_s INTEGER NOT NULL, bucket INTEGER NOT NULL,
        n INTEGER NOT NULL, sums TEXT NOT NULL,
        PRIMARY KEY (device_id, series, step_s, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX history_rollup_age ON history_rollup(step_s, bucket);
      -- Monthly reports already emailed: one send per month, even across restarts.
      CREATE TABLE history_report_sent (month TEXT PRIMARY KEY, sent_at INTEGER NOT NULL, recipients TEXT NOT NULL);
    `,
  },
];
