import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);

/** `device.probes.dns`: a name resolves, via a given server, to the expected answer. */
export const dnsProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** The name to resolve; default: the host of `probes.http.url`. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'a DNS name')
      .optional(),
    type: z.enum(['A', 'AAAA', 'CNAME']).default('A'),
    /** Answers that count as right (any one present); default for A: the device's address. */
    expect: z.array(z.string().min(1)).min(1).optional(),
    /** DNS server (host or host:port) for this check; default `collector.dns.server`. */
    server: z.string().min(1).optional(),
    intervalS: intervalS.optional(),
  })
  .strict();

/** `collector.dns` in pantau.yaml. */
export const dnsSettingsSchema = z
  .object({
    /** DNS server (host or host:port) the checks ask; empty = the system resolver (/etc/resolv.conf). */
    server: z.string().default(''),
  })
  .strict()
  .default({ server: '' });

export type DnsSettings = z.infer<typeof dnsSettingsSchema>;

export const dnsSchemaPart = defineSchemaPart({
  kind: 'dns',
  inventory: dnsProbeSchema.optional(),
  settings: dnsSettingsSchema,
  defaults: { intervalS: 60, concurrency: 16, timeoutMs: 5000, recheckMs: 5000 },
});
