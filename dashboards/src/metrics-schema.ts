/**
 * The InfluxDB measurements the dashboards read, as written by the metrics sink (docs/metrics.md).
 * Typed so a misspelt field or tag in a panel query is a compile error, not an empty panel.
 * Every measurement carries the tags `device`, `type` and `kecamatan`; numeric fields are floats.
 */
export const MEASUREMENTS = {
  icmp: { tags: [], fields: ['rtt_min_ms', 'rtt_avg_ms', 'rtt_max_ms', 'jitter_ms', 'loss_pct', 'up'] },
  interface: {
    tags: ['if_name', 'uplink'],
    fields: ['in_bps', 'out_bps', 'in_errors', 'out_errors', 'in_discards', 'out_discards', 'oper_up', 'speed_bps'],
  },
  optical: { tags: ['port'], fields: ['rx_dbm', 'tx_dbm'] },
  system: { tags: [], fields: ['uptime_s', 'cpu_load_pct', 'temperature_c', 'rebooted', 'snmp_ok'] },
  wifi: { tags: [], fields: ['clients'] },
  camera: {
    tags: [],
    fields: ['reachable', 'authenticated', 'clock_drift_s', 'snapshot_ok', 'snapshot_latency_ms', 'snapshot_bytes', 'rtsp_ok', 'rtsp_latency_ms'],
  },
  // Public applications (type service, ADR 0701/0703).
  http: { tags: [], fields: ['total_ms', 'dns_ms', 'connect_ms', 'tls_ms', 'ttfb_ms', 'status', 'bytes', 'ok'] },
  tls: { tags: [], fields: ['days_left', 'handshake_ms', 'ok'] },
  dns: { tags: [], fields: ['ms', 'ok'] },
  tcp: { tags: [], fields: ['ms', 'ok'] },
  device_state: { tags: [], fields: ['state', 'up', 'state_code'] },
  alert: { tags: ['severity', 'rule', 'status'], fields: ['title', 'text'] },
} as const;

export const COMMON_TAGS = ['device', 'type', 'kecamatan'] as const;

export type Measurement = keyof typeof MEASUREMENTS;
export type FieldOf<M extends Measurement> = (typeof MEASUREMENTS)[M]['fields'][number];
export type TagOf<M extends Measurement> = (typeof COMMON_TAGS)[number] | (typeof MEASUREMENTS)[M]['tags'][number];

/** device_state.state_code: the order of DEVICE_STATES in core/types.ts. */
export const STATE_CODES = { UP: 0, DEGRADED: 1, DOWN: 2, UNREACHABLE: 3, MAINTENANCE: 4, UNKNOWN: 5 } as const;

/** Optical receive power thresholds (dBm): below WARN is "redaman tinggi", below CRIT is critical. */
export const OPTICAL_RX_WARN_DBM = -25;
export const OPTICAL_RX_CRIT_DBM = -28;

/** Certificate expiry thresholds (days): the tls_certificate_expiring rule of config/rules/default.yaml. */
export const TLS_WARN_DAYS = 14;
export const TLS_CRIT_DAYS = 3;
/** The default response-time limit of http checks (collector.http.maxLatencyMs), ms. */
export const HTTP_SLOW_MS = 3000;

/** The database the sink writes and Grafana reads (metrics, docs/metrics.md). */
export const DEFAULT_DATABASE = 'pantau';

/**
 * `device_state` and `alert` are written on change only, so "now" is the last point of each
 * device within the raw retention (metrics.retention.raw, default 30d), not within the
 * dashboard's time range: a device UP for a week has no state point this week.
 */
export const STATE_LOOKBACK = '30d';
