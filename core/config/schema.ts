import { z } from 'zod';
import { credentialsSection } from './sections/credentials.js';
import { collectorSection } from './sections/collector.js';
import { metricsSection } from './sections/metrics.js';
import { alertingSection } from './sections/alerting.js';
import { serverSection } from './sections/server.js';
import { regionSchema } from '../region/schema.js';

/**
 * pantau.yaml. The single source of truth for the config's TypeScript type and for
 * config/schema.json (generated: `npm run schema`). Each section lives in its own file.
 */
export const configSchema = z.object({
  /** Inventory files (relative to this file); devices from all of them form one inventory. Required: an empty config is an error, not OKU. */
  inventory: z.array(z.string().min(1), { error: (iss) => (iss.input === undefined ? 'required: list the inventory files, e.g. [inventory/oku.yaml]' : undefined) }).min(1),
  /**
   * The regency pantau watches: a region file (relative to this file, e.g. regions/oku.yaml; start one
   * with `pantau region init <Kemendagri code>`) or the section inline. Absent: OKU (config/regions/oku.yaml).
   */
  region: z.union([z.string().min(1), regionSchema]).optional(),
  credentials: credentialsSection.default({ snmp: {}, onvif: {} }),
  collector: collectorSection.default(collectorSection.parse({})),
  metrics: metricsSection.default(metricsSection.parse({})),
  alerting: alertingSection.default(alertingSection.parse({})),
  server: serverSection.default(serverSection.parse({})),
  store: z.object({ path: z.string().default('.pantau/pantau.db') }).strict().default({ path: '.pantau/pantau.db' }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).strict();

export type Config = z.infer<typeof configSchema>;

/** The JSON Schema of pantau.yaml as a user writes it (before defaults and transforms). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
