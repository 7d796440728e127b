import { z } from 'zod';
import { credentialsSection } from './sections/credentials.js';
import { collectorSection } from './sections/collector.js';
import { metricsSection } from './sections/metrics.js';
import { alertingSection } from './sections/alerting.js';
import { serverSection } from './sections/server.js';
import { clusterSection, redisSection } from './sections/redis.js';

/**
 * pantau.yaml. The single source of truth for the config's TypeScript type and for
 * config/schema.json (generated: `npm run schema`). Each section lives in its own file.
 */
export const configSchema = z.object({
  /** Inventory files (relative to this file); devices from all of them form one inventory. */
  inventory: z.array(z.string().min(1)).min(1).default(['inventory/oku.yaml']),
  credentials: credentialsSection.default({ snmp: {}, onvif: {} }),
  collector: collectorSection.default(collectorSection.parse({})),
  metrics: metricsSection.default(metricsSection.parse({})),
  alerting: alertingSection.default(alertingSection.parse({})),
  server: serverSection.default(serverSection.parse({})),
  store: z.object({ path: z.string().default('.pantau/pantau.db') }).strict().default({ path: '.pantau/pantau.db' }),
  /** Only for `pantau start --role collector|core|web` (docs/scale.md); the default single process ignores it. */
  redis: redisSection.optional(),
  cluster: clusterSection.default(clusterSection.parse({})),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).strict();

export type Config = z.infer<typeof configSchema>;

/** The JSON Schema of pantau.yaml as a user writes it (before defaults and transforms). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
