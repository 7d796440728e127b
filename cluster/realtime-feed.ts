/**
 * The core's side of the web servers' realtime (ADR 0901): numbers every device-state and alert
 * change once (the same `seq` the single process gives its pages) and appends it to the
 * `<prefix>realtime` stream; answers `snapshot` with the state as of that seq.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EventBus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import type { AlertingService } from '../core/services.js';
import type { Alert, DeviceStatus } from '../core/types.js';
import type { Delta } from '../core/realtime.js';
import { realtimeStreamKey, type CoreSnapshot, type FeedEntry } from './realtime-wire.js';

export interface RealtimeFeed {
  readonly epoch: string;
  readonly seq: number;
  /** Entries that could not be appended (Redis away): the web servers see the gap and resync. */
  readonly lost: number;
  snapshot(): CoreSnapshot;
  stop(): void;
}

export function createRealtimeFeed(deps: {
  bus: EventBus;
  redis: Redis;
  prefix: string;
  alerting: AlertingService;
  maxLen?: number;
  resolvedKept?: number;
  logger: Logger;
}): RealtimeFeed {
  const log = deps.logger.child({ module: 'realtime-feed' });
  const epoch = randomUUID();
  const key = realtimeStreamKey(deps.prefix);
  const maxLen = deps.maxLen ?? 20_000;
  let seq = 0;
  let lost = 0;
  const append = (delta: Delta, groups?: string[]) => {
    const entry: FeedEntry = { epoch, delta, ...(groups ? { groups } : {}) };
    // One connection, so the entries reach the stream in seq order.
    deps.redis.xadd(key, 'MAXLEN', '~', maxLen, '*', 'p', JSON.stringify(entry)).catch((err: unknown) => {
      lost++;
      if (lost <= 10 || lost % 1000 === 0)
        log.warn(
          { err: (err as Error).message, seq: delta.seq, lost },
          'delta realtime tidak terkirim / realtime delta not appended (web servers will resync)',
        );
    });
  };
  const onStatus = (status: DeviceStatus) => {
    seq++;
    append({ seq, kind: 'status', status });
  };
  const onAlert = (alert: Alert) => {
    seq++;
    append({ seq, kind: 'alert', alert }, deps.alerting.routedGroups(alert));
  };
  const unsubs = [
    deps.bus.subscribe('device.state', (c) => onStatus(c.status)),
    deps.bus.subscribe('alert.changed', onAlert),
  ];
  return {
    epoch,
    get seq() {
      return seq;
    },
    get lost() {
      return lost;
    },
    snapshot() {
      // Synchronous: seq and state describe the same instant (a change published but not yet
      // numbered arrives again as a delta; applying it twice is harmless, ADR 0501).
      const at = seq;
      const active = deps.alerting.listAlerts({ status: ['open', 'acknowledged'] });
      const resolved = deps.alerting.listAlerts({ status: ['resolved'], limit: deps.resolvedKept ?? 500 });
      const alerts = [...active, ...resolved];
      const groups: Record<string, string[]> = {};
      for (const a of alerts) groups[a.id] = deps.alerting.routedGroups(a);
      return { epoch, seq: at, statuses: deps.alerting.statuses(), alerts, groups };
    },
    stop() {
      for (const u of unsubs) u();
    },
  };
}
