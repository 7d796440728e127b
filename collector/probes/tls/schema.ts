import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);
export const TLS_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

/**
 * `device.probes.tls`: the certificate of a service. Host and port default to those of
 * `probes.http.url`; the connection goes to the device's address with the host name as SNI.
 */
export const tlsProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'a host name')
      .optional(),
    port: z.number().int().min(1).max(65535).optional(),
    intervalS: intervalS.optional(),
  })
  .strict();

/** `collector.tls` in pantau.yaml. Expiry thresholds are alert rules (tls_expiry_days in config/rules). */
export const tlsSettingsSchema = z
  .object({
    /** Extra trusted CAs (PEM file, relative to pantau.yaml) beside the system roots; empty = system roots only. */
    caFile: z.string().default(''),
    /** Older protocols than this fail the check with PANTAU_PROBE_TLS_PROTOCOL. */
    minProtocol: z.enum(TLS_PROTOCOLS).default('TLSv1.2'),
  })
  .strict()
  .default({ caFile: '', minProtocol: 'TLSv1.2' });

export type TlsSettings = z.infer<typeof tlsSettingsSchema>;

export const tlsSchemaPart = defineSchemaPart({
  kind: 'tls',
  inventory: tlsProbeSchema.optional(),
  settings: tlsSettingsSchema,
  // A certificate changes rarely: every 5 minutes is plenty and keeps handshakes off busy servers.
  defaults: { intervalS: 300, concurrency: 8, timeoutMs: 8000, recheckMs: 10000 },
});
