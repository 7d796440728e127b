import { z } from 'zod';
import { secretString } from '../secret-schema.js';

export const serverSection = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(3000),
  /** Signs session cookies; generated and kept in the store when absent. */
  sessionSecret: secretString().optional(),
  /** Map tiles; the page stays useful (markers and lines on a plain background) when they fail. */
  tileUrl: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  language: z.enum(['id', 'en']).default('id'),
}).strict();

export type ServerConfig = z.infer<typeof serverSection>;
