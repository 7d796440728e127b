/**
 * What a bus entry read from Redis must look like before a handler sees it. Another machine (or a
 * bug, or a person with redis-cli) can put anything in a stream; a consumer checks every entry
 * against the topic's shape and skips what does not fit, so a handler never meets a payload its
 * types promise it will not get. Pure: parse in, verdict out.
 */
import { z } from 'zod';
import type { EventMap, Topic } from '../bus.js';
import { DEVICE_STATES } from '../types.js';
import { ALERT_STATUSES, SEVERITIES } from '../vocabulary/severities.js';

const num = z.number().finite();
const nullableNum = num.nullable();
const errorShape = z.object({ code: z.string().startsWith('PANTAU_'), message: z.string() });

const base = {
  deviceId: z.string().min(1).max(200),
  ts: num.nonnegative(),
  durationMs: num.nonnegative(),
  ok: z.boolean(),
  error: errorShape.optional(),
};

const iface = z.object({
  ifIndex: z.number().int(),
  ifName: z.string(),
  ifAlias: z.string().optional(),
  adminUp: z.boolean(),
  operUp: z.boolean(),
  speedBps: nullableNum,
  inBps: nullableNum,
  outBps: nullableNum,
  inErrors: nullableNum,
  outErrors: nullableNum,
  inDiscards: nullableNum,
  outDiscards: nullableNum,
  isUplink: z.boolean(),
});

const probeResult = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('icmp'),
    sent: num,
    received: num,
    lossPct: num,
    rttMinMs: nullableNum,
    rttAvgMs: nullableNum,
    rttMaxMs: nullableNum,
    jitterMs: nullableNum,
  }),
  z.object({
    ...base,
    kind: z.literal('snmp'),
    sysUpTimeS: nullableNum,
    sysName: z.string().nullable(),
    sysDescr: z.string().nullable(),
    rebooted: z.boolean(),
    interfaces: z.array(iface),
    metrics: z.array(
      z.object({ name: z.string(), value: num, unit: z.string(), labels: z.record(z.string(), z.string()) }),
    ),
  }),
  z.object({
    ...base,
    kind: z.literal('onvif'),
    reachable: z.boolean(),
    authenticated: z.boolean(),
    clockDriftS: nullableNum,
    info: z
      .object({
        manufacturer: z.string().optional(),
        model: z.string().optional(),
        firmware: z.string().optional(),
        serial: z.string().optional(),
      })
      .nullable(),
    mismatches: z.array(z.string()),
    snapshot: z
      .object({
        ok: z.boolean(),
        status: nullableNum,
        bytes: num,
        latencyMs: nullableNum,
        error: z.string().optional(),
      })
      .nullable(),
    rtsp: z
      .object({
        ok: z.boolean(),
        status: nullableNum,
        sdp: z.boolean(),
        latencyMs: nullableNum,
        error: z.string().optional(),
      })
      .nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('trap'),
    trap: z.enum(['linkDown', 'linkUp', 'coldStart', 'warmStart', 'other']),
    trapOid: z.string(),
    source: z.string(),
    ifIndex: z.number().int().optional(),
    ifName: z.string().optional(),
  }),
]);

const deviceStatus = z.object({
  deviceId: z.string().min(1),
  state: z.enum(DEVICE_STATES),
  since: num,
  reason: z.string().optional(),
  rootCauseId: z.string().optional(),
  noDataSince: num.optional(),
});

const alert = z
  .object({
    id: z.string().min(1),
    key: z.string(),
    rule: z.string(),
    deviceId: z.string(),
    deviceType: z.string(),
    kecamatan: z.string(),
    severity: z.enum(SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    messageKey: z.string(),
    params: z.record(z.string(), z.union([z.string(), num])),
    title: z.string(),
    affected: z.array(z.string()),
    openedAt: num,
    updatedAt: num,
  })
  .loose();

const schemas: { [T in Topic]: z.ZodType<unknown> } = {
  'probe.result': probeResult,
  'device.state': z.object({
    deviceId: z.string().min(1),
    from: z.enum(DEVICE_STATES),
    to: z.enum(DEVICE_STATES),
    at: num,
    status: deviceStatus,
  }),
  'alert.changed': alert,
  'metric.sample': z.object({
    deviceId: z.string().min(1),
    ts: num,
    name: z.string().min(1),
    value: num,
    labels: z.record(z.string(), z.string()).optional(),
  }),
  'inventory.changed': z.object({ deviceIds: z.array(z.string()), version: z.string().max(64).optional() }),
  'collector.schedule': z.object({
    collector: z.string().min(1),
    at: num,
    kinds: z.record(
      z.string(),
      z.object({
        scheduled: num,
        completed: num,
        skipped: num,
        queued: num,
        running: num,
        lagMs: num,
        intervalMs: num,
        window: z.object({ ms: num, scheduled: num, skipped: num, lagMs: num }),
        behind: z.boolean(),
      }),
    ),
  }),
  'pantau.health': z.object({
    component: z.string().min(1),
    status: z.enum(['ok', 'degraded']),
    code: z.string().min(1),
    message: z.string(),
    at: num,
  }),
};

export type Verdict<T extends Topic> = { ok: true; payload: EventMap[T] } | { ok: false; reason: string };

/** Decodes one entry's JSON and checks it against the topic's shape. */
export function decodePayload<T extends Topic>(topic: T, raw: string | undefined): Verdict<T> {
  if (raw === undefined) return { ok: false, reason: 'entry has no payload field' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const parsed = schemas[topic].safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      reason: `payload does not fit ${topic}: ${first ? `${first.path.join('.') || '(root)'} ${first.message}` : 'invalid'}`,
    };
  }
  // The schema accepted exactly the shape EventMap[T] describes; extra keys of alerts pass through.
  return { ok: true, payload: parsed.data as EventMap[T] };
}
