import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Registry } from './http/prom.js';
import type { Config } from '../core/config/schema.js';
import { loadDefaultRegion, regionView } from '../core/region/load.js';
import type { Region } from '../core/region/schema.js';
import type { EventBus } from '../core/bus.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { AlertingService, HistoryReader } from '../core/services.js';
import type { Store } from '../core/store/store.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/time.js';
import type { HistoryApi } from '../history/service.js';
import type { DeviceTimeline } from '../history/state-log.js';
import type { LoginThrottleApi } from './auth/login-throttle.js';
import type { RouteForwarder } from './http/route-forward.js';
import { createSessionStore, type SessionStore } from './auth/sessions.js';
import { groupsNamedByRouting, scopeUser } from './auth/scope.js';
import { createUserStore, type UserDirectory } from './auth/users.js';
import { createApp } from './http/app.js';
import { createScheduleMetricsFeed, createServerMetrics } from './http/metrics.js';
import { createRealtimeHub, type RealtimeDeps, type RealtimeHub } from './realtime/hub.js';
import type { DeviceView } from '../core/realtime.js';
import { DEVICE_STATES } from '../core/types.js';
import { TIME_ZONES } from '../core/region/schema.js';
import { createStatusPage, type StatusPage } from '../status/status-page.js';

export interface ServerDeps {
  /** `alerting.routing` decides which technicians see only their groups' alerts (absent: all are scoped by group). */
  config: Pick<Config, 'server'> & {
    alerting?: Pick<Config['alerting'], 'routing'>;
    statusPage?: Config['statusPage'];
  };
  /** The regency (kecamatan filters, the page's map view and clock); default OKU's. */
  region?: Region;
  inventory: Inventory;
  bus: EventBus;
  alerting: AlertingService;
  history: HistoryReader;
  /** Users and sessions in SQLite (the single process); absent only when `auth` is given. */
  store?: Store;
  /** Users and sessions from elsewhere: a web server of a cluster (the core's users, sessions in Redis). */
  auth?: { users: UserDirectory & { count(): number | Promise<number> }; sessions: SessionStore };
  /** The realtime hub's numbering, serverId and socket.io adapter (a web server of a cluster). */
  realtime?: Pick<RealtimeDeps, 'makeSequencer' | 'serverId' | 'adapter'>;
  /** Called before /metrics renders (a web server of a cluster refreshes its cluster gauges). */
  onMetrics?: () => void;
  logger: Logger;
  clock: Clock;
  /** Built page; default web/dist next to the repo root. */
  webDist?: string;
  /** Overrides config.server.port (tests: 0). */
  port?: number;
  host?: string;
  /** Listen on a Unix socket instead of host:port (the demo bridges it out of its network namespace). */
  socketPath?: string;
  loginLimit?: { windowMs: number; max: number };
  flushMs?: number;
  ready?: () => boolean;
  /** Alert history, reports, test notifications (built by the composition root over the same store). */
  archive?: HistoryApi;
  /** A web server of a cluster: the archive routes run on the core (ADR 0902). */
  forward?: RouteForwarder;
  /** A web server of a cluster: the login throttle shared in Redis. */
  loginThrottle?: LoginThrottleApi;
  /** The status page's day bars without an archive here: the core's state log, as a web server keeps a copy of it. */
  statusTimelines?: (from: number, to: number) => ReadonlyMap<string, DeviceTimeline>;
}

export interface PantauServer {
  listen(): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
  readonly users: UserDirectory & { count(): number | Promise<number> };
  readonly sessions: SessionStore;
  readonly hub: RealtimeHub | undefined;
  readonly http: HttpServer;
  /** The /metrics registry (a cluster role adds its gauges). */
  readonly metricsRegistry: Registry;
  /**
   * Takes a reloaded inventory: REST answers from it at once and connected pages get a `devices`
   * delta (in seq order). Call it after the alert engine has the same inventory.
   */
  updateInventory(inv: Inventory): void;
  /** The public status page (when enabled): a web server invalidates it when its copy of the core's state log moves. */
  readonly statusPage: StatusPage | undefined;
}

export function toDeviceView(inv: Inventory): DeviceView[] {
  return inv.devices.map((d) => ({
    id: d.id,
    name: d.name,
    type: d.type,
    role: d.role,
    kecamatan: d.kecamatan,
    lat: d.lat,
    lon: d.lon,
    address: d.address,
    parent: d.parent,
    vendor: d.vendor,
    ...(d.model ? { model: d.model } : {}),
  }));
}

/** The login throttle's limits from `server.loginRateLimit` (ADR 0506). */
export function loginLimitOf(sc: Pick<Config['server'], 'loginRateLimit'>): { windowMs: number; max: number } {
  return { windowMs: (sc.loginRateLimit?.windowS ?? 300) * 1000, max: sc.loginRateLimit?.max ?? 10 };
}

