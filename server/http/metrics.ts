import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from './prom.js';
import type { ScheduleReport } from '../../core/bus.js';

/** pantau's own metrics at /metrics; one registry per server so tests can run several. */
export function createServerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pantau_' });
  return {
    registry,
    requests: new Counter({
      name: 'pantau_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'pantau_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.02, 0.05, 0.1, 0.3, 1, 3],
      registers: [registry],
    }),
    loginFailures: new Counter({
      name: 'pantau_login_failures_total',
      help: 'Failed logins (wrong username or password)',
      registers: [registry],
    }),
    loginThrottled: new Counter({
      name: 'pantau_login_throttled_total',
      help: 'Login attempts refused with 429 by the throttle, per scope (username, address)',
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
    realtimeClients: new Gauge({
      name: 'pantau_realtime_clients',
      help: 'Connected socket.io clients',
      registers: [registry],
    }),
    realtimeSeq: new Gauge({
      name: 'pantau_realtime_seq',
      help: 'Last realtime delta sequence number',
      registers: [registry],
    }),
    devicesByState: new Gauge({
      name: 'pantau_devices',
      help: 'Devices per state',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    openAlerts: new Gauge({
      name: 'pantau_open_alerts',
      help: 'Open alerts per severity',
      labelNames: ['severity'] as const,
      registers: [registry],
    }),
    pollsScheduled: new Counter({
      name: 'pantau_polls_scheduled_total',
      help: 'Polls that came due on the schedule, per probe kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    pollsCompleted: new Counter({
      name: 'pantau_polls_completed_total',
      help: 'Scheduled polls that ran and gave a result (up or down), per probe kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    pollsSkipped: new Counter({
      name: 'pantau_polls_skipped_total',
      help: 'Scheduled polls that did not run (previous run still going or queued, or the process stalled past the slot)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    scheduleLag: new Gauge({
      name: 'pantau_schedule_lag_seconds',
      help: 'Worst start lag of a poll behind its slot in the last report (about 5 s), per probe kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    pollsQueued: new Gauge({
      name: 'pantau_polls_queued',
      help: 'Polls waiting for a free concurrency slot, per probe kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    statusRenders: new Counter({
      name: 'pantau_status_renders_total',
      help: 'Renders of the public status page, its feed and their model (cache misses; ADR 0710)',
      labelNames: ['variant'] as const,
      registers: [registry],
    }),
    statusRequests: new Counter({
      name: 'pantau_status_requests_total',
      help: 'Requests of /status and its feed answered (hit: bytes sent, not_modified: 304)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    scheduleBehind: new Gauge({
      name: 'pantau_schedule_behind',
      help: '1 while a probe kind is behind schedule (over 1 % skipped or over half an interval late in the last window)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}

/**
 * Feeds the schedule figures of `collector.schedule` reports into the counters: reports carry
 * cumulative totals per collector, the counters grow by the difference (a collector that restarts
 * from zero counts from zero again).
 */
export function createScheduleMetricsFeed(metrics: ServerMetrics) {
  const last = new Map<string, { scheduled: number; completed: number; skipped: number }>();
  const grow = (prev: number | undefined, now: number) => (prev === undefined || now < prev ? now : now - prev);
  return (r: ScheduleReport) => {
    for (const [kind, k] of Object.entries(r.kinds)) {
      const key = `${r.collector}\u0000${kind}`;
      const p = last.get(key);
      metrics.pollsScheduled.inc({ kind }, grow(p?.scheduled, k.scheduled));
      metrics.pollsCompleted.inc({ kind }, grow(p?.completed, k.completed));
      metrics.pollsSkipped.inc({ kind }, grow(p?.skipped, k.skipped));
      last.set(key, { scheduled: k.scheduled, completed: k.completed, skipped: k.skipped });
      metrics.scheduleLag.set({ kind }, k.lagMs / 1000);
      metrics.pollsQueued.set({ kind }, k.queued);
      metrics.scheduleBehind.set({ kind }, k.behind ? 1 : 0);
    }
  };
}
export type ServerMetrics = ReturnType<typeof createServerMetrics>;
