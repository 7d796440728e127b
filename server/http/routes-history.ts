/** Alert history, device state timelines, the availability report and test notifications (issue 15). */
import { z } from 'zod';
import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';
import { SEVERITIES } from '../../core/vocabulary/severities.js';
import type { Region } from '../../core/region/schema.js';
import { kecamatanParam } from './routes-data.js';
import { isPantauError } from '../../core/errors.js';
import type { HistoryApi } from '../../history/service.js';
import { alertsToCsv } from '../../history/alert-csv.js';
import { grafanaDeviceUrl } from '../../history/grafana-link.js';
import { REPORT_FORMATS } from '../../history/reports.js';
import { alertVisibleTo } from '../auth/roles.js';
import type { SessionUser } from '../../core/realtime.js';
import type { ApiDeps } from './deps.js';
import { defineRoute, FileReply, HttpError, idParam, intParam, listParam, timeParam, type RouteDef } from './route.js';

const DAY = 86_400_000;

// The kecamatan filter accepts the configured region's names (issue 13).
const alertHistoryQuery = (region: Region) =>
  z
    .object({
      from: timeParam.optional(),
      to: timeParam.optional(),
      kecamatan: kecamatanParam(region).optional(),
      type: listParam(z.enum([...DEVICE_TYPES, 'pantau'])).optional(),
      severity: listParam(z.enum(SEVERITIES)).optional(),
      status: listParam(z.enum(['open', 'acknowledged', 'resolved'])).optional(),
      deviceId: z.string().min(1).max(100).optional(),
      q: z.string().trim().min(1).max(100).optional(),
      page: intParam(1, 100_000).default(1),
      pageSize: intParam(1, 500).default(50),
      format: z.enum(['json', 'csv']).default('json'),
      lang: z.enum(['id', 'en']).optional(),
    })
    .strict();

const rangeQuery = z.object({ from: timeParam.optional(), to: timeParam.optional() }).strict();

const reportQuery = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM, e.g. 2026-11'),
    format: z.enum(REPORT_FORMATS).default('json'),
    lang: z.enum(['id', 'en']).optional(),
  })
  .strict();

const notifyBody = z.object({ group: z.string().min(1).max(63) }).strict();

function range(
  q: { from?: number; to?: number },
  now: number,
  defMs: number,
  maxDays = 400,
): { from: number; to: number } {
  const to = q.to ?? now;
  const from = q.from ?? to - defMs;
  if (from >= to) throw new HttpError(400, 'PANTAU_BAD_REQUEST', 'query.from: must be before to');
  if (to - from > maxDays * DAY)
    throw new HttpError(400, 'PANTAU_BAD_REQUEST', `query: range longer than ${maxDays} days`);
  return { from, to };
}

/** The alert history is for operators, admins and technicians (their groups), not for viewers. */
function historyReader(user: SessionUser): void {
  if (user.role === 'viewer')
    throw new HttpError(
      403,
      'PANTAU_FORBIDDEN',
      'peran viewer tidak boleh melihat riwayat alarm / role viewer may not read the alert history',
    );
}

/** What the archive routes use: a web server of a cluster has no `archive` and forwards them to the core. */
export type ArchiveRouteDeps = Pick<ApiDeps, 'inventory' | 'alerting' | 'region' | 'clock' | 'logger'> & {
  ui: Pick<ApiDeps['ui'], 'language'>;
  archive?: HistoryApi;
};

