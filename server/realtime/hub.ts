import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { EventBus } from '../../core/bus.js';
import type { AlertingService } from '../../core/services.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/time.js';
import type { SessionStore } from '../auth/sessions.js';
import { alertVisibleTo } from '../auth/roles.js';
import {
  MAX_WATCHED,
  type ClientToServerEvents,
  type ClusterView,
  type Delta,
  type DeviceView,
  type ServerToClientEvents,
  type SessionUser,
  type Snapshot,
  type UiConfig,
} from '../../core/realtime.js';
import { createSequencer, type Sequencer } from './sequencer.js';

interface SocketData {
  user: SessionUser;
  tokenHash: string;
  room: string;
  watched: string[];
}
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
  /** Sends every page on this server a fresh snapshot (a web server whose core restarted). */
  resnapshotAll(): void;
  /** The cluster's health for the header (a web server of a cluster): sent now and in every snapshot. */
  setCluster(view: ClusterView): void;
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
  /**
   * Where the numbered deltas come from (default: numbered here from the bus). A web server of a
   * cluster passes the core's numbering (cluster/alert-mirror.ts), so every web server sends the
   * same seq.
   */
  makeSequencer?: (opts: { isWatched: (deviceId: string) => boolean }) => Sequencer;
  /** The snapshot's serverId (default a random id per hub; a web server gives the core's epoch). */
  serverId?: () => string;
  /** socket.io adapter shared by several web servers (ADR 0901): logout closes the session's sockets everywhere. */
  adapter?: ServerOptions['adapter'];
}

/** Everyone who sees every alert shares one room; technicians share one room per set of groups. */
const ALL_ROOM = 'all';
const roomOf = (u: SessionUser) =>
  u.role === 'technician' && !u.allAlerts ? `tech:${[...u.groups].sort().join(',')}` : ALL_ROOM;
const deviceRoom = (id: string) => `dev:${id}`;
const sessionRoom = (tokenHash: string) => `sess:${tokenHash}`;

/**
 * The only code that touches socket.io. Push-only: commands go over REST. Deltas go out as one
 * broadcast per room (encoded once, not once per socket); live metric values only to the sockets
 * that watch the device (its drawer is open), never to every page.
 */
