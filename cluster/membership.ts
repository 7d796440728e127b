/**
 * Heartbeats in Redis: each member writes `<prefix>member:<role>:<name>` (JSON, expiring after
 * `ttlMs`) every `heartbeatMs` and reads everyone's. A member killed -9 or cut off disappears when
 * its key expires; a member that stops cleanly deletes it. While Redis cannot be reached the last
 * known list stays (a collector keeps polling what it had).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { Member } from './assign.js';

export function memberKey(prefix: string, m: Pick<Member, 'role' | 'name'>): string {
  return `${prefix}member:${m.role}:${m.name}`;
}

/** Every live member, read once (also for `pantau cluster status`). */
export async function readMembers(redis: Redis, prefix: string): Promise<Member[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}member:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const out: Member[] = [];
  for (const v of values) {
    if (!v) continue;
    try {
      const m = JSON.parse(v) as Member;
      if (
        typeof m.name === 'string' &&
        typeof m.role === 'string' &&
        Array.isArray(m.zones) &&
        typeof m.activeFrom === 'number'
      )
        out.push(m);
    } catch {
      /* a foreign or broken key is not a member */
    }
  }
  return out.sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name));
}

export interface Membership {
  start(): Promise<void>;
  /** The members last seen, this one always included. */
  members(): Member[];
  stop(): Promise<void>;
}

export function createMembership(deps: {
  redis: Redis;
  prefix: string;
  self: Omit<Member, 'at' | 'stats'>;
  heartbeatMs: number;
  ttlMs: number;
  stats?: () => Record<string, number>;
  /** Called when the set of members (names, roles, zones, activation) changes. */
  onChange?: (members: Member[]) => void;
  logger: Logger;
  now?: () => number;
}): Membership {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'cluster' });
  const key = memberKey(deps.prefix, deps.self);
  let known: Member[] = [];
  let signature = '';
  let timer: NodeJS.Timeout | undefined;
  let reachable = true;
  let beating: Promise<void> | null = null;

  const selfNow = (): Member => ({ ...deps.self, at: now(), ...(deps.stats ? { stats: deps.stats() } : {}) });

  async function beat(): Promise<void> {
    try {
      await deps.redis.set(key, JSON.stringify(selfNow()), 'PX', deps.ttlMs);
      const members = (await readMembers(deps.redis, deps.prefix)).filter(
        (m) => !(m.role === deps.self.role && m.name === deps.self.name),
      );
      known = members;
      if (!reachable) {
        reachable = true;
        log.info('Redis terjangkau lagi / Redis reachable again');
      }
    } catch (err) {
      if (reachable) {
        reachable = false;
        log.warn(
          { err: (err as Error).message },
          'heartbeat gagal: daftar anggota terakhir dipakai / heartbeat failed: keeping the last member list',
        );
      }
    }
    const list = membership.members();
    const sig = JSON.stringify(list.map((m) => [m.role, m.name, m.zones, m.activeFrom]));
    if (sig !== signature) {
      const first = signature === '';
      signature = sig;
      if (!first)
        log.info(
          { members: list.map((m) => `${m.role}:${m.name}`) },
          'anggota klaster berubah / cluster members changed',
        );
      deps.onChange?.(list);
    }
  }

  const membership: Membership = {
    async start() {
      // The first heartbeat waits (a little) for the connection, so a start with Redis up sees the
      // others at once; with Redis down it goes on with itself alone.
      if (deps.redis.status !== 'ready') {
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, 5000);
          function done() {
            clearTimeout(t);
            deps.redis.off('ready', done);
            resolve();
          }
          deps.redis.once('ready', done);
        });
      }
      await beat();
      timer = setInterval(() => {
        beating ??= beat().finally(() => {
          beating = null;
        });
      }, deps.heartbeatMs);
      timer.unref();
    },
    members: () => [...known, selfNow()].sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name)),
    async stop() {
      if (timer) clearInterval(timer);
      await beating;
      // A clean stop hands the devices over at once instead of after the TTL.
      await deps.redis.del(key).catch(() => undefined);
    },
  };
  return membership;
}
