import type { Inventory } from '../../core/inventory/topology.js';
import type { AlertingService, HistoryReader } from '../../core/services.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import type { Region } from '../../core/region/schema.js';
import type { HistoryApi } from '../../history/service.js';
import type { SessionStore } from '../auth/sessions.js';
import type { UserStore } from '../auth/users.js';
import type { DeviceView, UiConfig } from '../realtime/events.js';

export interface ApiDeps {
  /** The current inventory: a function because an admin may reload it while pantau runs. */
  inventory(): Inventory;
  alerting: AlertingService;
  history: HistoryReader;
  users: UserStore;
  sessions: SessionStore;
  ui: UiConfig;
  /** The regency: kecamatan filters accept its names; GET /api/region serves it. */
  region: Region;
  clock: Clock;
  logger: Logger;
  /** Devices as the page sees them (no credentials, no probe settings). */
  devices(): DeviceView[];
  /** Called on logout so the session's sockets close too. */
  onLogout(tokenHash: string): void;
  /** Login attempts per window per IP+username before 429. */
  loginLimit?: { windowMs: number; max: number };
  /** express "trust proxy" (behind a TLS-terminating reverse proxy). */
  trustProxy?: boolean | string | number;
  /** Alert history, state timelines, reports, test notifications (absent: those routes are not served). */
  archive?: HistoryApi;
  /** Whether /readyz reports ready (main wires the collector's readiness in). */
  ready(): boolean;
}
