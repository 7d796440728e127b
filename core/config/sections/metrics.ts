import { z } from 'zod';
import { secretString } from '../secret-schema.js';
import { DEFAULT_DATABASE } from '../../vocabulary/measurements.js';

/** An InfluxQL duration pantau understands: hours, days or weeks (e.g. 30d, 104w). */
const influxDuration = z.string().regex(/^[1-9]\d*[hdw]$/, 'duration like 48h, 30d or 104w');

export const metricsSection = z
  .object({
    /** none: recent metrics only in memory (the embedded default). */
    sink: z.enum(['none', 'influx1', 'influx2']).default('none'),
    influx1: z
      .object({
        url: z.url().default('http://127.0.0.1:8086'),
        database: z.string().min(1).default(DEFAULT_DATABASE),
        username: z.string().optional(),
        password: secretString().optional(),
      })
      .strict()
      .optional(),
    influx2: z
      .object({
        url: z.url(),
        token: secretString(),
        org: z.string().min(1),
        bucket: z.string().min(1),
      })
      .strict()
      .optional(),
    batchSize: z.number().int().min(1).max(100000).default(5000),
    flushIntervalMs: z.number().int().min(50).max(600000).default(1000),
    /** Batches in flight at once while the sink is healthy (ADR 0302); after a failure, one at a time. */
    concurrency: z.number().int().min(1).max(16).default(2),
    outbox: z
      .object({
        path: z.string().default('.pantau/outbox.db'),
        maxPoints: z.number().int().min(1000).default(5_000_000),
      })
      .strict()
      .default({ path: '.pantau/outbox.db', maxPoints: 5_000_000 }),
    /** Backoff between attempts while InfluxDB is unreachable or answers 5xx. */
    retry: z
      .object({
        minDelayMs: z.number().int().min(10).max(60000).default(250),
        maxDelayMs: z.number().int().min(10).max(600000).default(30000),
        requestTimeoutMs: z.number().int().min(100).max(300000).default(10000),
      })
      .strict()
      .default({ minDelayMs: 250, maxDelayMs: 30000, requestTimeoutMs: 10000 }),
    /** InfluxDB 1.x: raw retention policy + 5-minute rollups by continuous queries, set up on start. */
    retention: z
      .object({
        manage: z.boolean().default(true),
        raw: influxDuration.default('30d'),
        rollup: influxDuration.default('104w'),
      })
      .strict()
      .default({ manage: true, raw: '30d', rollup: '104w' }),
    /** sink none: how many recent points per device and series the in-memory history keeps. */
    memory: z
      .object({
        pointsPerSeries: z.number().int().min(10).max(100000).default(360),
      })
      .strict()
      .default({ pointsPerSeries: 360 }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.sink === 'influx1' && !v.influx1)
      ctx.addIssue({ code: 'custom', path: ['influx1'], message: 'sink influx1 needs an influx1 section' });
    if (v.sink === 'influx2' && !v.influx2)
      ctx.addIssue({ code: 'custom', path: ['influx2'], message: 'sink influx2 needs an influx2 section' });
    if (v.retry.maxDelayMs < v.retry.minDelayMs)
      ctx.addIssue({ code: 'custom', path: ['retry', 'maxDelayMs'], message: 'maxDelayMs must be >= minDelayMs' });
  });

export type MetricsConfig = z.infer<typeof metricsSection>;
