/**
 * Login throttling, pure: time is passed in, no I/O. Failures are counted per username and per
 * address; past a number of free failures each further failure blocks the key for a doubling
 * delay (base, 2×base, 4×base … capped). Policy (ADR 0506):
 *
 * - The username block applies to every attempt at that username (whatever the address).
 * - The address block applies only to usernames that have failures of their own: a user with a
 *   clean record (no recent failures) always gets the password checked, even from an address that
 *   has been guessing at other accounts (the NOC's shared NAT). Unknown and known usernames are
 *   treated alike, so the throttle does not tell which usernames exist.
 * - Attempts refused with 429 are not checked and not counted (a refused attempt cannot extend the
 *   block; the delay grows only with real wrong passwords).
 * - A correct password clears that username's failures; it does not clear the address's.
 * - A key with no failure for `forgetAfterMs` is forgotten; at most `maxKeys` keys are kept
 *   (oldest failure dropped first) so a flood of random usernames cannot grow memory without end.
 */
export interface ThrottlePolicy {
  /** Wrong passwords per username before the first delay. */
  userFreeFailures: number;
  /** Wrong passwords per address before the first delay (for usernames with failures of their own). */
  addressFreeFailures: number;
  /** First delay; each further failure doubles it. */
  baseDelayMs: number;
  /** Longest delay. */
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetAfterMs: number;
  /** Keys kept at most (usernames + addresses). */
  maxKeys: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  userFreeFailures: 5,
  addressFreeFailures: 10,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 15 * 60_000,
  maxKeys: 10_000,
};

export type ThrottleScope = 'username' | 'address';
export type ThrottleDecision = { allowed: true } | { allowed: false; scope: ThrottleScope; retryAfterMs: number };

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/** Delay after the n-th failure (1-based) with `free` free failures; 0 while still free. */
export function delayAfter(n: number, free: number, p: Pick<ThrottlePolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const over = n - free;
  if (over <= 0) return 0;
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.min(over - 1, 40));
}

export function createLoginThrottle(policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {
  const entries = new Map<string, Entry>();
  const userKey = (username: string) => `u:${username.toLowerCase()}`;
  const addrKey = (address: string) => `a:${address}`;

  const live = (key: string, now: number): Entry | undefined => {
    const e = entries.get(key);
    if (e && now - e.lastFailureAt > policy.forgetAfterMs && now >= e.blockedUntil) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };

  const fail = (key: string, free: number, now: number): Entry => {
    const prev = live(key, now);
    const failures = (prev?.failures ?? 0) + 1;
    const delay = delayAfter(failures, free, policy);
    const e: Entry = { failures, lastFailureAt: now, blockedUntil: Math.max(prev?.blockedUntil ?? 0, now + delay) };
    entries.delete(key); // re-insert: Map order is then oldest-failure first
    entries.set(key, e);
    while (entries.size > policy.maxKeys) entries.delete(entries.keys().next().value as string);
    return e;
  };

  return {
    /** Whether an attempt may have its password checked now. */
    check(now: number, username: string, address: string): ThrottleDecision {
      const u = live(userKey(username), now);
      if (u && u.blockedUntil > now) return { allowed: false, scope: 'username', retryAfterMs: u.blockedUntil - now };
      if (u && u.failures > 0) {
        const a = live(addrKey(address), now);
        if (a && a.blockedUntil > now) return { allowed: false, scope: 'address', retryAfterMs: a.blockedUntil - now };
      }
      return { allowed: true };
    },
    /** Records a wrong password; returns the failure counts and the delay now in force. */
    recordFailure(now: number, username: string, address: string) {
      const u = fail(userKey(username), policy.userFreeFailures, now);
      const a = fail(addrKey(address), policy.addressFreeFailures, now);
      return {
        userFailures: u.failures,
        addressFailures: a.failures,
        userBlockedMs: u.blockedUntil - now,
        addressBlockedMs: a.blockedUntil - now,
      };
    },
    /** A correct password: the username starts again from zero. */
    recordSuccess(username: string): void {
      entries.delete(userKey(username));
    },
    /** Keys currently remembered (for tests and a gauge). */
    size(): number {
      return entries.size;
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export interface FailureCounts {
  userFailures: number;
  addressFailures: number;
  userBlockedMs: number;
  addressBlockedMs: number;
}

/** What the login route needs: the in-memory throttle above, or the one shared in Redis (login-throttle-redis.ts). */
export interface LoginThrottleApi {
  check(now: number, username: string, address: string): ThrottleDecision | Promise<ThrottleDecision>;
  recordFailure(now: number, username: string, address: string): FailureCounts | Promise<FailureCounts>;
  recordSuccess(username: string): void | Promise<void>;
}
