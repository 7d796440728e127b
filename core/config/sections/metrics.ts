import { z } from 'zod';
import { secretString } from '../secret-schema.js';

export const metricsSection = z.object({
  /** none: recent metrics only in memory (the embedded default). */
  sink: z.enum(['none', 'influx1', 'influx2']).default('none'),
  influx1: z.object({
    url: z.url().default('http://127.0.0.1:8086'),
    database: z.string().min(1).default('pantau'),
    username: z.string().optional(),
    password: secretString().optional(),
  }).strict().optional(),
  influx2: z.object({
    url: z.url(),
    token: secretString(),
    org: z.string().min(1),
    bucket: z.string().min(1),
  }).strict().optional(),
  batchSize: z.number().int().min(1).max(100000).default(5000),
  flushIntervalMs: z.number().int().min(50).max(600000).default(1000),
  outbox: z.object({
    path: z.string().default('.pantau/outbox.db'),
    maxPoints: z.number().int().min(1000).default(5_000_000),
  }).strict().default({ path: '.pantau/outbox.db', maxPoints: 5_000_000 }),
}).strict().superRefine((v, ctx) => {
  if (v.sink === 'influx1' && !v.influx1) ctx.addIssue({ code: 'custom', path: ['influx1'], message: 'sink influx1 needs an influx1 section' });
  if (v.sink === 'influx2' && !v.influx2) ctx.addIssue({ code: 'custom', path: ['influx2'], message: 'sink influx2 needs an influx2 section' });
});

export type MetricsConfig = z.infer<typeof metricsSection>;
