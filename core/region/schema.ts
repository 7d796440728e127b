import { z } from 'zod';

/**
 * Indonesia's three time zones, fixed offsets (no daylight saving). IANA names for tools that
 * want them (Grafana, Intl).
 */
export const TIME_ZONES = {
  WIB: { offsetMin: 7 * 60, iana: 'Asia/Jakarta' },
  WITA: { offsetMin: 8 * 60, iana: 'Asia/Makassar' },
  WIT: { offsetMin: 9 * 60, iana: 'Asia/Jayapura' },
} as const;
export type TimeZoneName = keyof typeof TIME_ZONES;
export const TIME_ZONE_NAMES = Object.keys(TIME_ZONES) as TimeZoneName[];

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);

/** A GeoJSON Polygon or MultiPolygon (coordinates as [lon, lat], per RFC 7946). */
const position = z.tuple([lon, lat]).rest(z.number());
const ring = z.array(position).min(4);
export const boundarySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }).strict(),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }).strict(),
]);

export const kecamatanSchema = z
  .object({
    /** Stable id: the Kemendagri code (e.g. 16.01.28) or a slug. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$/, 'id: letters, digits, "." or "-" (a Kemendagri code like 16.01.28)'),
    /** The name the inventory's `kecamatan` field uses and the page shows. */
    name: z.string().trim().min(1).max(80),
    centroid: z.object({ lat, lon }).strict().optional(),
    boundary: boundarySchema.optional(),
  })
  .strict();

export const boundsSchema = z
  .object({ minLat: lat, maxLat: lat, minLon: lon, maxLon: lon })
  .strict()
  .refine((b) => b.minLat < b.maxLat, { message: 'minLat must be below maxLat', path: ['maxLat'] })
  .refine((b) => b.minLon < b.maxLon, { message: 'minLon must be below maxLon', path: ['maxLon'] });

/**
 * The place pantau watches: a regency or city, its kecamatan, where the map opens and which clock
 * operators read. OKU's is config/regions/oku.yaml (the default when pantau.yaml names none).
 */
export const regionSchema = z
  .object({
    /** Kemendagri regency code, e.g. "16.01" (OKU). */
    code: z
      .string()
      .regex(/^\d{2}\.\d{2}$/, 'code: a Kemendagri regency code like "16.01"')
      .optional(),
    /** Full name, e.g. "Kabupaten Ogan Komering Ulu". */
    name: z.string().trim().min(1).max(120),
    /** Short name for headers and messages, e.g. "OKU". */
    shortName: z.string().trim().min(1).max(40),
    timeZone: z.enum(TIME_ZONE_NAMES as [TimeZoneName, ...TimeZoneName[]]),
    /** Devices outside this box are typos (generous by a few km). Absent: only Indonesia's box is checked. */
    bounds: boundsSchema.optional(),
    /** Where the map opens (and "home" returns) when it has no devices to fit. */
    home: z
      .object({ lat, lon, zoom: z.number().int().min(1).max(19).default(11) })
      .strict()
      .optional(),
    kecamatan: z.array(kecamatanSchema).min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    const ids = new Map<string, number>();
    const names = new Map<string, number>();
    r.kecamatan.forEach((k, i) => {
      if (ids.has(k.id))
        ctx.addIssue({
          code: 'custom',
          path: ['kecamatan', i, 'id'],
          message: `duplicate kecamatan id "${k.id}" (also kecamatan[${ids.get(k.id)}])`,
        });
      else ids.set(k.id, i);
      const key = k.name.toLowerCase();
      if (names.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['kecamatan', i, 'name'],
          message: `duplicate kecamatan name "${k.name}" (also kecamatan[${names.get(key)}])`,
        });
      else names.set(key, i);
    });
  });

export type Region = z.infer<typeof regionSchema>;
export type RegionBounds = NonNullable<Region['bounds']>;

/** Indonesia's box (with margin): the coordinate check when a region has no bounds of its own. */
export const INDONESIA_BOUNDS: RegionBounds = { minLat: -11.5, maxLat: 6.5, minLon: 94.5, maxLon: 141.5 };
