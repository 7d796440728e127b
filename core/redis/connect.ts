import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/sections/redis.js';

/**
 * ioredis options from the `redis:` section: password from its secret (never in the URL or a log),
 * TLS for rediss:// or `tls:`, a CA file relative to pantau.yaml. Reconnects forever (a collector
 * outlives a Redis restart); publish connections fail fast instead of queueing (`failFast`).
 */
export function redisOptions(
  cfg: RedisConfig,
  configDir: string,
  opts: { failFast?: boolean; name?: string } = {},
): RedisOptions {
  const tlsOn = cfg.url.startsWith('rediss://') || cfg.tls !== false;
  const tlsCfg: { ca?: string; servername?: string; rejectUnauthorized?: boolean } =
    typeof cfg.tls === 'object' ? cfg.tls : {};
  return {
    ...(cfg.username ? { username: cfg.username } : {}),
    ...(cfg.password ? { password: cfg.password.reveal() } : {}),
    ...(tlsOn
      ? {
          tls: {
            ...(tlsCfg.ca ? { ca: readFileSync(resolve(configDir, tlsCfg.ca)) } : {}),
            ...(tlsCfg.servername ? { servername: tlsCfg.servername } : {}),
            rejectUnauthorized: tlsCfg.rejectUnauthorized ?? true,
          },
        }
      : {}),
    ...(opts.name ? { connectionName: opts.name } : {}),
    connectTimeout: cfg.connectTimeoutMs,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    maxRetriesPerRequest: opts.failFast ? 0 : null,
    enableOfflineQueue: !opts.failFast,
  };
}

export function connectRedis(
  cfg: RedisConfig,
  configDir: string,
  opts: { failFast?: boolean; name?: string } = {},
): Redis {
  // rediss:// is handled by the tls option above; ioredis parses host/port/db from the URL.
  return new Redis(cfg.url.replace(/^rediss:/, 'redis:'), redisOptions(cfg, configDir, opts));
}
