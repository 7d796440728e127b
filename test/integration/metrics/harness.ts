/** Shared wiring for the metrics integration tests: config, captured logs, polling. */
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsSection, type MetricsConfig } from '../../../core/config/sections/metrics.js';
import { createLogger, type Logger } from '../../../core/logger.js';

export function metricsConfig(input: Record<string, unknown>): { metrics: MetricsConfig } {
  return { metrics: metricsSection.parse(input) };
}

/** A pino logger whose JSON lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ level: 'info', destination: dest }), lines };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-sink-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** COUNT(field) per measurement from InfluxQL results (0 when the measurement is absent). */
export function countOf(res: { results: Array<{ series?: Array<{ values: unknown[][] }> }> }): number {
  const v = res.results[0]?.series?.[0]?.values[0]?.[1];
  return typeof v === 'number' ? v : 0;
}
