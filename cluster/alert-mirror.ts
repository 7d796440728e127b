/**
 * A web server's copy of the core's alert engine (ADR 0901): statuses and alerts from the core's
 * snapshot, kept current by the numbered deltas of the `<prefix>realtime` stream, in the core's
 * order and with its `seq`. Reads answer from the copy; commands (ack, maintenance) go to the core
 * over Redis (core/redis/rpc.ts) and come back to every web server as deltas.
 */
import type { Redis } from 'ioredis';
import { filterAlerts } from '../core/alert-filter.js';
import type { Logger } from '../core/logger.js';
import type { RpcClient } from '../core/redis/rpc.js';
import type { AlertFilter, AlertingService, MaintenanceInput, MaintenanceWindow } from '../core/services.js';
import type { Alert, DeviceStatus } from '../core/types.js';
import type { Delta } from '../core/realtime.js';
import { decodeFeedEntry, nextStep, realtimeStreamKey, type CoreSnapshot, type FeedEntry } from './realtime-wire.js';

export interface AlertMirror extends AlertingService {
  readonly epoch: string;
  readonly seq: number;
  /** A snapshot has been taken (the web server is ready). */
  readonly ready: boolean;
  /** Deltas applied since the last call, in seq order (the hub's flush). */
  drain(): Delta[];
  readonly stats: { applied: number; resyncs: number; skipped: number; lagMs: number };
  start(): Promise<void>;
  stop(): Promise<void>;
}

const RESOLVED_KEPT = 2000;

