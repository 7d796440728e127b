import { z } from 'zod';
import { secretString } from '../secret-schema.js';

/**
 * Redis, for pantau split into roles (`pantau start --role collector|core|web`, docs/scale.md).
 * Absent: the embedded single process (`--role all`), nothing of this is used.
 */
export const redisSection = z
  .object({
    /** redis://host:6379/0 or rediss:// (TLS). Credentials never in the URL: use `password`. */
    url: z
      .string()
      .regex(/^rediss?:\/\/[^/\s]+(\/\d+)?$/, 'redis://host:port[/db] or rediss://…')
      .refine(
        (u) => !/\/\/[^/]*@/.test(u),
        'no user or password in the URL: use redis.username and redis.password (secret)',
      ),
    username: z.string().min(1).optional(),
    password: secretString().optional(),
    /** TLS to Redis (implied by rediss://). `ca`: PEM file, relative to pantau.yaml. */
    tls: z
      .union([
        z.boolean(),
        z
          .object({
            ca: z.string().min(1).optional(),
            rejectUnauthorized: z.boolean().default(true),
            servername: z.string().min(1).optional(),
          })
          .strict(),
      ])
      .default(false),
    /** Every key pantau writes starts with this, so one Redis can serve several pantau installations. */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits, ":", "_", "." or "-"')
      .default('pantau:'),
    /** Bound of each bus stream (entries). A full probe.result stream refuses results and raises pantau.health. */
    streamMaxLen: z.number().int().min(1000).max(10_000_000).default(200_000),
    /** A collector's durable buffer while Redis is away (replayed in order). `{name}`: the member name. */
    spool: z
      .object({
        path: z.string().default('.pantau/redis-spool-{name}.db'),
        maxEntries: z.number().int().min(1000).default(2_000_000),
      })
      .strict()
      .default({ path: '.pantau/redis-spool-{name}.db', maxEntries: 2_000_000 }),
    connectTimeoutMs: z.number().int().min(100).max(60000).default(5000),
  })
  .strict();

export type RedisConfig = z.infer<typeof redisSection>;

/** Membership of the cluster: how collectors share zones and notice each other leave. */
export const clusterSection = z
  .object({
    /** This instance's name (default: host name and role). Stable across restarts. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    /** Zones this collector serves; empty = every zone in the inventory. */
    zones: z.array(z.string().min(1)).default([]),
    /** A member writes its heartbeat this often... */
    heartbeatS: z.number().min(0.5).max(60).default(3),
    /** ...and is gone when none came for this long (its devices go to the others). */
    memberTtlS: z.number().min(1).max(300).default(10),
    /**
     * Collector and core: serve GET /metrics (and /healthz) on this port (`--port` overrides; absent:
     * none). The web role has /metrics on its own HTTP port.
     */
    metricsPort: z.number().int().min(0).max(65535).optional(),
    metricsHost: z.string().min(1).default('127.0.0.1'),
  })
  .strict()
  .refine((c) => c.memberTtlS >= 2 * c.heartbeatS, {
    message: 'memberTtlS must be at least 2 × heartbeatS',
    path: ['memberTtlS'],
  });

export type ClusterConfig = z.infer<typeof clusterSection>;
