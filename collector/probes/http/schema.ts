import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not an HTTP header name');

/**
 * `device.probes.http`: one HTTP(S) check of a service (a `service` device's reachability, ADR 0701).
 * The check connects to the device's `address` (like curl --resolve) and sends the URL's host name as
 * Host and TLS SNI, so it tests the server itself; whether the name resolves is the `dns` check's job.
 * `connect: dns` resolves the URL's host name instead (and measures the DNS time).
 */
export const httpProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
    method: z.enum(['GET', 'HEAD', 'POST', 'OPTIONS']).default('GET'),
    /** Status codes that count as working (after redirects when followRedirects). */
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
    /** Text the body must contain (e.g. the application's title): a default page or an error page lacks it. */
    contains: z.string().min(1).optional(),
    /** A regular expression the body must match. */
    regex: z
      .string()
      .min(1)
      .refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
    /** Slower than this (ms, whole request) is PANTAU_PROBE_HTTP_SLOW → DEGRADED. Default `collector.http.maxLatencyMs`. */
    maxLatencyMs: z.number().int().min(1).max(120000).optional(),
    followRedirects: z.boolean().default(true),
    /** Plain request headers. Secret ones (Authorization, API keys) belong in `credentials.http` in pantau.yaml. */
    headers: z.record(headerName, z.string()).default({}),
    /** Name of an entry under `credentials.http` in pantau.yaml whose (secret) headers are added. */
    credentials: z.string().min(1).optional(),
    connect: z.enum(['address', 'dns']).default('address'),
    intervalS: intervalS.optional(),
  })
  .strict();

/** `collector.http` in pantau.yaml. */
export const httpSettingsSchema = z
  .object({
    /** Default response-time limit of every http check (ms): slower answers are DEGRADED. */
    maxLatencyMs: z.number().int().min(1).max(120000).default(3000),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** Bytes of the body read for contains/regex (the rest is discarded). */
    maxBodyBytes: z.number().int().min(0).max(10_000_000).default(1_000_000),
    userAgent: z.string().min(1).default('pantau/0.1 (pemantauan jaringan; network monitoring)'),
    /**
     * A PEM file of extra CAs trusted beside the system roots (an in-house CA; the lab's CA), relative to
     * pantau.yaml. Empty = system roots only.
     */
    caFile: z.string().default(''),
    /** DNS server (host or host:port) for `connect: dns` checks; empty = the system resolver. */
    dnsServer: z.string().default(''),
  })
  .strict()
  .default({
    maxLatencyMs: 3000,
    maxRedirects: 5,
    maxBodyBytes: 1_000_000,
    userAgent: 'pantau/0.1 (pemantauan jaringan; network monitoring)',
    caFile: '',
    dnsServer: '',
  });

export type HttpSettings = z.infer<typeof httpSettingsSchema>;
export type HttpCheck = z.infer<typeof httpProbeSchema>;

export const httpSchemaPart = defineSchemaPart({
  kind: 'http',
  inventory: httpProbeSchema.optional(),
  settings: httpSettingsSchema,
  // 30 s: a citizen notices a dead application within a minute; the re-check (2 s) confirms a failure fast.
  defaults: { intervalS: 30, concurrency: 16, timeoutMs: 10000, recheckMs: 2000 },
});
