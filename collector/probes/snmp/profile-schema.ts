import { z } from 'zod';

const oid = z.string().regex(/^\d+(\.\d+)+$/, 'OID: dotted numbers, e.g. 1.3.6.1.2.1.1.3.0');

const rowFilter = z
  .object({
    oid,
    equals: z.array(z.number()).min(1).optional(),
    matches: z
      .string()
      .min(1)
      .refine((r) => {
        try {
          new RegExp(r, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .strict()
  .refine((f) => (f.equals === undefined) !== (f.matches === undefined), 'give exactly one of equals or matches');

const labelCapture = z
  .object({
    oid,
    capture: z
      .string()
      .min(1)
      .refine((r) => {
        try {
          new RegExp(r, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression'),
  })
  .strict();

/**
 * One metric a profile reads. value = (raw + offset) * scale [/ 10^precision], skipped when raw
 * is one of `sentinels` ("no reading": 2147483647, 65535000 …).
 */
export const profileMetricSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'metric name: snake_case, e.g. optical_rx_dbm'),
    oid,
    /** true: walk the column and emit one value per row (or one aggregate); false: GET the exact OID. */
    walk: z.boolean().default(false),
    scale: z.number().default(1),
    offset: z.number().default(0),
    unit: z.string().min(1),
    sentinels: z.array(z.number()).default([]),
    /** Combine the rows of a walk into one value (e.g. Wi-Fi clients summed over radios). */
    aggregate: z.enum(['none', 'sum', 'avg', 'max', 'min']).default('none'),
    /** Label name for the row index when rows are not aggregated. */
    indexLabel: z.string().default('index'),
    /**
     * label name → column OID read at the same row index (e.g. the port name), or `{ oid, capture }`:
     * the regex's first group of that text (e.g. "SFP1" from the sensor name "SFP1 Rx Power", so a
     * port's rx and tx sensors share one label); the whole text when the regex does not match.
     */
    labels: z.record(z.string(), z.union([oid, labelCapture])).default({}),
    /**
     * Keep only rows whose column `oid` has one of `equals` (e.g. ENTITY-SENSOR type 14 = dBm) or whose
     * text `matches` a case-insensitive regex (e.g. entPhysicalName "Rx Power"); a list must all hold.
     */
    filter: z.union([rowFilter, z.array(rowFilter).min(1)]).optional(),
    /** Column holding a per-row decimal precision (ENTITY-SENSOR): value / 10^precision. */
    precisionOid: oid.optional(),
  })
  .strict();

export const profileFileSchema = z
  .object({
    vendor: z.string().regex(/^[a-z][a-z0-9-]*$/),
    description: z.string().optional(),
    /** Another profile's vendor name whose metrics come first (one with the same name and OID here replaces it). */
    extends: z.string().optional(),
    /**
     * Metric names of the extended profile NOT read for this vendor, because this profile reads them
     * from its own MIB (e.g. MikroTik optics from mtxrOpticalTable rather than ENTITY-SENSOR): one
     * source per metric, no second series of the same quantity (docs/adr/0204).
     */
    replaces: z.array(z.string()).default([]),
    metrics: z.array(profileMetricSchema).default([]),
  })
  .strict();

export type ProfileMetricDef = z.infer<typeof profileMetricSchema>;
export type ProfileFile = z.infer<typeof profileFileSchema>;

/** A profile with `extends` resolved. */
export interface VendorProfile {
  vendor: string;
  file: string;
  metrics: ProfileMetricDef[];
}
