/**
 * The durable outbox: points that could not be written yet, in order, in their own SQLite file
 * (config.metrics.outbox.path). One row per point so the bound and the drop count are exact.
 * AUTOINCREMENT keeps ids growing even after the table empties, so `ORDER BY id` is write order.
 * Also holds the quarantine: points InfluxDB rejected for what they are (never retried).
 */
import { openStore, type Migration, type Store } from '../../core/store/store.js';
import { decodePoint, encodePoint, type Point } from './point.js';

const MIGRATIONS: Migration[] = [{
  version: 1,
  sql: `
    CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, point TEXT NOT NULL);
    CREATE TABLE quarantine (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, line TEXT NOT NULL,
      status INTEGER, error TEXT NOT NULL);
  `,
}];

export interface OutboxRow {
  id: number;
  point: Point;
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
  /** Appends in order; when the bound is passed, drops the oldest and returns how many. */
  append(points: readonly Point[]): { dropped: number };
  /** The oldest `limit` rows. */
  peek(limit: number): OutboxRow[];
  /** Removes rows by id (written or quarantined). */
  remove(ids: readonly number[]): void;
  quarantine(rows: ReadonlyArray<Omit<QuarantineRow, 'id'>>): void;
  quarantined(limit?: number): QuarantineRow[];
  quarantineCount(): number;
  close(): void;
}

export function openOutbox(path: string, maxPoints: number): Outbox {
  const store: Store = openStore(path);
  store.migrate('metrics-outbox', MIGRATIONS);
  const db = store.db;
  const insert = db.prepare('INSERT INTO outbox (point) VALUES (?)');
  const dropOldest = db.prepare('DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)');
  const peek = db.prepare('SELECT id, point FROM outbox ORDER BY id LIMIT ?');
  const del = db.prepare('DELETE FROM outbox WHERE id = ?');
  const qIns = db.prepare('INSERT INTO quarantine (at, line, status, error) VALUES (?, ?, ?, ?)');
  let count = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

  const append = db.transaction((points: readonly Point[]): { dropped: number } => {
    // Points that would be dropped right away are never inserted.
    const skip = Math.max(0, points.length - maxPoints);
    for (let i = skip; i < points.length; i++) insert.run(encodePoint(points[i]!));
    const kept = points.length - skip;
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
    append: (points) => (points.length === 0 ? { dropped: 0 } : append(points)),
    peek: (limit) => (peek.all(limit) as Array<{ id: number; point: string }>).map((r) => ({ id: r.id, point: decodePoint(r.point) })),
    remove: (ids) => { if (ids.length > 0) remove(ids); },
    quarantine: (rows) => { if (rows.length > 0) quarantine(rows); },
    quarantined: (limit = 100) => db.prepare('SELECT id, at, line, status, error FROM quarantine ORDER BY id DESC LIMIT ?').all(limit) as QuarantineRow[],
    quarantineCount: () => (db.prepare('SELECT COUNT(*) AS n FROM quarantine').get() as { n: number }).n,
    close: () => store.close(),
  };
}
