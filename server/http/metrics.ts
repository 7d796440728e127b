import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** pantau's own metrics at /metrics; one registry per server so tests can run several. */
export function createServerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pantau_' });
  return {
    registry,
    requests: new Counter({ name: 'pantau_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'] as const, registers: [registry] }),
    duration: new Histogram({ name: 'pantau_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'] as const, buckets: [0.005, 0.02, 0.05, 0.1, 0.3, 1, 3], registers: [registry] }),
    loginFailures: new Counter({ name: 'pantau_login_failures_total', help: 'Failed logins', registers: [registry] }),
    realtimeClients: new Gauge({ name: 'pantau_realtime_clients', help: 'Connected socket.io clients', registers: [registry] }),
    realtimeSeq: new Gauge({ name: 'pantau_realtime_seq', help: 'Last realtime delta sequence number', registers: [registry] }),
    devicesByState: new Gauge({ name: 'pantau_devices', help: 'Devices per state', labelNames: ['state'] as const, registers: [registry] }),
    openAlerts: new Gauge({ name: 'pantau_open_alerts', help: 'Open alerts per severity', labelNames: ['severity'] as const, registers: [registry] }),
  };
}
export type ServerMetrics = ReturnType<typeof createServerMetrics>;
