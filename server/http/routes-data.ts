import { z } from 'zod';
import { DEVICE_STATES, type Alert, type DeviceStatus } from '../../core/types.js';
import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';
import { SEVERITIES } from '../../core/vocabulary/severities.js';
import { TIME_ZONES, type Region } from '../../core/region/schema.js';
import type { HistorySeries } from '../../core/services.js';
import { isPantauError } from '../../core/errors.js';
import type { can } from '../auth/roles.js';
import { alertVisibleTo } from '../auth/roles.js';
import type { ApiDeps } from './deps.js';
import { publicMessageSchema } from '../../status/public-text.js';
import { defineRoute, HttpError, idParam, intParam, listParam, timeParam, type RouteDef } from './route.js';

const SERIES = ['icmp', 'traffic', 'optical', 'wifi', 'system', 'camera'] as const satisfies readonly HistorySeries[];
const DAY = 86_400_000;

/** The kecamatan names of the configured region (a filter with another name is a 400 that lists them). */
export const kecamatanParam = (region: Region) => {
  const names = region.kecamatan.map((k) => k.name) as [string, ...string[]];
  return listParam(z.enum(names, { error: () => `unknown kecamatan; one of: ${names.join(', ')}` }));
};

const deviceQuery = (region: Region) =>
  z
    .object({
      type: listParam(z.enum(DEVICE_TYPES)).optional(),
      kecamatan: kecamatanParam(region).optional(),
      state: listParam(z.enum(DEVICE_STATES)).optional(),
      q: z.string().max(100).optional(),
    })
    .strict();

const alertQuery = (region: Region) =>
  z
    .object({
      status: listParam(z.enum(['open', 'acknowledged', 'resolved'])).optional(),
      severity: listParam(z.enum(SEVERITIES)).optional(),
      kecamatan: kecamatanParam(region).optional(),
      type: listParam(z.enum(DEVICE_TYPES)).optional(),
      deviceId: z.string().min(1).max(100).optional(),
      limit: intParam(1, 5000).optional(),
    })
    .strict();

const historyQuery = z
  .object({
    series: z.enum(SERIES),
    from: timeParam.optional(),
    to: timeParam.optional(),
    stepS: intParam(1, 86_400).optional(),
  })
  .strict();

const rangeQuery = z
  .object({
    from: timeParam.optional(),
    to: timeParam.optional(),
    groupBy: z.enum(['device', 'type', 'kecamatan']).default('type'),
  })
  .strict();

/** `comment` stays internal (NOC only); `publicMessage` is shown on the public /status page and its feed. */
const ackBody = z
  .object({ comment: z.string().trim().max(500).optional(), publicMessage: publicMessageSchema.optional() })
  .strict();

const maintenanceBody = z
  .object({
    deviceId: z.string().min(1).max(100),
    subtree: z.boolean().default(false),
    reason: z.string().trim().min(1).max(500),
    startsAt: z.number().int().min(0).max(8.64e15),
    endsAt: z.number().int().min(0).max(8.64e15),
    recurrence: z
      .object({
        every: z.enum(['day', 'week']),
        days: z.array(z.number().int().min(0).max(6)).max(7).optional(),
        durationMin: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60),
        startMinuteWib: z.number().int().min(0).max(1439),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((m) => m.endsAt > m.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });

/** A time range from query params: default the last `defMs`, at most 400 days. */
/** A command the core answers (directly, or over Redis from a web server): its PantauError as an HTTP error. */
async function unavailableAs503<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isPantauError(err)) throw err;
    const status =
      err.code === 'PANTAU_UNAVAILABLE'
        ? 503
        : err.code === 'PANTAU_NOT_FOUND'
          ? 404
          : err.code === 'PANTAU_INVALID_INPUT'
            ? 400
            : 409;
    throw new HttpError(status, err.code, err.message);
  }
}

function range(q: { from?: number; to?: number }, now: number, defMs: number): { from: number; to: number } {
  const to = q.to ?? now;
  const from = q.from ?? to - defMs;
  if (from >= to) throw new HttpError(400, 'PANTAU_BAD_REQUEST', 'query.from: must be before to');
  if (to - from > 400 * DAY) throw new HttpError(400, 'PANTAU_BAD_REQUEST', 'query: range longer than 400 days');
  return { from, to };
}

