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
  create(user: SessionUser): MaybePromise<{ token: string; expiresAt: number }>;
  /** The session's user from a Cookie header; refreshes the sliding expiry. */
  fromCookieHeader(header: string | undefined): MaybePromise<{ user: SessionUser; tokenHash: string } | undefined>;
  destroy(token: string): MaybePromise<void>;
  destroyHash(tokenHash: string): MaybePromise<void>;
  destroyForUser(userId: number): MaybePromise<void>;
}

type MaybePromise<T> = T | Promise<T>;

/** The SQLite store answers at once (the single process); the Redis one (sessions-redis.ts) with promises. */
export interface SqliteSessionStore extends SessionStore {
  create(user: SessionUser): { token: string; expiresAt: number };
  fromCookieHeader(header: string | undefined): { user: SessionUser; tokenHash: string } | undefined;
  destroy(token: string): void;
  destroyHash(tokenHash: string): void;
  destroyForUser(userId: number): void;
}

/** The session token from a Cookie header, if it looks like one. */
export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let token: string | undefined;
  try {
    token = parseCookie(header)[SESSION_COOKIE];
  } catch {
    return undefined;
  }
  if (!token || token.length > 200) return undefined;
  return token;
}

export function sessionTokenHasher(secret?: { reveal(): string }): (token: string) => string {
  return (t) => (secret ? createHmac('sha256', secret.reveal()) : createHash('sha256')).update(t).digest('hex');
}

export function createSessionStore(
  store: Store,
  users: UserStore,
  clock: { now(): number },
  opts: { ttlMs?: number; secret?: { reveal(): string } } = {},
): SqliteSessionStore {
  const hashToken = sessionTokenHasher(opts.secret);
  store.migrate('server', serverMigrations);
  const ttl = opts.ttlMs ?? 12 * 3600_000;
  const db = store.db;
  const get = db.prepare('SELECT user_id, expires_at, last_seen_at FROM server_sessions WHERE token_hash = ?');
  const touch = db.prepare('UPDATE server_sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?');
  const del = db.prepare('DELETE FROM server_sessions WHERE token_hash = ?');
  return {
    create(user) {
      const userId = user.id;
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      db.prepare('DELETE FROM server_sessions WHERE expires_at < ?').run(now);
      db.prepare(
        'INSERT INTO server_sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      ).run(hashToken(token), userId, now, now + ttl, now);
      return { token, expiresAt: now + ttl };
    },
    fromCookieHeader(header) {
      const token = tokenFromCookieHeader(header);
      if (!token) return undefined;
      const h = hashToken(token);
      const row = get.get(h) as { user_id: number; expires_at: number; last_seen_at: number } | undefined;
      const now = clock.now();
      if (!row) return undefined;
      if (row.expires_at <= now) {
        del.run(h);
        return undefined;
      }
      const user = users.byId(row.user_id);
      if (!user) return undefined;
      // Write at most once a minute: every API call and socket would otherwise write.
      if (now - row.last_seen_at > 60_000) touch.run(now, now + ttl, h);
      return { user, tokenHash: h };
    },
    destroy(token) {
      del.run(hashToken(token));
    },
    destroyHash(tokenHash) {
      del.run(tokenHash);
    },
    destroyForUser(userId) {
      db.prepare('DELETE FROM server_sessions WHERE user_id = ?').run(userId);
    },
  };
}
