import { z } from 'zod';

const seconds = z.number().int().min(1).max(86400);
const perKind = <T extends z.ZodType>(t: T) => z.object({ icmp: t, snmp: t, onvif: t });

export const collectorSection = z.object({
  /** Poll intervals in seconds per probe kind; `byType` overrides per device type. */
  intervals: perKind(seconds).partial().default({}).transform((v) => ({ icmp: 10, snmp: 60, onvif: 60, ...v })),
  intervalsByType: z.partialRecord(z.enum(['fiber', 'cctv', 'wifi', 'village']), perKind(seconds).partial()).default({}),
  /**
   * After a probe result that changes the picture (a first failure, a first success after failures),
   * the same probe runs again this many ms later until the alert engine can decide (Nagios's retry
   * interval; ADR 0205). 0 = wait for the next scheduled poll.
   */
  recheckMs: perKind(z.number().int().min(0).max(600000)).partial().default({}).transform((v) => ({ icmp: 500, snmp: 5000, onvif: 10000, ...v })),
  /** Probes in flight per kind (ICMP: fping sweeps of up to icmp.batchHosts hosts); see docs/adr/0206. */
  concurrency: perKind(z.number().int().min(1).max(10000)).partial().default({}).transform((v) => ({ icmp: 16, snmp: 64, onvif: 16, ...v })),
  timeoutsMs: perKind(z.number().int().min(50).max(120000)).partial().default({}).transform((v) => ({ icmp: 3000, snmp: 5000, onvif: 8000, ...v })),
  icmp: z.object({
    engine: z.enum(['auto', 'fping', 'ping']).default('auto'),
    count: z.number().int().min(1).max(20).default(3),
    intervalMs: z.number().int().min(1).max(10000).default(20),
    timeoutMs: z.number().int().min(10).max(10000).default(500),
    /** Most hosts per fping run; the hosts due in one second are split into runs of this size, in parallel. */
    batchHosts: z.number().int().min(1).max(10000).default(1000),
    /**
     * Pause between any two packets of one fping run (fping -i, ms; fractions allowed). 1 ms made
     * 1,000 hosts × 3 pings take 4 s; 0.25 ms takes 1.7 s with no loss on loopback (docs/adr/0206).
     */
    spacingMs: z.number().min(0.1).max(1000).default(0.25),
  }).strict().default({ engine: 'auto', count: 3, intervalMs: 20, timeoutMs: 500, batchHosts: 1000, spacingMs: 0.25 }),
  snmp: z.object({
    /** Re-sends per request: 2 rides out a lost datagram or two on a lossy rural link (ADR 0205). */
    retries: z.number().int().min(0).max(5).default(2),
    maxRepetitions: z.number().int().min(1).max(200).default(20),
  }).strict().default({ retries: 2, maxRepetitions: 20 }),
  traps: z.object({
    enabled: z.boolean().default(true),
    address: z.string().default('0.0.0.0'),
    port: z.number().int().min(1).max(65535).default(162),
  }).strict().default({ enabled: true, address: '0.0.0.0', port: 162 }),
  onvif: z.object({
    /** Camera clock further off than this (seconds) fails the check with PANTAU_PROBE_CLOCK_DRIFT. */
    maxClockDriftS: z.number().min(0).max(86400).default(5),
  }).strict().default({ maxClockDriftS: 5 }),
  /**
   * Folder of vendor profile YAML files, relative to the config file; every file defines a vendor
   * the inventory may use. Absent: a `profiles` folder next to the config, else the shipped profiles.
   */
  profilesDir: z.string().min(1).optional(),
}).strict();

export type CollectorConfig = z.infer<typeof collectorSection>;
