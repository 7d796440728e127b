/**
 * The contracts between the big modules, so each can be built and tested alone:
 * alerting implements AlertingService, metrics implements HistoryReader (InfluxDB or in memory),
 * the server consumes both. Keep additions backwards-compatible.
 */
import type { Alert, AlertStatus, DeviceStatus, Severity } from './types.js';

export interface AlertFilter {
  status?: AlertStatus[];
  severity?: Severity[];
  kecamatan?: string[];
  type?: string[];
  deviceId?: string;
  /** Only alerts routed to one of these notification groups (technician view). */
  groups?: string[];
  limit?: number;
}

export interface MaintenanceWindow {
  id: string;
  /** A device id; with `subtree`, the device and everything below it. */
  deviceId: string;
  subtree: boolean;
  reason: string;
  createdBy: string;
  /** One-off: [startsAt, endsAt). Recurring: `rrule`-like daily/weekly spec in `recurrence`. */
  startsAt: number;
  endsAt: number;
  recurrence?: {
    every: 'day' | 'week';
    /** weekdays 0=Sunday, for weekly */ days?: number[];
    durationMin: number;
    startMinuteWib: number;
  };
}

export type MaintenanceInput = Omit<MaintenanceWindow, 'id'>;

export interface AlertingService {
  /** Current state of every device in the inventory. */
  statuses(): DeviceStatus[];
  listAlerts(filter?: AlertFilter): Alert[];
  getAlert(id: string): Alert | undefined;
  /**
   * Throws (or rejects with) PantauError when the alert does not exist or is already resolved.
   * The engine answers at once; a web server's mirror asks the core over Redis (a promise).
   * `publicMessage` is the text for the public status page (validated by the caller: plain text,
   * short); `comment` stays internal.
   */
  acknowledge(id: string, by: string, comment?: string, publicMessage?: string): Alert | Promise<Alert>;
  /** Notification groups an alert is routed to (technicians see alerts of their groups). */
  routedGroups(alert: Alert): string[];
  listMaintenance(): MaintenanceWindow[] | Promise<MaintenanceWindow[]>;
  addMaintenance(input: MaintenanceInput): MaintenanceWindow | Promise<MaintenanceWindow>;
  removeMaintenance(id: string): boolean | Promise<boolean>;
}

export type HistorySeries = 'icmp' | 'traffic' | 'optical' | 'wifi' | 'system' | 'camera';

export interface HistoryQuery {
  deviceId: string;
  series: HistorySeries;
  from: number;
  to: number;
  /** Bucket width; the reader picks one from the range when absent. */
  stepS?: number;
}

export interface HistoryPoint {
  ts: number;
  /** e.g. { rtt_avg_ms, loss_pct } for icmp; { in_bps, out_bps } for traffic; { rx_dbm } for optical. */
  values: Record<string, number | null>;
}

export interface AvailabilityRow {
  /** device id, type or kecamatan, by `groupBy` */
  key: string;
  availabilityPct: number;
  samples: number;
}

export interface HistoryReader {
  history(q: HistoryQuery, opts?: { signal?: AbortSignal }): Promise<HistoryPoint[]>;
  availability(
    q: { from: number; to: number; groupBy: 'device' | 'type' | 'kecamatan' },
    opts?: { signal?: AbortSignal },
  ): Promise<AvailabilityRow[]>;
}
