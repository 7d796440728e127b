import type { Inventory } from '../../core/inventory/topology.js';
import type { AlertingService, HistoryReader } from '../../core/services.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import type { Region } from '../../core/region/schema.js';
import type { HistoryApi } from '../../history/service.js';
import type { LoginThrottleApi, ThrottleScope } from '../auth/login-throttle.js';
import type { RouteForwarder } from './route-forward.js';
import type { SessionStore } from '../auth/sessions.js';
import type { UserDirectory } from '../auth/users.js';
import type { DeviceView, UiConfig } from '../../core/realtime.js';

export interface ApiDeps {
  /** The current inventory: a function because an admin may reload it while pantau runs. */
  inventory(): Inventory;
  alerting: AlertingService;
  history: HistoryReader;
  users: UserDirectory;
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
  /** Login throttle settings (ADR 0506): `max` free failures per address, `windowMs` the longest delay. */
  loginLimit?: { windowMs: number; max: number };
  /** A throttle shared by every web server (Redis); absent: one in memory from `loginLimit`. */
  loginThrottle?: LoginThrottleApi;
  /** The login throttle and its log/metric hooks (createApp fills it in). */
  loginGuard?: LoginGuard;
  /** express "trust proxy" (behind a TLS-terminating reverse proxy). */
  trustProxy?: boolean | string | number;
  /** Alert history, state timelines, reports, test notifications (absent: those routes are not served). */
  archive?: HistoryApi;
  /** A web server of a cluster: runs the `archive` routes on the core (absent with `archive`). */
  forward?: RouteForwarder;
  /** Whether /readyz reports ready (main wires the collector's readiness in). */
  ready(): boolean;
}

/** What the login route reports; never the password. */
export interface LoginGuard {
  throttle: LoginThrottleApi;
  onFailure(info: {
    username: string;
    address: string;
    userFailures: number;
    addressFailures: number;
    userBlockedMs: number;
    addressBlockedMs: number;
  }): void;
  onThrottled(info: { username: string; address: string; scope: ThrottleScope; retryAfterMs: number }): void;
}
