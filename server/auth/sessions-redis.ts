/**
 * Sessions in Redis (ADR 0901), for several web servers behind one load balancer: a session made
 * on web A is valid on web B. Same rules as the SQLite store (ADR 0500): an opaque random token
 * in the cookie, only its hash stored, a sliding expiry. The record keeps the user as it was at
 * login and is refreshed from the core at most once a minute, so a disabled user is out within a
 * minute on every web server.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import type { SessionUser } from '../../core/realtime.js';
import { sessionTokenHasher, tokenFromCookieHeader, type SessionStore } from './sessions.js';

const recordShape = z.object({
  user: z
    .object({
      id: z.number().int(),
      username: z.string(),
      displayName: z.string(),
      role: z.enum(['admin', 'operator', 'technician', 'viewer']),
      groups: z.array(z.string()),
    })
    .loose(),
  createdAt: z.number(),
  expiresAt: z.number(),
  lastSeenAt: z.number(),
});
interface SessionRecord {
  user: SessionUser;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}
const parseRecord = (raw: string): SessionRecord => recordShape.parse(JSON.parse(raw)) as unknown as SessionRecord;

export function createRedisSessionStore(deps: {
  redis: Redis;
  prefix: string;
  clock: { now(): number };
  ttlMs?: number;
  secret?: { reveal(): string };
  /** The user as the core knows it now (undefined: deleted or disabled); throws when the core is away. */
  refreshUser?: (id: number) => Promise<SessionUser | undefined>;
  logger: Logger;
}): SessionStore {
  const ttl = deps.ttlMs ?? 12 * 3600_000;
  const hashToken = sessionTokenHasher(deps.secret);
  const key = (h: string) => `${deps.prefix}session:${h}`;
  const userKey = (id: number) => `${deps.prefix}user-sessions:${id}`;
  const log = deps.logger.child({ module: 'sessions' });

  const write = async (h: string, rec: SessionRecord) => {
    await deps.redis
      .multi()
      .set(key(h), JSON.stringify(rec), 'PX', Math.max(1, rec.expiresAt - deps.clock.now()))
      .sadd(userKey(rec.user.id), h)
      .pexpire(userKey(rec.user.id), ttl)
      .exec();
  };
  const destroyHash = async (h: string) => {
    const raw = await deps.redis.get(key(h));
    await deps.redis.del(key(h));
    if (raw) {
      try {
        await deps.redis.srem(userKey(parseRecord(raw).user.id), h);
      } catch {
        /* broken record: gone anyway */
      }
    }
  };

  return {
    async create(user) {
      const token = randomBytes(32).toString('base64url');
      const now = deps.clock.now();
      await write(hashToken(token), { user, createdAt: now, expiresAt: now + ttl, lastSeenAt: now });
      return { token, expiresAt: now + ttl };
    },
    async fromCookieHeader(header) {
      const token = tokenFromCookieHeader(header);
      if (!token) return undefined;
      const h = hashToken(token);
      const raw = await deps.redis.get(key(h));
      if (!raw) return undefined;
      let rec: SessionRecord;
      try {
        rec = parseRecord(raw);
      } catch {
        await deps.redis.del(key(h));
        return undefined;
      }
      const now = deps.clock.now();
      if (rec.expiresAt <= now) {
        await destroyHash(h);
        return undefined;
      }
      // At most once a minute: the sliding expiry, and the user as the core has it now.
      if (now - rec.lastSeenAt > 60_000) {
        let user: SessionUser | undefined = rec.user;
        if (deps.refreshUser) {
          try {
            user = await deps.refreshUser(rec.user.id);
          } catch (err) {
            log.debug({ err: (err as Error).message }, 'user not refreshed: keeping the session as it is');
          }
        }
        if (!user) {
          await destroyHash(h);
          return undefined;
        }
        rec = { ...rec, user, lastSeenAt: now, expiresAt: now + ttl };
        await write(h, rec);
      }
      return { user: rec.user, tokenHash: h };
    },
    async destroy(token) {
      await destroyHash(hashToken(token));
    },
    destroyHash,
    async destroyForUser(userId) {
      const hashes = await deps.redis.smembers(userKey(userId));
      if (hashes.length > 0) await deps.redis.del(...hashes.map(key));
      await deps.redis.del(userKey(userId));
    },
  };
}
