/**
 * The login throttle of ADR 0506, shared by every web server of a cluster through Redis (ADR 0902):
 * the same policy, counts and delays as the in-memory one (login-throttle.ts), so an attacker
 * cannot multiply the attempts by the number of web servers. One hash per key
 * (`<prefix>login:u:<username>`, `<prefix>login:a:<address>`: failures, last failure, blocked
 * until), updated by one Lua script so two servers counting the same failure cannot lose one. A key
 * expires when the in-memory throttle would forget it (no failure for `forgetAfterMs` and not
 * blocked), so Redis holds no more than the recent failures.
 */
import type { Redis } from 'ioredis';
import { PantauError } from '../../core/errors.js';
import type { FailureCounts, LoginThrottleApi, ThrottleDecision, ThrottlePolicy } from './login-throttle.js';

// KEYS[1] user, KEYS[2] address; ARGV now, userFree, addressFree, baseDelayMs, maxDelayMs, forgetAfterMs.
// Returns { userFailures, userBlockedUntil, addressFailures, addressBlockedUntil }.
const FAIL = `
local now = tonumber(ARGV[1])
local base, maxd, forget = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local function fail(key, free)
  local h = redis.call('HMGET', key, 'f', 'l', 'b')
  local f, l, b = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
  if f > 0 and now - l > forget and now >= b then f = 0; b = 0 end
  f = f + 1
  local over = f - free
  local delay = 0
  if over > 0 then delay = math.min(maxd, base * 2 ^ math.min(over - 1, 40)) end
  b = math.max(b, now + delay)
  redis.call('HSET', key, 'f', f, 'l', now, 'b', b)
  redis.call('PEXPIRE', key, math.max(forget, b - now) + 1000)
  return { f, b }
end
local u = fail(KEYS[1], tonumber(ARGV[2]))
local a = fail(KEYS[2], tonumber(ARGV[3]))
return { u[1], u[2], a[1], a[2] }
`;

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

const entryOf = (h: (string | null)[]): Entry | undefined =>
  h[0] === null ? undefined : { failures: Number(h[0]), lastFailureAt: Number(h[1]), blockedUntil: Number(h[2]) };

/** The decision of ADR 0506 from the two entries (pure; the in-memory throttle decides the same way). */
export function decide(
  u: Entry | undefined,
  a: Entry | undefined,
  now: number,
  forgetAfterMs: number,
): ThrottleDecision {
  const live = (e: Entry | undefined) =>
    e && !(now - e.lastFailureAt > forgetAfterMs && now >= e.blockedUntil) ? e : undefined;
  const lu = live(u);
  if (lu && lu.blockedUntil > now) return { allowed: false, scope: 'username', retryAfterMs: lu.blockedUntil - now };
  if (lu && lu.failures > 0) {
    const la = live(a);
    if (la && la.blockedUntil > now) return { allowed: false, scope: 'address', retryAfterMs: la.blockedUntil - now };
  }
  return { allowed: true };
}

export function createRedisLoginThrottle(deps: {
  redis: Redis;
  prefix: string;
  policy: ThrottlePolicy;
}): LoginThrottleApi {
  const p = deps.policy;
  const userKey = (username: string) => `${deps.prefix}login:u:${username.toLowerCase()}`;
  const addrKey = (address: string) => `${deps.prefix}login:a:${address}`;
  // Redis away: the login answers 503 (try again), never a login without the throttle.
  const unavailable = (err: unknown): never => {
    throw new PantauError('PANTAU_UNAVAILABLE', `Redis (pembatas login / login throttle): ${(err as Error).message}`);
  };
  return {
    async check(now, username, address): Promise<ThrottleDecision> {
      const [u, a] = await Promise.all([
        deps.redis.hmget(userKey(username), 'f', 'l', 'b'),
        deps.redis.hmget(addrKey(address), 'f', 'l', 'b'),
      ]).catch(unavailable);
      return decide(entryOf(u), entryOf(a), now, p.forgetAfterMs);
    },
    async recordFailure(now, username, address): Promise<FailureCounts> {
      const out = (await deps.redis
        .eval(
          FAIL,
          2,
          userKey(username),
          addrKey(address),
          now,
          p.userFreeFailures,
          p.addressFreeFailures,
          p.baseDelayMs,
          p.maxDelayMs,
          p.forgetAfterMs,
        )
        .catch(unavailable)) as number[];
      const [uf, ub, af, ab] = out.map(Number) as [number, number, number, number];
      return { userFailures: uf, addressFailures: af, userBlockedMs: ub - now, addressBlockedMs: ab - now };
    },
    async recordSuccess(username) {
      await deps.redis.del(userKey(username)).catch(unavailable);
    },
  };
}
