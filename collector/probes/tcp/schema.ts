import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

/** `device.probes.tcp`: a port on the device's address accepts connections (a database, SMTP, SSH…). */
export const tcpProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    port: z.number().int().min(1).max(65535),
    intervalS: z.number().int().min(1).max(86400).optional(),
  })
  .strict();

export const tcpSchemaPart = defineSchemaPart({
  kind: 'tcp',
  inventory: tcpProbeSchema.optional(),
  settings: undefined,
  defaults: { intervalS: 30, concurrency: 32, timeoutMs: 5000, recheckMs: 2000 },
});
