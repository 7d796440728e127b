/**
 * The InfluxDB measurements the dashboards read, as written by the metrics module (docs/metrics.md):
 * the one table in core/vocabulary/measurements.ts. Typed so a misspelt field or tag in a panel query
 * is a compile error, not an empty panel.
 */
export {
  COMMON_TAGS,
  MEASUREMENTS,
  type FieldOf,
  type Measurement,
  type TagOf,
} from '../../core/vocabulary/measurements.js';
export { STATE_CODES } from '../../core/vocabulary/states.js';

/** Optical receive power thresholds (dBm): below WARN is "redaman tinggi", below CRIT is critical. */
export const OPTICAL_RX_WARN_DBM = -25;
export const OPTICAL_RX_CRIT_DBM = -28;

/** Certificate expiry thresholds (days): the tls_certificate_expiring rule of config/rules/default.yaml. */
export const TLS_WARN_DAYS = 14;
export const TLS_CRIT_DAYS = 3;
/** The default response-time limit of http checks (collector.http.maxLatencyMs), ms. */
export const HTTP_SLOW_MS = 3000;

/** The database the metrics module writes and Grafana reads (docs/metrics.md). */
export { DEFAULT_DATABASE } from '../../core/vocabulary/measurements.js';

/**
 * `device_state` and `alert` are written on change only, so "now" is the last point of each
 * device within the raw retention (metrics.retention.raw, default 30d), not within the
 * dashboard's time range: a device UP for a week has no state point this week.
 */
export const STATE_LOOKBACK = '30d';