export function historyRoutes(d: ArchiveRouteDeps): RouteDef[] {
  // Read when a handler runs: only the process that holds the store (role all, the core) runs them.
  const archive = (): HistoryApi => {
    if (!d.archive) throw new Error('archive route run without the archive');
    return d.archive;
  };
  const h = {
    get stateLog() {
      return archive().stateLog;
    },
    get alerts() {
      return archive().alerts;
    },
    get reports() {
      return archive().reports;
    },
    get grafanaUrl() {
      return archive().grafanaUrl;
    },
    zone: () => archive().zone(),
    notifyGroups: () => archive().notifyGroups(),
    notifyTest: (...a: Parameters<HistoryApi['notifyTest']>) => archive().notifyTest(...a),
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/history/config',
      tag: 'history',
      access: 'read',
      runsOn: 'archive',
      summary: "The region's time zone of history and reports, and whether Grafana links are available",
      handler: () => ({ zone: h.zone().name, grafana: Boolean(h.grafanaUrl) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/history/alerts',
      tag: 'history',
      access: 'read',
      runsOn: 'archive',
      query: alertHistoryQuery(d.region),
      summary:
        'Alert history: every alert active in [from, to) (default the last 7 days), filtered, paginated; format=csv exports all filtered rows',
      handler({ query, user }) {
        historyReader(user);
        const now = d.clock.now();
        const r = range(query, now, 7 * DAY);
        const q = query.q?.toLowerCase();
        const named = q
          ? d
              .inventory()
              .devices.filter((v) => v.name.toLowerCase().includes(q))
              .map((v) => v.id)
          : [];
        const csv = query.format === 'csv';
        const out = h.alerts.search(
          {
            ...r,
            ...(query.kecamatan ? { kecamatan: query.kecamatan } : {}),
            ...(query.type ? { type: query.type } : {}),
            ...(query.severity ? { severity: query.severity } : {}),
            ...(query.status ? { status: query.status } : {}),
            ...(query.deviceId ? { deviceId: query.deviceId } : {}),
            ...(q ? { q, deviceIdsNamed: named } : {}),
            ...(user.role === 'technician' ? { visible: (a) => alertVisibleTo(user, a, d.alerting) } : {}),
            offset: csv ? 0 : (query.page - 1) * query.pageSize,
            limit: csv ? 0 : query.pageSize,
          },
          now,
        );
        if (csv) {
          const zone = h.zone();
          return new FileReply(
            'text/csv; charset=utf-8',
            Buffer.from(`\ufeff${alertsToCsv(out.rows, zone, query.lang ?? d.ui.language)}`, 'utf8'),
            `attachment; filename="pantau-riwayat-alarm.csv"`,
          );
        }
        return {
          ...r,
          page: query.page,
          pageSize: query.pageSize,
          total: out.total,
          zone: h.zone().name,
          alerts: out.rows,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/history/alerts/:id/timeline',
      tag: 'history',
      access: 'read',
      runsOn: 'archive',
      params: idParam,
      summary: "An alert's events (opened, acknowledged, escalated, resolved) and its device's state changes around it",
      handler({ params, user }) {
        historyReader(user);
        const a = d.alerting.getAlert(params.id);
        if (!a || !alertVisibleTo(user, a, d.alerting))
          throw new HttpError(404, 'PANTAU_NOT_FOUND', `alert ${params.id} not found`);
        const now = d.clock.now();
        const from = a.openedAt - 3600_000;
        const to = Math.min(now, (a.resolvedAt ?? now) + 3600_000) + 1;
        const before = h.stateLog.lastBefore(a.deviceId, from);
        return {
          alert: a,
          from,
          to,
          initial: before?.to ?? null,
          states: h.stateLog.changes(a.deviceId, from, to),
          affectedStates: a.affected.length > 0 ? h.stateLog.changes(a.affected[0]!, from, to) : [],
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/history/devices/:id/states',
      tag: 'history',
      access: 'read',
      runsOn: 'archive',
      params: idParam,
      query: rangeQuery,
      summary:
        'State changes of a device in [from, to) (default the last 24 h) with its state at `from`, and the Grafana link for the range',
      handler({ params, query }) {
        const dev = d.inventory().byId.get(params.id);
        if (!dev) throw new HttpError(404, 'PANTAU_NOT_FOUND', `device ${params.id} not found`);
        const r = range(query, d.clock.now(), DAY, 40);
        return {
          deviceId: params.id,
          ...r,
          initial: h.stateLog.lastBefore(params.id, r.from)?.to ?? null,
          changes: h.stateLog.changes(params.id, r.from, r.to),
          grafanaUrl: h.grafanaUrl ? grafanaDeviceUrl(h.grafanaUrl, dev, r.from, r.to) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/availability',
      tag: 'history',
      access: 'read',
      runsOn: 'archive',
      query: reportQuery,
      summary: 'Monthly availability (SLA) per device, type and kecamatan; format csv|html|pdf downloads the report',
      async handler({ query, user }) {
        historyReader(user);
        const out = await h.reports.render(query.month, query.format, query.lang ?? d.ui.language);
        if (query.format === 'json') return JSON.parse(out.body.toString()) as unknown;
        return new FileReply(
          out.contentType,
          out.body,
          `${query.format === 'html' ? 'inline' : 'attachment'}; filename="${out.filename}"`,
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/notify/groups',
      tag: 'notify',
      runsOn: 'archive',
      access: 'users',
      summary: 'Notification groups and how many recipients each channel has (admins)',
      handler: () => ({ groups: h.notifyGroups() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/notify/test',
      tag: 'notify',
      runsOn: 'archive',
      access: 'users',
      body: notifyBody,
      summary: 'Send one test message through every channel of a group now; answers what each channel replied (admins)',
      async handler({ body, user, signal }) {
        try {
          const results = await h.notifyTest(body.group, user.username, signal);
          d.logger.info(
            {
              group: body.group,
              by: user.username,
              ok: results.filter((r) => r.ok).length,
              failed: results.filter((r) => !r.ok).length,
            },
            'test notification sent',
          );
          return { group: body.group, results };
        } catch (err) {
          if (isPantauError(err) && err.code === 'PANTAU_INVALID_INPUT')
            throw new HttpError(400, 'PANTAU_BAD_REQUEST', err.message);
          throw err;
        }
      },
    }),
  ];
}
