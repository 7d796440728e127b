import { z } from 'zod';
import { defineSchemaPart } from '../definition.js';

const intervalS = z.number().int().min(1).max(86400);

/** `device.probes.onvif`. */
export const onvifProbeSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Name of an entry under `credentials.onvif` in pantau.yaml. */
    credentials: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(80),
    intervalS: intervalS.optional(),
  })
  .strict();

/** `collector.onvif` in pantau.yaml. */
export const onvifSettingsSchema = z
  .object({
    /** Camera clock further off than this (seconds) fails the check with PANTAU_PROBE_CLOCK_DRIFT. */
    maxClockDriftS: z.number().min(0).max(86400).default(5),
  })
  .strict()
  .default({ maxClockDriftS: 5 });

export const onvifSchemaPart = defineSchemaPart({
  kind: 'onvif',
  inventory: onvifProbeSchema.optional(),
  settings: onvifSettingsSchema,
  defaults: { intervalS: 60, concurrency: 16, timeoutMs: 8000, recheckMs: 10000 },
});
