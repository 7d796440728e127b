import { z } from 'zod';
import { credentialsSection } from './sections/credentials.js';
import { collectorSection } from './sections/collector.js';
import { metricsSection } from './sections/metrics.js';
import { alertingSection } from './sections/alerting.js';
import { serverSection } from './sections/server.js';
import { regionSchema } from '../region/schema.js';
import { grafanaSection, reportsSection } from './sections/reports.js';
import { clusterSection, redisSection } from './sections/redis.js';
import { statusPageSection } from './sections/status-page.js';

/**
 * pantau.yaml. The single source of truth for the config's TypeScript type and for
 * config/schema.json (generated: `npm run schema`). Each section lives in its own file.
 */
export const configSchema = z
  .object({
    /** Inventory files (relative to this file); devices from all of them form one inventory. Required: an empty config is an error, not OKU. */
    inventory: z
      .array(z.string().min(1), {
        error: (iss) =>
          iss.input === undefined ? 'required: list the inventory files, e.g. [inventory/oku.yaml]' : undefined,
      })
      .min(1),
    /**
     * The regency pantau watches: a region file (relative to this file, e.g. regions/oku.yaml; start one
     * with `pantau region init <Kemendagri code>`) or the section inline. Absent: OKU (config/regions/oku.yaml).
     */
    region: z.union([z.string().min(1), regionSchema]).optional(),
    credentials: credentialsSection.default({ snmp: {}, onvif: {}, http: {} }),
    collector: collectorSection.default(collectorSection.parse({})),
    metrics: metricsSection.default(metricsSection.parse({})),
    alerting: alertingSection.default(alertingSection.parse({})),
    server: serverSection.default(serverSection.parse({})),
    reports: reportsSection.default(reportsSection.parse({})),
    grafana: grafanaSection.default({}),
    /** The public status page at /status (no login). Absent: not served. */
    statusPage: statusPageSection.optional(),
    store: z
      .object({ path: z.string().default('.pantau/pantau.db') })
      .strict()
      .default({ path: '.pantau/pantau.db' }),
    /** Only for `pantau start --role collector|core|web` (docs/scale.md); the default single process ignores it. */
    redis: redisSection.optional(),
    cluster: clusterSection.default(clusterSection.parse({})),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .superRefine((c, ctx) => {
    // The monthly report goes to a notification group by email: the group must exist and have email.
    const m = c.reports.monthly;
    if (!m) return;
    const g = c.alerting.notifications.groups[m.group];
    if (!g)
      ctx.addIssue({
        code: 'custom',
        path: ['reports', 'monthly', 'group'],
        message: `unknown notification group "${m.group}" (alerting.notifications.groups)`,
      });
    else if (g.email.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['reports', 'monthly', 'group'],
        message: `group "${m.group}" has no email recipients`,
      });
  });

export type Config = z.infer<typeof configSchema>;

/** The JSON Schema of pantau.yaml as a user writes it (before defaults and transforms). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
