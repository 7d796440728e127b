import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);

/** `device.probes.snmp`. */
export const snmpProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    version: z.enum(['v1', 'v2c', 'v3']).default('v2c'),
    /** Name of an entry under `credentials.snmp` in pantau.yaml; never the secret itself. */
    credentials: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(161),
    intervalS: intervalS.optional(),
    /** ifIndex of the uplink port: its oper-down is an outage signal. */
    uplinkIfIndex: z.number().int().min(1).optional(),
  })
  .strict();

/** `collector.snmp` in pantau.yaml. */
export const snmpSettingsSchema = z
  .object({
    /** Re-sends per request: 2 rides out a lost datagram or two on a lossy rural link (ADR 0205). */
    retries: z.number().int().min(0).max(5).default(2),
    maxRepetitions: z.number().int().min(1).max(200).default(20),
  })
  .strict()
  .default({ retries: 2, maxRepetitions: 20 });

export const snmpSchemaPart = defineSchemaPart({
  kind: 'snmp',
  inventory: snmpProbeSchema.optional(),
  settings: snmpSettingsSchema,
  defaults: { intervalS: 60, concurrency: 64, timeoutMs: 5000, recheckMs: 5000 },
});
