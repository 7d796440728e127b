/**
 * prom-client as pantau uses it, without @opentelemetry/api. prom-client's index loads its default
 * metrics, and one of them (process CPU, for exemplars pantau never records) requires
 * @opentelemetry/api: 63 files and ~5 MB in every pantau process (ADR 0011). Here the classes and the
 * other default metrics come from prom-client's own files, and the three process CPU counters are
 * counted here under prom-client's names, so /metrics is the same. test/unit/server/prom.test.ts
 * compares the names with prom-client's full default set, so an upgrade that changes them fails there.
 */
import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry.js') as typeof Prom.Registry;
export const Counter = require('prom-client/lib/counter.js') as typeof Prom.Counter;
export const Gauge = require('prom-client/lib/gauge.js') as typeof Prom.Gauge;
export const Histogram = require('prom-client/lib/histogram.js') as typeof Prom.Histogram;
export type Registry = Prom.Registry;
export type Counter<T extends string = string> = Prom.Counter<T>;
export type Gauge<T extends string = string> = Prom.Gauge<T>;
export type Histogram<T extends string = string> = Prom.Histogram<T>;

type DefaultMetric = (
  registry: Prom.Registry,
  config: { prefix: string; eventLoopMonitoringPrecision: number },
) => void;

/** prom-client's default metrics but processCpuTotal, in its order (lib/defaultMetrics.js). */
const DEFAULTS = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  ...(typeof (process as { getActiveResourcesInfo?: unknown }).getActiveResourcesInfo === 'function'
    ? ['processResources']
    : []),
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/** process_cpu_{user,system}_seconds_total and process_cpu_seconds_total, as prom-client counts them. */
function processCpu(registry: Prom.Registry, prefix: string): void {
  let last = process.cpuUsage();
  const user = new Counter({
    name: `${prefix}process_cpu_user_seconds_total`,
    help: 'Total user CPU time spent in seconds.',
    registers: [registry],
    // One collect sets all three, like prom-client's own.
    collect() {
      const now = process.cpuUsage();
      const u = now.user - last.user;
      const s = now.system - last.system;
      last = now;
      user.inc(u / 1e6);
      system.inc(s / 1e6);
      total.inc((u + s) / 1e6);
    },
  });
  const system = new Counter({
    name: `${prefix}process_cpu_system_seconds_total`,
    help: 'Total system CPU time spent in seconds.',
    registers: [registry],
  });
  const total = new Counter({
    name: `${prefix}process_cpu_seconds_total`,
    help: 'Total user and system CPU time spent in seconds.',
    registers: [registry],
  });
}

/** prom-client's `collectDefaultMetrics({ register, prefix })`, with the same metric names. */
export function collectDefaultMetrics(o: { register: Prom.Registry; prefix: string }): void {
  const config = { prefix: o.prefix, eventLoopMonitoringPrecision: 10 };
  processCpu(o.register, o.prefix);
  for (const name of DEFAULTS) (require(`prom-client/lib/metrics/${name}.js`) as DefaultMetric)(o.register, config);
}
