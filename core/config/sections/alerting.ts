import { z } from 'zod';
import { CHANNELS } from '../../../alerting/notify/channels/list.js';
import { DEVICE_TYPES } from '../../vocabulary/device-types.js';
import { SEVERITIES } from '../../vocabulary/severities.js';

const groupName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'group name: lowercase letters, digits, "-" and "_"');

const thresholds = z
  .object({
    downAfter: z.number().int().min(1).max(100).optional(),
    upAfter: z.number().int().min(1).max(100).optional(),
  })
  .strict();

// Each channel's settings and recipients come from the channel list (alerting/notify/channels/list.ts).
type Channel = (typeof CHANNELS)[number];
type RecipientsShape = { [C in Channel as C['name']]: z.ZodDefault<z.ZodArray<C['recipient']>> };
type ChannelConfigShape = { [C in Channel as C['name']]: z.ZodOptional<C['config']> };
const recipientsShape = Object.fromEntries(
  CHANNELS.map((c) => [c.name, z.array(c.recipient).default([])]),
) as unknown as RecipientsShape;
const channelConfigShape = Object.fromEntries(
  CHANNELS.map((c) => [c.name, c.config.optional()]),
) as unknown as ChannelConfigShape;

const groupSchema = z
  .object({
    /** Language of this group's messages; defaults to notifications.language. */
    language: z.enum(['id', 'en']).optional(),
    /** Recipients per channel: Telegram chat ids, email addresses, webhook URLs (JSON POST, HMAC-SHA256 signed). */
    ...recipientsShape,
  })
  .strict();

const routeSchema = z
  .object({
    name: z.string().optional(),
    /** Every given field must match; an empty match matches everything. */
    match: z
      .object({
        kecamatan: z.array(z.string()).optional(),
        type: z.array(z.string()).optional(),
        severity: z.array(z.enum(SEVERITIES)).optional(),
        tags: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
    groups: z.array(groupName).min(1),
    /** Each step notifies more groups when the alert is still not acknowledged `afterMin` minutes after it opened. */
    escalate: z
      .array(z.object({ afterMin: z.number().int().min(1).max(10080), groups: z.array(groupName).min(1) }).strict())
      .default([]),
    /** Keep evaluating later routes after this one matched. */
    continue: z.boolean().default(false),
  })
  .strict();

const notificationsSchema = z
  .object({
    language: z.enum(['id', 'en']).default('id'),
    /** Alerts raised (or resolved) within this many seconds go out as one message per group. 0 = immediately. */
    stormWindowS: z.number().int().min(0).max(3600).default(10),
    sendRecovery: z.boolean().default(true),
    retry: z
      .object({
        initialS: z.number().min(0.1).max(3600).default(5),
        maxS: z.number().min(1).max(86400).default(300),
        /** A message still failing after this long is given up (and logged as an error). */
        maxAgeH: z.number().min(0.01).max(720).default(48),
        timeoutS: z.number().min(1).max(300).default(15),
      })
      .strict()
      .default({ initialS: 5, maxS: 300, maxAgeH: 48, timeoutS: 15 }),
    ...channelConfigShape,
    groups: z.record(groupName, groupSchema).default({}),
  })
  .strict();

export const alertingSection = z
  .object({
    /** Threshold rules file relative to the config file; the shipped defaults apply when absent. */
    rulesFile: z.string().optional(),
    /** Consecutive failed ICMP results before DOWN, and successes before UP again. */
    downAfter: z.number().int().min(1).max(100).default(3),
    upAfter: z.number().int().min(1).max(100).default(2),
    /** Per device type overrides of downAfter/upAfter. */
    byType: z.partialRecord(z.enum(DEVICE_TYPES), thresholds).default({}),
    /** Consecutive failed SNMP or ONVIF results (with ICMP fine) before DEGRADED. */
    degradedAfter: z.number().int().min(1).max(100).default(3),
    flapping: z
      .object({
        /** Reachability flips (answer ↔ no answer) within windowS that make a device FLAPPING. */
        threshold: z.number().int().min(2).max(1000).default(6),
        windowS: z.number().int().min(10).max(86400).default(600),
        /** FLAPPING clears after this long without a flip. */
        quietS: z.number().int().min(10).max(86400).default(600),
      })
      .strict()
      .default({ threshold: 6, windowS: 600, quietS: 600 }),
    /**
     * No data (ADR 0406): a device whose reachability results stop arriving (its collector gone, its
     * probe kind stalled) turns UNKNOWN "no data since …" instead of keeping its last state, once
     * silent for max(intervals × its reachability probe's interval, minS). Counted from pantau's start
     * at the earliest (the start grace), and not while the results' path is known to be down (this
     * process's collector stopping, the core's Redis link away). One warning alert per zone.
     */
    noData: z
      .object({
        enabled: z.boolean().default(true),
        intervals: z.number().min(2).max(1000).default(6),
        /** Above the cluster's collector handover (≈ 20-23 s, docs/scale.md), with room to spare. */
        minS: z.number().int().min(30).max(86400).default(60),
      })
      .strict()
      .default({ enabled: true, intervals: 6, minS: 60 }),
    /** How often timers run (for-durations, escalation, maintenance, outbox retries). */
    tickS: z.number().min(0.1).max(60).default(2),
    notifications: notificationsSchema.default(notificationsSchema.parse({})),
    /** First matching route (plus later ones while `continue`) decides the groups; none matching → nobody. */
    routing: z.array(routeSchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const groups = cfg.notifications.groups;
    cfg.routing.forEach((r, i) => {
      const names = [...r.groups, ...r.escalate.flatMap((e) => e.groups)];
      for (const g of names) {
        if (!(g in groups))
          ctx.addIssue({
            code: 'custom',
            path: ['routing', i],
            message: `unknown notification group "${g}" (define it under notifications.groups)`,
          });
      }
    });
    for (const [name, g] of Object.entries(groups)) {
      for (const c of CHANNELS) {
        if (g[c.name].length > 0 && !cfg.notifications[c.name])
          ctx.addIssue({
            code: 'custom',
            path: ['notifications', 'groups', name, c.name],
            message: `${c.name} recipients need notifications.${c.name} (${c.needs})`,
          });
      }
    }
  });

export type AlertingConfig = z.infer<typeof alertingSection>;
export type NotificationsConfig = AlertingConfig['notifications'];
export type RouteConfig = AlertingConfig['routing'][number];
