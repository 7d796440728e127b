import { z } from 'zod';
import { secretString } from '../secret-schema.js';

export const serverSection = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(3000),
    /**
     * Optional HMAC key for the session tokens kept in the store: with it, a copy of the database
     * cannot even be matched against a stolen cookie. Tokens are random either way (docs/adr/0500).
     */
    sessionSecret: secretString().optional(),
    /** Sliding session lifetime; a wall screen that stays open keeps its session. */
    sessionTtlHours: z
      .number()
      .min(0.1)
      .max(24 * 90)
      .default(12),
    /** Login throttle (ADR 0506): `max` wrong passwords per address before its delays start (they hold only usernames failing themselves); `windowS` the longest delay. Per username: 5 free, then 1 s doubling. */
    loginRateLimit: z
      .object({
        windowS: z.number().int().min(1).max(86400).default(300),
        max: z.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .default({ windowS: 300, max: 10 }),
    /** Behind a reverse proxy (TLS termination): trust X-Forwarded-* from it (express "trust proxy"). */
    trustProxy: z.union([z.boolean(), z.string(), z.number().int()]).default(false),
    /** Map tiles; the page stays useful (markers and lines on a plain background) when they fail. */
    tileUrl: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    language: z.enum(['id', 'en']).default('id'),
  })
  .strict();

export type ServerConfig = z.infer<typeof serverSection>;
