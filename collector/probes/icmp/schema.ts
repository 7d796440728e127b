import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);

/** `device.probes.icmp`: on for every device unless switched off. */
export const icmpProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    intervalS: intervalS.optional(),
  })
  .strict();

/** `collector.icmp` in pantau.yaml. */
export const icmpSettingsSchema = z
  .object({
    engine: z.enum(['auto', 'fping', 'ping']).default('auto'),
    count: z.number().int().min(1).max(20).default(3),
    intervalMs: z.number().int().min(1).max(10000).default(20),
    timeoutMs: z.number().int().min(10).max(10000).default(500),
    /** Most hosts per fping run; the hosts due in one second are split into runs of this size, in parallel. */
    batchHosts: z.number().int().min(1).max(10000).default(1000),
    /**
     * Pause between any two packets of one fping run (fping -i, ms; fractions allowed). 1 ms made
     * 1,000 hosts × 3 pings take 4 s; 0.25 ms takes 1.7 s with no loss on loopback (docs/adr/0206).
     */
    spacingMs: z.number().min(0.1).max(1000).default(0.25),
  })
  .strict()
  .default({ engine: 'auto', count: 3, intervalMs: 20, timeoutMs: 500, batchHosts: 1000, spacingMs: 0.25 });

export const icmpSchemaPart = defineSchemaPart({
  kind: 'icmp',
  inventory: icmpProbeSchema.default({ enabled: true }),
  settings: icmpSettingsSchema,
  defaults: { intervalS: 10, concurrency: 16, timeoutMs: 3000, recheckMs: 500 },
});