export function createRealtimeHub(deps: RealtimeDeps): RealtimeHub {
  const log = deps.logger.child({ module: 'realtime' });
  const ownId = randomUUID();
  const serverId = deps.serverId ?? (() => ownId);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    deps.httpServer,
    {
      serveClient: false,
      ...(deps.adapter ? { adapter: deps.adapter } : {}),
      // Cross-site pages cannot open a socket: the session cookie is SameSite=Strict and origin must match.
      allowRequest: (req, cb) => {
        const origin = req.headers.origin;
        if (!origin) return cb(null, true);
        try {
          cb(null, new URL(origin).host === req.headers.host);
        } catch {
          cb(null, false);
        }
      },
    },
  );
  const rooms = io.of('/').adapter.rooms;
  // Samples are queued only for devices some socket watches (an open drawer).
  const isWatched = (id: string) => (rooms.get(deviceRoom(id))?.size ?? 0) > 0;
  const seqr = deps.makeSequencer ? deps.makeSequencer({ isWatched }) : createSequencer(deps.bus, { isWatched });
  // Deltas are the same on every web server (each gets them from the core): emit to this server's
  // sockets only, never through the adapter to the others.
  const local = io.local;
  /** A representative user per technician room, to filter that room's alerts. */
  const techRooms = new Map<string, SessionUser>();
  let cluster: ClusterView | undefined;

  io.use(async (socket, next) => {
    let s: Awaited<ReturnType<SessionStore['fromCookieHeader']>>;
    try {
      s = await deps.sessions.fromCookieHeader(socket.request.headers.cookie);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'session lookup failed');
      next(new Error('unavailable'));
      return;
    }
    if (!s) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data.user = s.user;
    socket.data.tokenHash = s.tokenHash;
    socket.data.room = roomOf(s.user);
    socket.data.watched = [];
    next();
  });

  const snapshotFor = (socket: PantauSocket): Snapshot => {
    const user = socket.data.user;
    // Taken synchronously (no await), so seq and state describe the same instant.
    const seq = seqr.seq;
    const devices = deps.devices();
    const known = new Set(devices.map((d) => d.id));
    const active = deps.alerting.listAlerts({ status: ['open', 'acknowledged'] });
    const resolved = deps.alerting.listAlerts({ status: ['resolved'], limit: 200 });
    return {
      seq,
      at: deps.clock.now(),
      serverId: serverId(),
      user,
      ui: deps.ui,
      devices,
      // A device just removed from the inventory may linger in the engine for an instant; the page never sees it.
      statuses: deps.alerting.statuses().filter((s) => known.has(s.deviceId)),
      alerts: [...active, ...resolved].filter((a) => alertVisibleTo(user, a, deps.alerting)),
      latest: seqr.latestOf(socket.data.watched),
      ...(cluster ? { cluster } : {}),
    };
  };

  const sendSnapshot = (socket: PantauSocket) => {
    try {
      socket.emit('snapshot', snapshotFor(socket));
    } catch (err) {
      log.error({ err }, 'snapshot failed');
      socket.disconnect(true);
    }
  };

  const watch = (socket: PantauSocket, ids: unknown) => {
    // A browser message is input: anything but a short list of known ids changes nothing.
    if (
      !Array.isArray(ids) ||
      ids.length > MAX_WATCHED ||
      !ids.every((x) => typeof x === 'string' && x.length <= 200)
    ) {
      log.debug({ user: socket.data.user.username }, 'invalid watch list ignored');
      return;
    }
    const known = new Set(deps.devices().map((d) => d.id));
    const next = [...new Set(ids as string[])].filter((id) => known.has(id));
    for (const id of socket.data.watched) if (!next.includes(id)) void socket.leave(deviceRoom(id));
    for (const id of next) void socket.join(deviceRoom(id));
    socket.data.watched = next;
    const now = seqr.latestOf(next);
    if (now.length) socket.emit('samples', now);
  };

  io.on('connection', (socket: PantauSocket) => {
    log.debug({ user: socket.data.user.username }, 'client connected');
    const room = socket.data.room;
    void socket.join([room, sessionRoom(socket.data.tokenHash)]);
    if (room !== ALL_ROOM) techRooms.set(room, socket.data.user);
    deps.onClients?.(io.engine.clientsCount);
    sendSnapshot(socket);
    socket.on('resync', () => sendSnapshot(socket));
    socket.on('watch', (ids) => watch(socket, ids));
    socket.on('disconnect', () => {
      if (room !== ALL_ROOM && !rooms.get(room)?.size) techRooms.delete(room);
      deps.onClients?.(io.engine.clientsCount);
    });
  });

  const flush = () => {
    const batch = seqr.drain();
    if (batch.length > 0) {
      local.to(ALL_ROOM).emit('deltas', batch);
      for (const [room, user] of techRooms) {
        // Technicians get every seq (so gaps stay detectable) but not other groups' alerts.
        const mine: Delta[] = batch.map((d) =>
          d.kind === 'alert' && !alertVisibleTo(user, d.alert, deps.alerting)
            ? { seq: d.seq, kind: 'metrics' as const, samples: [] }
            : d,
        );
        local.to(room).emit('deltas', mine);
      }
    }
    for (const [id, samples] of seqr.drainSamples()) local.to(deviceRoom(id)).emit('samples', samples);
  };
  const timer = setInterval(flush, deps.flushMs ?? 250);
  timer.unref();

  return {
    clientCount: () => io.engine.clientsCount,
    get seq() {
      return seqr.seq;
    },
    devicesChanged() {
      seqr.pushDevices(deps.devices());
    },
    disconnectSession(tokenHash) {
      // Through the adapter: the session's pages on every web server close.
      io.in(sessionRoom(tokenHash)).disconnectSockets(true);
    },
    flush,
    setCluster(view) {
      cluster = view;
      local.emit('cluster', view);
    },
    resnapshotAll() {
      for (const [, s] of io.of('/').sockets) sendSnapshot(s);
    },
    async close() {
      clearInterval(timer);
      seqr.stop();
      // Close transports rather than disconnectSockets(): a client dropped by the transport
      // reconnects by itself (to the restarted server); one disconnected by the server does not.
      // io.close() would also close the http server, which the caller owns.
      io.engine.close();
      if (deps.adapter) await io.of('/').adapter.close();
    },
  };
}
