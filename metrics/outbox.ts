/**
 * The durable outbox: points that could not be written yet, in order, in their own SQLite file
 * (config.metrics.outbox.path). One row per point so the bound and the drop count are exact.
 * Rows hold the point's line protocol, so a replay reads strings and sends them as they are.
 * AUTOINCREMENT keeps ids growing even after the table empties, so `ORDER BY id` is write order.
 * Also holds the quarantine: points InfluxDB rejected for what they are (never retried).
 */
import { openStore, type Migration, type Store } from '../core/store/store.js';
import { decodeLegacyPoint, toLine } from './point.js';

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
    CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, point TEXT NOT NULL);
    CREATE TABLE quarantine (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, line TEXT NOT NULL,
      status INTEGER, error TEXT NOT NULL);
  `,
  },
  {
    // Version 1 stored points as JSON arrays; from version 2 on, rows are line protocol. Rows
    // left by an older pantau are converted on open (convertLegacyRows).
    version: 2,
    sql: 'ALTER TABLE outbox RENAME COLUMN point TO line;',
  },
];

export interface OutboxRow {
  id: number;
  /** Line protocol, timestamp in ms. */
  line: string;
}

export interface QuarantineRow {
  id: number;
  at: number;
  line: string;
  status: number | null;
  error: string;
}

export interface Outbox {
  size(): number;
  /** Appends lines in order; when the bound is passed, drops the oldest and returns how many. */
  append(lines: readonly string[]): { dropped: number };
  /** The oldest `limit` rows (with id > afterId). */
  peek(limit: number, afterId?: number): OutboxRow[];
  /** Removes rows by id (written or quarantined). */
  remove(ids: readonly number[]): void;
  /** Removes every row with firstId ≤ id ≤ lastId (a written batch, as peek returned it). */
  removeRange(firstId: number, lastId: number): void;
  quarantine(rows: ReadonlyArray<Omit<QuarantineRow, 'id'>>): void;
  quarantined(limit?: number): QuarantineRow[];
  quarantineCount(): number;
  close(): void;
}

/** JSON rows from outbox version 1 become line protocol (a measurement never starts with '['). */
function convertLegacyRows(db: Store['db']): number {
  const rows = db.prepare("SELECT id, line FROM outbox WHERE line LIKE '[%'").all() as Array<{
    id: number;
    line: string;
  }>;
  if (rows.length === 0) return 0;
  const update = db.prepare('UPDATE outbox SET line = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) update.run(toLine(decodeLegacyPoint(r.line)), r.id);
  })();
  return rows.length;
}

export function openOutbox(path: string, maxPoints: number): Outbox {
  const store: Store = openStore(path);
  store.migrate('metrics-outbox', MIGRATIONS);
  const db = store.db;
  convertLegacyRows(db);
  const insert = db.prepare('INSERT INTO outbox (line) VALUES (?)');
  const dropOldest = db.prepare('DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)');
  const peek = db.prepare('SELECT id, line FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
  const del = db.prepare('DELETE FROM outbox WHERE id = ?');
  const delRange = db.prepare('DELETE FROM outbox WHERE id BETWEEN ? AND ?');
  const qIns = db.prepare('INSERT INTO quarantine (at, line, status, error) VALUES (?, ?, ?, ?)');
  let count = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

  const append = db.transaction((lines: readonly string[]): { dropped: number } => {
    // Lines that would be dropped right away are never inserted.
    const skip = Math.max(0, lines.length - maxPoints);
    for (let i = skip; i < lines.length; i++) insert.run(lines[i]!);
    const kept = lines.length - skip;
    const over = Math.max(0, count + kept - maxPoints);
    if (over > 0) dropOldest.run(over);
    count = count + kept - over;
    return { dropped: skip + over };
  });
  const remove = db.transaction((ids: readonly number[]) => {
    for (const id of ids) count -= del.run(id).changes;
  });
  const quarantine = db.transaction((rows: ReadonlyArray<Omit<QuarantineRow, 'id'>>) => {
    for (const r of rows) qIns.run(r.at, r.line, r.status, r.error);
  });

  return {
    size: () => count,
    append: (lines) => (lines.length === 0 ? { dropped: 0 } : append(lines)),
    peek: (limit, afterId = 0) => peek.all(afterId, limit) as OutboxRow[],
    remove: (ids) => {
      if (ids.length > 0) remove(ids);
    },
    removeRange: (firstId, lastId) => {
      count -= delRange.run(firstId, lastId).changes;
    },
    quarantine: (rows) => {
      if (rows.length > 0) quarantine(rows);
    },
    quarantined: (limit = 100) =>
      db
        .prepare('SELECT id, at, line, status, error FROM quarantine ORDER BY id DESC LIMIT ?')
        .all(limit) as QuarantineRow[],
    quarantineCount: () => (db.prepare('SELECT COUNT(*) AS n FROM quarantine').get() as { n: number }).n,
    close: () => store.close(),
  };
}