export function createAlertMirror(deps: {
  /** Blocking reader of the realtime stream (its own connection). */
  reader: Redis;
  rpc: RpcClient;
  prefix: string;
  logger: Logger;
  /** After a new snapshot (start, gap, core restart): the hub re-sends its pages a snapshot. */
  onResync?: () => void;
  now?: () => number;
  blockMs?: number;
}): AlertMirror {
  const log = deps.logger.child({ module: 'alert-mirror' });
  const now = deps.now ?? Date.now;
  const key = realtimeStreamKey(deps.prefix);
  let at: { epoch: string; seq: number } | null = null;
  let statuses = new Map<string, DeviceStatus>();
  let alerts = new Map<string, Alert>();
  let groups = new Map<string, string[]>();
  let queue: Delta[] = [];
  let stopped = false;
  const stats = { applied: 0, resyncs: 0, skipped: 0, lagMs: 0 };
  let loop: Promise<void> | undefined;
  let firstSnapshot: (() => void) | undefined;
  const started = new Promise<void>((r) => {
    firstSnapshot = r;
  });

  const pruneResolved = () => {
    let resolved = 0;
    for (const a of alerts.values()) if (a.status === 'resolved') resolved++;
    if (resolved <= RESOLVED_KEPT) return;
    const old = [...alerts.values()].filter((a) => a.status === 'resolved').sort((x, y) => x.updatedAt - y.updatedAt);
    for (const a of old.slice(0, resolved - RESOLVED_KEPT)) {
      alerts.delete(a.id);
      groups.delete(a.id);
    }
  };

  const apply = (e: FeedEntry) => {
    const d = e.delta;
    if (d.kind === 'status') statuses.set(d.status.deviceId, d.status);
    else if (d.kind === 'alert') {
      alerts.set(d.alert.id, d.alert);
      if (e.groups) groups.set(d.alert.id, e.groups);
      if (d.alert.status === 'resolved') pruneResolved();
    }
    at = { epoch: e.epoch, seq: d.seq };
    queue.push(d);
    stats.applied++;
  };

  const takeSnapshot = async (): Promise<void> => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const snap = await deps.rpc.call<CoreSnapshot>('snapshot', null, 15_000);
        statuses = new Map(snap.statuses.map((s) => [s.deviceId, s]));
        alerts = new Map(snap.alerts.map((a) => [a.id, a]));
        groups = new Map(Object.entries(snap.groups));
        const restarted = at !== null && at.epoch !== snap.epoch;
        at = { epoch: snap.epoch, seq: snap.seq };
        queue = [];
        stats.resyncs++;
        log.info(
          { seq: snap.seq, epoch: snap.epoch, restarted, devices: snap.statuses.length, alerts: snap.alerts.length },
          "snapshot inti diambil / took the core's snapshot",
        );
        firstSnapshot?.();
        firstSnapshot = undefined;
        deps.onResync?.();
        return;
      } catch (err) {
        if (attempt === 0 || attempt % 10 === 0)
          log.warn(
            { err: (err as Error).message },
            'snapshot inti gagal, mencoba lagi / core snapshot failed, retrying',
          );
        await new Promise((r) => setTimeout(r, Math.min(5000, 500 * (attempt + 1))));
      }
    }
  };

  async function run(): Promise<void> {
    let cursor = '';
    while (!stopped) {
      try {
        if (cursor === '') {
          // Read position first, then the snapshot: every delta numbered after it is after the cursor.
          const last = await deps.reader.xrevrange(key, '+', '-', 'COUNT', 1);
          cursor = last[0]?.[0] ?? '0-0';
          await takeSnapshot();
          continue;
        }
        const reply = await deps.reader.xread('COUNT', 500, 'BLOCK', deps.blockMs ?? 1000, 'STREAMS', key, cursor);
        if (!reply) continue;
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) {
            cursor = id;
            const e = decodeFeedEntry(fields[fields.indexOf('p') + 1]);
            if (!e) {
              stats.skipped++;
              log.warn({ entry: id }, 'entri realtime rusak dilewati / malformed realtime entry skipped');
              continue;
            }
            const step = nextStep(at, e);
            if (step === 'apply') apply(e);
            else if (step === 'resync') {
              log.warn(
                { at, got: { epoch: e.epoch, seq: e.delta.seq } },
                'celah atau inti dimulai ulang: snapshot baru / gap or core restart: new snapshot',
              );
              await takeSnapshot();
              // The entry itself may be newer than the snapshot.
              if (nextStep(at, e) === 'apply') apply(e);
            }
            const ms = Number(id.split('-')[0]);
            if (Number.isFinite(ms)) stats.lagMs = Math.max(0, now() - ms);
          }
        }
      } catch (err) {
        if (stopped) break;
        log.debug({ err: (err as Error).message }, 'realtime read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  const routedGroups = (a: Alert) => groups.get(a.id) ?? [];
  const alertById = (id: string) => alerts.get(id);

  return {
    get epoch() {
      return at?.epoch ?? '';
    },
    get seq() {
      return at?.seq ?? 0;
    },
    get ready() {
      return firstSnapshot === undefined;
    },
    stats,
    drain() {
      const out = queue;
      queue = [];
      return out;
    },
    statuses: () => [...statuses.values()],
    listAlerts: (filter: AlertFilter = {}) => filterAlerts(alerts.values(), filter, routedGroups),
    getAlert: alertById,
    routedGroups,
    async acknowledge(id, by, comment, publicMessage) {
      const a = await deps.rpc.call<Alert>('acknowledge', {
        id,
        by,
        ...(comment ? { comment } : {}),
        ...(publicMessage ? { publicMessage } : {}),
      });
      return a;
    },
    listMaintenance: () => deps.rpc.call<MaintenanceWindow[]>('listMaintenance'),
    addMaintenance: (input: MaintenanceInput) => deps.rpc.call<MaintenanceWindow>('addMaintenance', input),
    removeMaintenance: (id: string) => deps.rpc.call<boolean>('removeMaintenance', { id }),
    async start() {
      loop = run();
      // Ready when the first snapshot is in (the caller may go on without it: /readyz says 503).
      await Promise.race([started, new Promise((r) => setTimeout(r, 20_000))]);
      if (firstSnapshot) log.warn('inti belum menjawab: halaman menunggu / the core has not answered yet: pages wait');
    },
    async stop() {
      stopped = true;
      deps.reader.disconnect();
      await loop;
    },
  };
}
