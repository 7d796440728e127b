import { z } from 'zod';
import { PROBE_SCHEMAS as PROBES } from '../../../collector/probes/list.js';
import { DEVICE_TYPES } from '../../vocabulary/device-types.js';

type PolledKind = (typeof PROBES)[number]['kind'];

const seconds = z.number().int().min(1).max(86400);

// The kinds, their defaults and their own settings sections come from the probe list (ADR 0700).
const perKind = <T extends z.ZodType>(t: T) =>
  z.object(Object.fromEntries(PROBES.map((p) => [p.kind, t])) as Record<PolledKind, T>);
const defaultsOf = (pick: (d: (typeof PROBES)[number]['defaults']) => number) =>
  Object.fromEntries(PROBES.map((p) => [p.kind, pick(p.defaults)])) as Record<PolledKind, number>;

type SettingsShape = { [P in (typeof PROBES)[number] as P['kind']]: NonNullable<P['settings']> };
const settingsShape = Object.fromEntries(
  PROBES.filter((p) => p.settings).map((p) => [p.kind, p.settings]),
) as SettingsShape;

export const collectorSection = z
  .object({
    /** Poll intervals in seconds per probe kind; `byType` overrides per device type. */
    intervals: perKind(seconds)
      .partial()
      .default({})
      .transform((v) => ({ ...defaultsOf((d) => d.intervalS), ...v })),
    intervalsByType: z.partialRecord(z.enum(DEVICE_TYPES), perKind(seconds).partial()).default({}),
    /**
     * After a probe result that changes the picture (a first failure, a first success after failures),
     * the same probe runs again this many ms later until the alert engine can decide (Nagios's retry
     * interval; ADR 0205). 0 = wait for the next scheduled poll.
     */
    recheckMs: perKind(z.number().int().min(0).max(600000))
      .partial()
      .default({})
      .transform((v) => ({ ...defaultsOf((d) => d.recheckMs), ...v })),
    /** Probes in flight per kind (ICMP: fping sweeps of up to icmp.batchHosts hosts); see docs/adr/0206. */
    concurrency: perKind(z.number().int().min(1).max(10000))
      .partial()
      .default({})
      .transform((v) => ({ ...defaultsOf((d) => d.concurrency), ...v })),
    /**
     * Threads that run the SNMP and ONVIF probes beside the main thread (ADR 0208). `auto`: none below
     * 2,000 polled devices, else one per spare CPU core (1–4); 0 = everything in the main thread.
     */
    workers: z.union([z.literal('auto'), z.number().int().min(0).max(16)]).default('auto'),
    timeoutsMs: perKind(z.number().int().min(50).max(120000))
      .partial()
      .default({})
      .transform((v) => ({ ...defaultsOf((d) => d.timeoutMs), ...v })),
    ...settingsShape,
    traps: z
      .object({
        enabled: z.boolean().default(true),
        address: z.string().default('0.0.0.0'),
        port: z.number().int().min(1).max(65535).default(162),
      })
      .strict()
      .default({ enabled: true, address: '0.0.0.0', port: 162 }),
    /**
     * Folder of vendor profile YAML files, relative to the config file; every file defines a vendor
     * the inventory may use. Absent: a `profiles` folder next to the config, else the shipped profiles.
     */
    profilesDir: z.string().min(1).optional(),
  })
  .strict();

export type CollectorConfig = z.infer<typeof collectorSection>;
