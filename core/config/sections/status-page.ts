import { z } from 'zod';
import { DEVICE_TYPES } from '../../inventory/schema.js';

/** A public text in Bahasa Indonesia, optionally with its English form (`"x"` is both). */
export const localizedText = z.union([
  z.string().trim().min(1).max(120),
  z.object({ id: z.string().trim().min(1).max(120), en: z.string().trim().min(1).max(120).optional() }).strict(),
]);
export type LocalizedText = z.infer<typeof localizedText>;

const deviceId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a device id of the inventory');

/** One thing the public sees: a device of the inventory under a public name (its inventory name by default). */
const entrySchema = z
  .object({
    device: deviceId,
    /** What the public reads; default: the device's inventory name. Never shown: the id, the address. */
    name: localizedText.optional(),
  })
  .strict();

const groupSchema = z
  .object({
    name: localizedText,
    /** Every device of these types, each under its inventory name (e.g. [wifi] = every public Wi-Fi point). */
    types: z.array(z.enum(DEVICE_TYPES)).min(1).optional(),
    /** Devices listed one by one, under public names. */
    entries: z.array(entrySchema).min(1).max(200).optional(),
    /** The 90-day availability bar: one per entry, one for the whole group, or none. */
    bars: z.enum(['entry', 'group', 'none']).default('entry'),
  })
  .strict()
  .refine((g) => g.types !== undefined || g.entries !== undefined, {
    message: 'give `types` or `entries` (what the group shows)',
  });

/**
 * The public status page (/status, no login; docs/adr/0710). Absent or `enabled: false`: /status is
 * not served. Only what is listed here is public, under the names given here; device ids, addresses
 * and internal comments never are.
 */
export const statusPageSection = z
  .object({
    enabled: z.boolean().default(true),
    title: localizedText.default({ id: 'Status Layanan Publik', en: 'Public services status' }),
    /** One line under the title (who runs it, where to report a problem). */
    description: localizedText.optional(),
    /** Default language of the page (?lang=en / ?lang=id switch it); default server.language. */
    language: z.enum(['id', 'en']).optional(),
    /** Days in the availability bars (per day in the region's zone). */
    historyDays: z.number().int().min(7).max(90).default(90),
    /** Resolved incidents stay on the page and in the feed this many days. */
    incidentDays: z.number().int().min(1).max(90).default(14),
    /**
     * The page is rendered at most once per state change and at least every `cacheS` seconds; browsers
     * and proxies may keep it this long too (Cache-Control max-age).
     */
    cacheS: z.number().int().min(1).max(300).default(15),
    groups: z.array(groupSchema).min(1).max(30),
  })
  .strict();

export type StatusPageConfig = z.infer<typeof statusPageSection>;
export type StatusGroupConfig = StatusPageConfig['groups'][number];

/** Inventory cross-check: every listed device exists (path, message) — run by the config loader. */
export function statusPageProblems(
  sp: StatusPageConfig | undefined,
  known: ReadonlySet<string>,
): { path: (string | number)[]; message: string }[] {
  if (!sp) return [];
  const out: { path: (string | number)[]; message: string }[] = [];
  sp.groups.forEach((g, gi) =>
    g.entries?.forEach((e, ei) => {
      if (!known.has(e.device))
        out.push({
          path: ['statusPage', 'groups', gi, 'entries', ei, 'device'],
          message: `unknown device "${e.device}" (not in the inventory)`,
        });
    }),
  );
  return out;
}
