import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);

/** `device.probes.icmp`: on for every device unless switched off. */
export const icmpProbeSchema = z.object({
  enabled: z.boolean().default(true),
  intervalS: intervalS.optional(),
}).strict();

/** `collector.icmp` in pantau.yaml. */
export const icmpSettingsSchema = z.object({
  engine: z.enum(['auto', 'fping', 'ping']).default('auto'),
  count: z.number().int().min(1).max(20).default(3),
  intervalMs: z.number().int().min(1).max(10000).default(20),
  timeoutMs: z.number().int().min(10).max(10000).default(500),
}).strict().default({ engine: 'auto', count: 3, intervalMs: 20, timeoutMs: 500 });

export const icmpSchemaPart = defineSchemaPart({
  kind: 'icmp',
  inventory: icmpProbeSchema.default({ enabled: true }),
  settings: icmpSettingsSchema,
  defaults: { intervalS: 10, concurrency: 4, timeoutMs: 3000, recheckMs: 500 },
});
