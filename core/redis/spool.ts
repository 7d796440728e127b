/**
 * The publisher's durable buffer while Redis cannot be reached (a Zabbix proxy's buffer): entries
 * in publish order in their own SQLite file, bounded (the oldest go first, counted), replayed in
 * order when Redis answers again. WAL + synchronous=NORMAL (core/store) survive a kill -9 of the
 * collector process.
 */
import { openStore, type Migration } from '../store/store.js';
import type { Topic } from '../bus.js';

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: 'CREATE TABLE spool (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL);',
  },
];

export interface SpoolRow {
  id: number;
  topic: Topic;
  payload: string;
}

export interface Spool {
  size(): number;
  /** Appends in order; past the bound the oldest rows go. Returns how many were dropped. */
  append(rows: ReadonlyArray<{ topic: Topic; payload: string }>): { dropped: number };
  peek(limit: number): SpoolRow[];
  remove(ids: readonly number[]): void;
  /** Rows dropped for the bound since the spool was opened. */
  dropped(): number;
  close(): void;
}

export function openSpool(path: string, maxEntries: number): Spool {
  const store = openStore(path);
  store.migrate('redis-spool', MIGRATIONS);
  const db = store.db;
  const insert = db.prepare('INSERT INTO spool (topic, payload) VALUES (?, ?)');
  const dropOldest = db.prepare('DELETE FROM spool WHERE id IN (SELECT id FROM spool ORDER BY id LIMIT ?)');
  const peek = db.prepare('SELECT id, topic, payload FROM spool ORDER BY id LIMIT ?');
  const del = db.prepare('DELETE FROM spool WHERE id = ?');
  let count = (db.prepare('SELECT COUNT(*) AS n FROM spool').get() as { n: number }).n;
  let droppedTotal = 0;

  const append = db.transaction((rows: ReadonlyArray<{ topic: Topic; payload: string }>) => {
    for (const r of rows) insert.run(r.topic, r.payload);
    const over = Math.max(0, count + rows.length - maxEntries);
    if (over > 0) dropOldest.run(over);
    count = count + rows.length - over;
    droppedTotal += over;
    return { dropped: over };
  });
  const remove = db.transaction((ids: readonly number[]) => {
    for (const id of ids) count -= del.run(id).changes;
  });

  return {
    size: () => count,
    append: (rows) => (rows.length === 0 ? { dropped: 0 } : append(rows)),
    peek: (limit) => peek.all(limit) as SpoolRow[],
    remove: (ids) => {
      if (ids.length > 0) remove(ids);
    },
    dropped: () => droppedTotal,
    close: () => store.close(),
  };
}
