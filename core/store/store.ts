import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PantauError } from '../errors.js';

export type Db = Database.Database;

export interface Migration {
  version: number;
  /** One or more SQL statements; run in a transaction with the version bump. */
  sql: string;
}

/**
 * The embedded SQLite store. Each module owns its tables and migrations (namespaced by module
 * name), so modules evolve their schema without touching a shared list.
 */
export interface Store {
  readonly db: Db;
  /** Applies the module's migrations newer than what the database has, in order. Idempotent. */
  migrate(module: string, migrations: readonly Migration[]): void;
  close(): void;
}

export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (cause) {
    throw new PantauError('PANTAU_STORE', `cannot open store ${path}`, { cause });
  }
  // WAL + synchronous=NORMAL: durable across a process kill (kill -9), fast enough for alert writes.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL,
    PRIMARY KEY (module, version))`);

  return {
    db,
    migrate(module, migrations) {
      const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations WHERE module = ?').get(module) as {
        v: number | null;
      };
      const current = row.v ?? 0;
      const todo = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
      for (const m of todo) {
        db.transaction(() => {
          db.exec(m.sql);
          db.prepare('INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)').run(
            module,
            m.version,
            Date.now(),
          );
        })();
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