/** The HTTP + socket.io server over the AlertingService and HistoryReader interfaces. */
export function createServer(deps: ServerDeps): PantauServer {
  const log = deps.logger.child({ module: 'server' });
  const sc = deps.config.server;
  let users: UserDirectory & { count(): number | Promise<number> };
  let stored: SessionStore;
  if (deps.auth) {
    ({ users, sessions: stored } = deps.auth);
  } else {
    if (!deps.store) throw new Error('createServer needs a store or auth');
    const sqliteUsers = createUserStore(deps.store, deps.clock);
    users = sqliteUsers;
    stored = createSessionStore(deps.store, sqliteUsers, deps.clock, {
      ttlMs: (sc.sessionTtlHours ?? 12) * 3600_000,
      ...(sc.sessionSecret ? { secret: sc.sessionSecret } : {}),
    });
  }
  const receiving = deps.config.alerting ? groupsNamedByRouting(deps.config.alerting.routing) : undefined;
  // Every request and socket sees the user scoped by the routing config (technicians without a route see all alerts).
  const sessions: SessionStore = {
    ...stored,
    async fromCookieHeader(header) {
      const s = await stored.fromCookieHeader(header);
      return s && { ...s, user: scopeUser(s.user, receiving) };
    },
  };
  const metrics = createServerMetrics();
  const unsubscribeSchedule = deps.bus.subscribe('collector.schedule', createScheduleMetricsFeed(metrics));
  let inventory = deps.inventory;
  let views = toDeviceView(inventory);
  const devices = () => views;
  const region = deps.region ?? loadDefaultRegion();
  const ui = { tileUrl: deps.config.server.tileUrl, language: deps.config.server.language, region: regionView(region) };
  let hub: RealtimeHub | undefined;
  const sp = deps.config.statusPage;
  const statusPage: StatusPage | undefined = sp?.enabled
    ? createStatusPage({
        config: sp,
        language: sp.language ?? deps.config.server.language,
        inventory: () => inventory,
        alerting: deps.alerting,
        now: () => deps.clock.now(),
        zone: { name: region.timeZone, offsetMs: TIME_ZONES[region.timeZone].offsetMin * 60_000 },
        ...(deps.archive
          ? { timelines: deps.archive.stateLog.timelines }
          : deps.statusTimelines
            ? { timelines: deps.statusTimelines }
            : {}),
        onRender: (variant) => metrics.statusRenders.inc({ variant }),
      })
    : undefined;
  // What the page shows changes only with a state or an alert (and the inventory, below).
  const unsubscribeStatus = statusPage
    ? [
        deps.bus.subscribe('device.state', () => statusPage.invalidate()),
        deps.bus.subscribe('alert.changed', () => statusPage.invalidate()),
      ]
    : [];
  const app = createApp(
    {
      inventory: () => inventory,
      alerting: deps.alerting,
      history: deps.history,
      users,
      sessions,
      ui,
      region,
      clock: deps.clock,
      logger: deps.logger,
      devices,
      onLogout: (h) => hub?.disconnectSession(h),
      loginLimit: deps.loginLimit ?? loginLimitOf(sc),
      ...(sc.trustProxy !== undefined ? { trustProxy: sc.trustProxy } : {}),
      ready: () => hub !== undefined && (deps.ready?.() ?? true),
      ...(deps.archive ? { archive: deps.archive } : {}),
      ...(deps.forward ? { forward: deps.forward } : {}),
      ...(deps.loginThrottle ? { loginThrottle: deps.loginThrottle } : {}),
    },
    {
      metrics,
      ...(deps.webDist ? { webDist: deps.webDist } : {}),
      ...(statusPage && sp ? { statusPage, statusMaxAgeS: sp.cacheS } : {}),
      beforeMetrics: () => {
        const counts = new Map<string, number>(DEVICE_STATES.map((s) => [s, 0]));
        const known = inventory.byId;
        for (const s of deps.alerting.statuses())
          if (known.has(s.deviceId)) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
        for (const [state, n] of counts) metrics.devicesByState.set({ state }, n);
        const sev = new Map<string, number>([
          ['critical', 0],
          ['warning', 0],
          ['info', 0],
        ]);
        for (const a of deps.alerting.listAlerts({ status: ['open'] }))
          sev.set(a.severity, (sev.get(a.severity) ?? 0) + 1);
        for (const [severity, n] of sev) metrics.openAlerts.set({ severity }, n);
        if (hub) metrics.realtimeSeq.set(hub.seq);
        deps.onMetrics?.();
      },
    },
  );
  const http = createHttpServer(app);
  const sockets = new Set<Socket>();
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  return {
    users,
    sessions,
    http,
    metricsRegistry: metrics.registry,
    statusPage,
    get hub() {
      return hub;
    },
    updateInventory(inv) {
      inventory = inv;
      views = toDeviceView(inv);
      statusPage?.invalidate();
      log.info({ devices: views.length }, 'inventaris dimuat ulang / inventory reloaded');
      hub?.devicesChanged();
    },
    async listen() {
      const host = deps.host ?? deps.config.server.host;
      const port = deps.port ?? deps.config.server.port;
      hub = createRealtimeHub({
        httpServer: http,
        bus: deps.bus,
        alerting: deps.alerting,
        devices,
        sessions,
        ui,
        logger: deps.logger,
        clock: deps.clock,
        ...(deps.flushMs !== undefined ? { flushMs: deps.flushMs } : {}),
        onClients: (n) => metrics.realtimeClients.set(n),
        ...deps.realtime,
      });
      const sock = deps.socketPath;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        const done = () => {
          http.off('error', reject);
          resolve();
        };
        if (sock) http.listen(sock, done);
        else http.listen(port, host, done);
      });
      const addr = sock ? { port: 0 } : (http.address() as AddressInfo);
      log.info(
        { host, port: addr.port, socket: sock },
        sock ? `NOC page on unix:${sock}` : `NOC page on http://${host}:${addr.port}`,
      );
      return { port: addr.port, host };
    },
    async close() {
      unsubscribeSchedule();
      for (const u of unsubscribeStatus) u();
      await hub?.close();
      hub = undefined;
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
