import { z } from 'zod';
import { PROBE_SCHEMAS } from '../../collector/probes/list.js';

import { DEVICE_ROLES, DEVICE_TYPES } from '../vocabulary/device-types.js';

export { DEVICE_ROLES, DEVICE_TYPES };
/**
 * The vendor profiles pantau ships (config/profiles). Not a closed list: any profile file in the
 * profiles folder defines a vendor an inventory may use (ADR 0202); the inventory check names them.
 */
export const SHIPPED_VENDORS = ['mikrotik', 'huawei', 'zte', 'ubiquiti', 'generic'] as const;

/**
 * OKU's 13 kecamatan, for OKU-only tools (the OKU inventory generator). Everything else reads the
 * configured region's kecamatan (config/regions/oku.yaml for OKU).
 */
export const OKU_KECAMATAN = [
  'Baturaja Timur',
  'Baturaja Barat',
  'Lengkiti',
  'Sosoh Buay Rayap',
  'Pengandonan',
  'Peninjauan',
  'Semidang Aji',
  'Ulu Ogan',
  'Muara Jaya',
  'Lubuk Batang',
  'Sinar Peninjauan',
  'Kedaton Peninjauan Raya',
  'Lubuk Raja',
] as const;

/** OKU's box as in config/regions/oku.yaml, for OKU-only tools (lab generator); the check reads the region. */
export const OKU_BOUNDS = { minLat: -4.6, maxLat: -3.8, minLon: 103.6, maxLon: 104.5 } as const;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'id must be 2-63 lowercase letters, digits or "-" (huruf kecil, angka, "-")');
const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'not an IPv4 address');
type ProbesShape = { [P in (typeof PROBE_SCHEMAS)[number] as P['kind']]: P['inventory'] };
const probesShape = Object.fromEntries(PROBE_SCHEMAS.map((p) => [p.kind, p.inventory])) as ProbesShape;

export const deviceSchema = z
  .object({
    id,
    name: z.string().min(1).max(120),
    type: z.enum(DEVICE_TYPES),
    role: z.enum(DEVICE_ROLES),
    /** A kecamatan name of the configured region (checked against it by checkInventory). */
    kecamatan: z.string().trim().min(1).max(80),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    address: ipv4,
    /** Uplink device id; null only for the core. */
    parent: id.nullable(),
    /** A vendor profile name (any profile file in the profiles folder; checked by checkInventory). */
    vendor: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,39}$/,
        'vendor: lowercase letters, digits, "-" or "_" (a profile name, e.g. mikrotik)',
      )
      .default('generic'),
    model: z.string().optional(),
    firmware: z.string().optional(),
    serial: z.string().optional(),
    tags: z.array(z.string()).default([]),
    /**
     * Which collectors poll it when pantau runs as several collectors (docs/scale.md), e.g. a
     * kabupaten or a site. Absent: the parent's zone (up to the root), else "default".
     */
    zone: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'zone: lowercase letters, digits, "-" or "_"')
      .optional(),
    /** Opening hours of a public Wi-Fi point, "HH:MM-HH:MM" WIB. */
    openingHours: z
      .string()
      .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/)
      .optional(),
    // One entry per probe kind, each kind's own schema part (ADR 0700).
    probes: z.object(probesShape).strict(),
  })
  .strict();

export const inventoryFileSchema = z
  .object({
    devices: z.array(deviceSchema),
  })
  .strict();

export type Device = z.infer<typeof deviceSchema>;
export type DeviceType = Device['type'];
export type Vendor = Device['vendor'];
export type Kecamatan = Device['kecamatan'];
