/**
 * What the core answers to the web servers (over core/redis/rpc.ts): the realtime snapshot, the
 * operator's commands (ack, maintenance) and the users, which stay in the core's SQLite. Every
 * argument is checked again here: a web server, or anyone who can write to Redis, is input.
 */
import { z } from 'zod';
import { publicMessageSchema } from '../status/public-text.js';
import { PantauError } from '../core/errors.js';
import type { RpcHandlers } from '../core/redis/rpc.js';
import type { AlertingService, HistoryReader } from '../core/services.js';
import type { DeviceTimeline } from '../history/state-log.js';
import { newUserSchema, type UserStore } from '../server/auth/users.js';
import type { RealtimeFeed } from './realtime-feed.js';

const ackArgs = z
  .object({
    id: z.string().min(1).max(100),
    by: z.string().min(1).max(64),
    comment: z.string().max(500).optional(),
    publicMessage: publicMessageSchema.optional(),
  })
  .strict();
const idArgs = z.object({ id: z.string().min(1).max(100) }).strict();
const userIdArgs = z.object({ id: z.number().int().positive() }).strict();
const verifyArgs = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
const maintenanceArgs = z
  .object({
    deviceId: z.string().min(1).max(200),
    subtree: z.boolean(),
    reason: z.string().max(500),
    createdBy: z.string().min(1).max(64),
    startsAt: z.number().finite(),
    endsAt: z.number().finite(),
    recurrence: z
      .object({
        every: z.enum(['day', 'week']),
        days: z.array(z.number().int().min(0).max(6)).optional(),
        durationMin: z.number().int().positive(),
        startMinuteWib: z.number().int().min(0).max(1439),
      })
      .strict()
      .optional(),
  })
  .strict();

const DAY = 86_400_000;
const timelinesArgs = z.object({ from: z.number().int().min(0).max(8.64e15) }).strict();
const historyArgs = z
  .object({
    deviceId: z.string().min(1).max(100),
    series: z.enum(['icmp', 'traffic', 'optical', 'wifi', 'system', 'camera']),
    from: z.number().finite(),
    to: z.number().finite(),
    stepS: z.number().int().min(1).max(86_400).optional(),
  })
  .strict()
  .refine((q) => q.from < q.to && q.to - q.from <= 400 * DAY, { message: 'range: from before to, at most 400 days' });
const availabilityArgs = z
  .object({ from: z.number().finite(), to: z.number().finite(), groupBy: z.enum(['device', 'type', 'kecamatan']) })
  .strict()
  .refine((q) => q.from < q.to && q.to - q.from <= 400 * DAY, { message: 'range: from before to, at most 400 days' });

function parse<T>(schema: z.ZodType<T>, args: unknown): T {
  const out = schema.safeParse(args);
  if (!out.success)
    throw new PantauError(
      'PANTAU_INVALID_INPUT',
      `bad arguments: ${out.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return out.data;
}

export function coreCommands(deps: {
  alerting: AlertingService;
  users: UserStore;
  feed: RealtimeFeed;
  /** The archive routes a web server forwards (server/http/route-forward.ts createRouteRunner). */
  route?: (args: unknown) => Promise<unknown>;
  /** The state log's timelines (the status page's day bars on a web server). */
  timelines?: (from: number, to: number) => ReadonlyMap<string, DeviceTimeline>;
  /** Metric history where it lives only in the core (metrics.sink none: memory + SQLite rollups). */
  history?: HistoryReader;
  now?: () => number;
}): RpcHandlers {
  const { alerting, users } = deps;
  const now = deps.now ?? Date.now;
  const optional: RpcHandlers = {};
  if (deps.route) optional['http.route'] = deps.route;
  const timelines = deps.timelines;
  if (timelines)
    optional['status.timelines'] = (args) => {
      const { from } = parse(timelinesArgs, args);
      const to = now();
      return { to, entries: [...timelines(from, to)] };
    };
  const history = deps.history;
  if (history) {
    optional['history.history'] = (args) => {
      const { stepS, ...q } = parse(historyArgs, args);
      return history.history({ ...q, ...(stepS ? { stepS } : {}) });
    };
    optional['history.availability'] = (args) => history.availability(parse(availabilityArgs, args));
  }
  return {
    ...optional,
    snapshot: () => deps.feed.snapshot(),
    acknowledge: (args) => {
      const a = parse(ackArgs, args);
      return alerting.acknowledge(a.id, a.by, a.comment, a.publicMessage);
    },
    listMaintenance: () => alerting.listMaintenance(),
    addMaintenance: (args) => {
      const { recurrence, ...rest } = parse(maintenanceArgs, args);
      return alerting.addMaintenance({
        ...rest,
        ...(recurrence ? { recurrence: { ...recurrence } } : {}),
      } as Parameters<AlertingService['addMaintenance']>[0]);
    },
    removeMaintenance: (args) => alerting.removeMaintenance(parse(idArgs, args).id),
    'users.verify': async (args) => {
      const a = parse(verifyArgs, args);
      return (await users.verify(a.username, a.password)) ?? null;
    },
    'users.get': (args) => users.byId(parse(userIdArgs, args).id) ?? null,
    'users.list': () => users.list(),
    'users.count': () => users.count(),
    'users.add': (args) => users.add(parse(newUserSchema, args)),
  };
}
