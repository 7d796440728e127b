import type { Migration } from '../../core/store/store.js';

/** The server's own tables (users, sessions); applied with store.migrate('server', …). */
export const serverMigrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE server_users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','operator','technician','viewer')),
        groups_json TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE server_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES server_users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      );
      CREATE INDEX server_sessions_user ON server_sessions(user_id);
    `,
  },
];
