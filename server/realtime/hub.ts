import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import type { EventBus } from '../../core/bus.js';
import type { AlertingService } from '../../core/services.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import type { SessionStore } from '../auth/sessions.js';
import { alertVisibleTo } from '../auth/roles.js';
import type { ClientToServerEvents, Delta, DeviceView, ServerToClientEvents, SessionUser, Snapshot, UiConfig } from './events.js';
import { createSequencer } from './sequencer.js';

interface SocketData { user: SessionUser; tokenHash: string }
type PantauSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeHub {
  clientCount(): number;
  readonly seq: number;
  /** Drops the sockets of a session (logout). */
  disconnectSession(tokenHash: string): void;
  /** The device list changed (inventory reload): every client gets a `devices` delta in seq order. */
  devicesChanged(): void;
  /** Flushes queued deltas now (tests; the timer does it every flushMs). */
  flush(): void;
  close(): Promise<void>;
}

export interface RealtimeDeps {
  httpServer: HttpServer;
  bus: EventBus;
  alerting: AlertingService;
  devices: () => DeviceView[];
  sessions: SessionStore;
  ui: UiConfig;
  logger: Logger;
  clock: Clock;
  /** Batch window: deltas are sent at most this often (default 250 ms). */
  flushMs?: number;
  onClients?: (n: number) => void;
}

/** The only code that touches socket.io. Push-only: commands go over REST. */
export function createRealtimeHub(deps: RealtimeDeps): RealtimeHub {
  const log = deps.logger.child({ module: 'realtime' });
  const serverId = randomUUID();
  const seqr = createSequencer(deps.bus);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.httpServer, {
    serveClient: false,
    // Cross-site pages cannot open a socket: the session cookie is SameSite=Strict and origin must match.
    allowRequest: (req, cb) => {
      const origin = req.headers.origin;
      if (!origin) return cb(null, true);
      try { cb(null, new URL(origin).host === req.headers.host); } catch { cb(null, false); }
    },
  });

  io.use((socket, next) => {
    const s = deps.sessions.fromCookieHeader(socket.request.headers.cookie);
    if (!s) { next(new Error('unauthorized')); return; }
    socket.data.user = s.user;
    socket.data.tokenHash = s.tokenHash;
    next();
  });

  const snapshotFor = (user: SessionUser): Snapshot => {
    // Taken synchronously (no await), so seq and state describe the same instant.
    const seq = seqr.seq;
    const devices = deps.devices();
    const known = new Set(devices.map((d) => d.id));
    const active = deps.alerting.listAlerts({ status: ['open', 'acknowledged'] });
    const resolved = deps.alerting.listAlerts({ status: ['resolved'], limit: 200 });
    return {
      seq, at: deps.clock.now(), serverId, user, ui: deps.ui,
      devices,
      // A device just removed from the inventory may linger in the engine for an instant; the page never sees it.
      statuses: deps.alerting.statuses().filter((s) => known.has(s.deviceId)),
      alerts: [...active, ...resolved].filter((a) => alertVisibleTo(user, a, deps.alerting)),
      latest: seqr.latest(),
    };
  };

  const sendSnapshot = (socket: PantauSocket) => {
    try {
      socket.emit('snapshot', snapshotFor(socket.data.user));
    } catch (err) {
      log.error({ err }, 'snapshot failed');
      socket.disconnect(true);
    }
  };

  io.on('connection', (socket: PantauSocket) => {
    log.debug({ user: socket.data.user.username }, 'client connected');
    deps.onClients?.(io.engine.clientsCount);
    sendSnapshot(socket);
    socket.on('resync', () => sendSnapshot(socket));
    socket.on('disconnect', () => deps.onClients?.(io.engine.clientsCount));
  });

  const flush = () => {
    const batch = seqr.drain();
    if (batch.length === 0) return;
    let filteredCache: Map<string, Delta[]> | undefined;
    for (const [, socket] of io.of('/').sockets) {
      const user = socket.data.user;
      if (user.role !== 'technician') { socket.emit('deltas', batch); continue; }
      filteredCache ??= new Map();
      const key = user.groups.join(',');
      let mine = filteredCache.get(key);
      if (!mine) {
        // Technicians get every seq (so gaps stay detectable) but not other groups' alerts.
        mine = batch.map((d) => (d.kind === 'alert' && !alertVisibleTo(user, d.alert, deps.alerting)
          ? { seq: d.seq, kind: 'metrics' as const, samples: [] } : d));
        filteredCache.set(key, mine);
      }
      socket.emit('deltas', mine);
    }
  };
  const timer = setInterval(flush, deps.flushMs ?? 250);
  timer.unref();

  return {
    clientCount: () => io.engine.clientsCount,
    get seq() { return seqr.seq; },
    devicesChanged() { seqr.pushDevices(deps.devices()); },
    disconnectSession(tokenHash) {
      for (const [, s] of io.of('/').sockets) if (s.data.tokenHash === tokenHash) s.disconnect(true);
    },
    flush,
    async close() {
      clearInterval(timer);
      seqr.stop();
      // Close transports rather than disconnectSockets(): a client dropped by the transport
      // reconnects by itself (to the restarted server); one disconnected by the server does not.
      // io.close() would also close the http server, which the caller owns.
      io.engine.close();
    },
  };
}
