/**
 * The InfluxDB schema pantau writes and the dashboards read (docs/metrics.md), in one place (issue 17):
 * each measurement's extra tags, its numeric fields with how the 5-minute rollup aggregates each, and
 * its string fields. The probe kinds' point builders, the metrics module's retention policies and
 * continuous queries, and the dashboards' typed queries all read this table. Stored data: add
 * measurements and fields, never rename. Zod-free, so every module may import it.
 */

/** How a numeric field rolls up into the long-kept 5-minute policy. */
export type RollupAgg = 'mean' | 'min' | 'max';

interface MeasurementShape {
  /** Tags beyond the ones every point carries (COMMON_TAGS). */
  tags: readonly string[];
  /** Numeric fields (always floats), with their rollup aggregation. */
  fields: Readonly<Record<string, RollupAgg>>;
  /** String fields: written raw, never rolled up. */
  text: readonly string[];
}

/** Every point is tagged with the device's id, type and kecamatan. */
export const COMMON_TAGS = ['device', 'type', 'kecamatan'] as const;

/** In the order the rollups' continuous queries are created: the probe kinds' first, then state. */
export const MEASUREMENTS = {
  icmp: {
    tags: [],
    fields: {
      rtt_min_ms: 'min',
      rtt_avg_ms: 'mean',
      rtt_max_ms: 'max',
      jitter_ms: 'mean',
      loss_pct: 'mean',
      up: 'mean',
    },
    text: [],
  },
  interface: {
    tags: ['if_name', 'uplink'],
    fields: {
      in_bps: 'mean',
      out_bps: 'mean',
      in_errors: 'mean',
      out_errors: 'mean',
      in_discards: 'mean',
      out_discards: 'mean',
      oper_up: 'mean',
      admin_up: 'mean',
      speed_bps: 'max',
    },
    text: [],
  },
  optical: { tags: ['port'], fields: { rx_dbm: 'mean', tx_dbm: 'mean' }, text: [] },
  system: {
    tags: [],
    fields: { uptime_s: 'max', cpu_load_pct: 'mean', temperature_c: 'max', rebooted: 'max', snmp_ok: 'mean' },
    text: [],
  },
  wifi: { tags: [], fields: { clients: 'mean' }, text: [] },
  camera: {
    tags: [],
    fields: {
      reachable: 'mean',
      authenticated: 'mean',
      clock_drift_s: 'mean',
      snapshot_ok: 'mean',
      snapshot_latency_ms: 'mean',
      snapshot_bytes: 'mean',
      rtsp_ok: 'mean',
      rtsp_latency_ms: 'mean',
    },
    text: [],
  },
  // Public applications (type service, ADR 0701/0703).
  http: {
    tags: [],
    fields: {
      total_ms: 'mean',
      dns_ms: 'mean',
      connect_ms: 'mean',
      tls_ms: 'mean',
      ttfb_ms: 'mean',
      status: 'max',
      ok: 'mean',
      bytes: 'mean',
    },
    text: [],
  },
  tls: { tags: [], fields: { days_left: 'min', ok: 'mean', handshake_ms: 'mean' }, text: [] },
  dns: { tags: [], fields: { ms: 'mean', ok: 'mean' }, text: [] },
  tcp: { tags: [], fields: { ms: 'mean', ok: 'mean' }, text: [] },
  device_state: { tags: [], fields: { up: 'mean', state_code: 'max' }, text: ['state'] },
  alert: { tags: ['severity', 'rule', 'status'], fields: {}, text: ['title', 'text'] },
} as const satisfies Record<string, MeasurementShape>;

export type Measurement = keyof typeof MEASUREMENTS;
/** Distributes over a union of measurements: FieldOf<'icmp' | 'wifi'> is every field of either. */
export type FieldOf<M extends Measurement> = M extends Measurement
  ? (keyof (typeof MEASUREMENTS)[M]['fields'] & string) | (typeof MEASUREMENTS)[M]['text'][number]
  : never;
export type TagOf<M extends Measurement> = (typeof COMMON_TAGS)[number] | (typeof MEASUREMENTS)[M]['tags'][number];

/** `{ interface: …, optical: … }`: the named measurements' numeric fields with their rollups, for a probe kind's definition. */
export function rollupsOf<M extends Measurement>(...names: M[]): { [K in M]: (typeof MEASUREMENTS)[K]['fields'] } {
  return Object.fromEntries(names.map((n) => [n, MEASUREMENTS[n].fields])) as {
    [K in M]: (typeof MEASUREMENTS)[K]['fields'];
  };
}

/** Retention policies (InfluxDB 1.x): writes land in RAW_RP; 5-minute rollups are kept long in ROLLUP_RP. */
export const RAW_RP = 'raw';
export const ROLLUP_RP = 'rollup_5m';
export const ROLLUP_INTERVAL = '5m';

/** The database the metrics module writes and Grafana reads unless the config says otherwise. */
export const DEFAULT_DATABASE = 'pantau';