/** Midnight today in the region's zone (WIB for OKU), as epoch ms: "today's availability" is a local day. */
export function startOfLocalDay(now: number, zone: keyof typeof TIME_ZONES = 'WIB'): number {
  const off = TIME_ZONES[zone].offsetMin * 60_000;
  return Math.floor((now + off) / DAY) * DAY - off;
}

/** Midnight WIB today (OKU's zone). */
export const startOfWibDay = (now: number): number => startOfLocalDay(now, 'WIB');

export function dataRoutes(d: ApiDeps): RouteDef[] {
  const statusMap = () => new Map<string, DeviceStatus>(d.alerting.statuses().map((s) => [s.deviceId, s]));
  const historyFailed = (err: unknown): never => {
    d.logger.warn({ err }, 'history read failed');
    throw new HttpError(503, 'PANTAU_HISTORY_UNAVAILABLE', 'metrics history is unavailable');
  };
  const visibleAlert = (user: Parameters<typeof can>[0], id: string): Alert => {
    const a = d.alerting.getAlert(id);
    if (!a || !alertVisibleTo(user, a, d.alerting))
      throw new HttpError(404, 'PANTAU_NOT_FOUND', `alert ${id} not found`);
    return a;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/region',
      tag: 'devices',
      access: 'read',
      summary:
        'The regency pantau watches: name, time zone, map bounds and home view, kecamatan (with centroids and GeoJSON boundaries when configured)',
      handler: () => ({ region: d.region }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/devices',
      tag: 'devices',
      access: 'read',
      query: deviceQuery(d.region),
      summary: 'Devices with their current state (filter by type, kecamatan, state; q searches id, name, address)',
      handler({ query }) {
        const st = statusMap();
        const q = query.q?.toLowerCase();
        const devices = d
          .devices()
          .map((v) => ({ ...v, status: st.get(v.id) ?? null }))
          .filter(
            (v) =>
              (!query.type || query.type.includes(v.type)) &&
              (!query.kecamatan || query.kecamatan.includes(v.kecamatan)) &&
              (!query.state || query.state.includes(v.status?.state ?? 'UNKNOWN')) &&
              (!q || v.id.includes(q) || v.name.toLowerCase().includes(q) || v.address.includes(q)),
          );
        return { devices };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/devices/:id',
      tag: 'devices',
      access: 'read',
      params: idParam,
      summary: 'One device with its state, parent chain and open alerts',
      handler({ params, user }) {
        const view = d.devices().find((v) => v.id === params.id);
        if (!view) throw new HttpError(404, 'PANTAU_NOT_FOUND', `device ${params.id} not found`);
        const alerts = d.alerting
          .listAlerts({ deviceId: params.id, status: ['open', 'acknowledged'] })
          .filter((a) => alertVisibleTo(user, a, d.alerting));
        return {
          device: view,
          status: statusMap().get(view.id) ?? null,
          ancestors: d
            .inventory()
            .ancestors(view.id)
            .map((a) => a.id),
          children: d.inventory().children(view.id).length,
          // Everything below it, the count a device_down alert names (params.count): what the drawer shows.
          descendants: d.inventory().descendants(view.id).length,
          alerts,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/devices/:id/history',
      tag: 'devices',
      access: 'read',
      params: idParam,
      query: historyQuery,
      summary: 'Metric history of a device (icmp latency/loss, traffic, optical power, Wi-Fi clients…)',
      async handler({ params, query, signal }) {
        if (!d.inventory().byId.has(params.id))
          throw new HttpError(404, 'PANTAU_NOT_FOUND', `device ${params.id} not found`);
        const r = range(query, d.clock.now(), 3600_000);
        const points = await d.history
          .history(
            { deviceId: params.id, series: query.series, ...r, ...(query.stepS ? { stepS: query.stepS } : {}) },
            { signal },
          )
          .catch(historyFailed);
        return { deviceId: params.id, series: query.series, ...r, points };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/alerts',
      tag: 'alerts',
      access: 'read',
      query: alertQuery(d.region),
      summary: 'Alerts filtered by status, severity, kecamatan, type, device (technicians: routed to their groups)',
      handler({ query, user }) {
        const { limit, ...filter } = query;
        const alerts = d.alerting.listAlerts(filter).filter((a) => alertVisibleTo(user, a, d.alerting));
        return { alerts: limit ? alerts.slice(0, limit) : alerts };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/alerts/:id',
      tag: 'alerts',
      access: 'read',
      params: idParam,
      summary: 'One alert',
      handler: ({ params, user }) => ({ alert: visibleAlert(user, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/alerts/:id/ack',
      tag: 'alerts',
      access: 'ack',
      params: idParam,
      body: ackBody,
      summary:
        'Acknowledge an alert with an optional internal comment and an optional public message (plain text, ≤ 280 characters, shown on /status)',
      async handler({ params, body, user }) {
        const a = visibleAlert(user, params.id);
        if (a.status === 'resolved')
          throw new HttpError(409, 'PANTAU_ALERT_RESOLVED', `alert ${params.id} is already resolved`);
        try {
          return { alert: await d.alerting.acknowledge(params.id, user.username, body.comment, body.publicMessage) };
        } catch (err) {
          if (isPantauError(err))
            throw new HttpError(err.code === 'PANTAU_UNAVAILABLE' ? 503 : 409, err.code, err.message);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/maintenance',
      tag: 'maintenance',
      access: 'read',
      summary: 'Maintenance windows',
      handler: async () => ({ windows: await unavailableAs503(() => d.alerting.listMaintenance()) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/maintenance',
      tag: 'maintenance',
      access: 'maintenance',
      body: maintenanceBody,
      status: 201,
      summary: 'Add a maintenance window (device, optionally its subtree)',
      async handler({ body, user }) {
        if (!d.inventory().byId.has(body.deviceId))
          throw new HttpError(400, 'PANTAU_BAD_REQUEST', `body.deviceId: unknown device ${body.deviceId}`);
        const { recurrence, ...rest } = body;
        return {
          window: await unavailableAs503(() =>
            d.alerting.addMaintenance({ ...rest, ...(recurrence ? { recurrence } : {}), createdBy: user.username }),
          ),
        };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/maintenance/:id',
      tag: 'maintenance',
      access: 'maintenance',
      params: idParam,
      summary: 'Remove a maintenance window',
      async handler({ params }) {
        if (!(await unavailableAs503(() => d.alerting.removeMaintenance(params.id))))
          throw new HttpError(404, 'PANTAU_NOT_FOUND', `maintenance window ${params.id} not found`);
        return { ok: true };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/availability',
      tag: 'availability',
      access: 'read',
      query: rangeQuery,
      summary: 'Availability per device, type or kecamatan over a time range (default: the last 24 h)',
      async handler({ query, signal }) {
        const r = range(query, d.clock.now(), DAY);
        const rows = await d.history.availability({ ...r, groupBy: query.groupBy }, { signal }).catch(historyFailed);
        return { ...r, groupBy: query.groupBy, rows };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/summary',
      tag: 'availability',
      access: 'read',
      summary:
        "Header figures: devices per type and state, open alerts per severity, today's availability per type (a day in the region's time zone)",
      async handler({ user, signal }) {
        const st = statusMap();
        const types: Record<string, Record<string, number>> = {};
        for (const v of d.devices()) {
          const t = (types[v.type] ??= {});
          const s = st.get(v.id)?.state ?? 'UNKNOWN';
          t[s] = (t[s] ?? 0) + 1;
        }
        const alerts: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
        for (const a of d.alerting.listAlerts({ status: ['open'] }))
          if (alertVisibleTo(user, a, d.alerting)) alerts[a.severity] = (alerts[a.severity] ?? 0) + 1;
        const now = d.clock.now();
        const from = startOfLocalDay(now, d.region.timeZone);
        const availability =
          now > from
            ? await d.history.availability({ from, to: now, groupBy: 'type' }, { signal }).catch((err: unknown) => {
                d.logger.warn({ err }, 'availability failed');
                return null;
              })
            : [];
        return { at: now, types, alerts, availabilityToday: availability };
      },
    }),
  ];
}
