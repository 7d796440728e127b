import { createHash, createHmac, randomBytes } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { Store } from '../../core/store/store.js';
import type { SessionUser } from '../../core/realtime.js';
import { SESSION_COOKIE } from '../../core/realtime.js';
import { serverMigrations } from './migrations.js';
import type { UserStore } from './users.js';

/**
 * Opaque random session tokens; the store keeps only their SHA-256, so a copy of the database
 * cannot be replayed as a cookie. Sessions live in SQLite so a restart does not log the NOC out
 * (the wall screen reconnects by itself). See docs/adr/0500.
 */
export interface SessionStore {
  create(userId: number): { token: string; expiresAt: number };
  /** The session's user from a Cookie header; refreshes the sliding expiry. */
  fromCookieHeader(header: string | undefined): { user: SessionUser; tokenHash: string } | undefined;
  destroy(token: string): void;
  destroyHash(tokenHash: string): void;
  destroyForUser(userId: number): void;
}


export function createSessionStore(store: Store, users: UserStore, clock: { now(): number }, opts: { ttlMs?: number; secret?: { reveal(): string } } = {}): SessionStore {
  const hashToken = (t: string) => (opts.secret ? createHmac('sha256', opts.secret.reveal()) : createHash('sha256')).update(t).digest('hex');
  store.migrate('server', serverMigrations);
  const ttl = opts.ttlMs ?? 12 * 3600_000;
  const db = store.db;
  const get = db.prepare('SELECT user_id, expires_at, last_seen_at FROM server_sessions WHERE token_hash = ?');
  const touch = db.prepare('UPDATE server_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?');
  const del = db.prepare('DELETE FROM server_sessions WHERE token_hash = ?');
  return {
    create(userId) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      db.prepare('DELETE FROM server_sessions WHERE expires_at < ?').run(now);
      db.prepare('INSERT INTO server_sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
        .run(hashToken(token), userId, now, now + ttl, now);
      return { token, expiresAt: now + ttl };
    },
    fromCookieHeader(header) {
      if (!header) return undefined;
      let token: string | undefined;
      try { token = parseCookie(header)[SESSION_COOKIE]; } catch { return undefined; }
      if (!token || token.length > 200) return undefined;
      const h = hashToken(token);
      const row = get.get(h) as { user_id: number; expires_at: number; last_seen_at: number } | undefined;
      const now = clock.now();
      if (!row) return undefined;
      if (row.expires_at <= now) { del.run(h); return undefined; }
      const user = users.byId(row.user_id);
      if (!user) return undefined;
      // Write at most once a minute: every API call and socket would otherwise write.
      if (now - row.last_seen_at > 60_000) touch.run(now, now + ttl, h);
      return { user, tokenHash: h };
    },
    destroy(token) { del.run(hashToken(token)); },
    destroyHash(tokenHash) { del.run(tokenHash); },
    destroyForUser(userId) { db.prepare('DELETE FROM server_sessions WHERE user_id = ?').run(userId); },
  };
}
