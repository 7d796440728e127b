import type { Alert, DeviceStatus, MetricSample } from '../../core/types.js';
import type { EventBus } from '../../core/bus.js';
import type { Delta, DeviceView } from '../../core/realtime.js';
import { samplesFromResult } from './samples.js';

/**
 * Turns bus events into numbered deltas. Every status and alert change gets the next `seq`.
 * Metric samples are not in the numbered stream: a page shows live figures only for the device
 * whose drawer is open, so samples are kept as the latest per device+metric and handed out per
 * watched device (`drainSamples`), coalesced per flush. Pure apart from the bus subscription,
 * so the ordering rules are tested without sockets.
 */
export interface Sequencer {
  /** The seq of the last delta handed out: a snapshot taken now is "as of" this seq. */
  readonly seq: number;
  /** Takes every status/alert/devices delta queued since the last call, in seq order. */
  drain(): Delta[];
  /** Takes the samples that arrived since the last call for watched devices, newest per metric, by device. */
  drainSamples(): Map<string, MetricSample[]>;
  /** The newest value of each metric of these devices (a page that starts watching one). */
  latestOf(deviceIds: Iterable<string>): MetricSample[];
  /** Queues a `devices` delta (inventory reload) with the next seq; drops latest samples of removed devices. */
  pushDevices(devices: DeviceView[]): void;
  stop(): void;
}

const metricKey = (s: MetricSample) => `${s.name}\u0000${s.labels ? JSON.stringify(s.labels) : ''}`;

export function createSequencer(
  bus: EventBus,
  opts: { maxLatest?: number; isWatched?: (deviceId: string) => boolean } = {},
): Sequencer {
  let seq = 0;
  let queue: Delta[] = [];
  let pending = new Map<string, Map<string, MetricSample>>();
  const latest = new Map<string, Map<string, MetricSample>>();
  let latestCount = 0;
  const maxLatest = opts.maxLatest ?? 200_000;
  const isWatched = opts.isWatched ?? (() => true);

  const put = (into: Map<string, Map<string, MetricSample>>, s: MetricSample): boolean => {
    let per = into.get(s.deviceId);
    if (!per) into.set(s.deviceId, (per = new Map()));
    const k = metricKey(s);
    const isNew = !per.has(k);
    per.set(k, s);
    return isNew;
  };
  const addSample = (s: MetricSample) => {
    if (latestCount < maxLatest || latest.get(s.deviceId)?.has(metricKey(s))) {
      if (put(latest, s)) latestCount++;
    }
    if (isWatched(s.deviceId)) put(pending, s);
  };
  const pushStatus = (status: DeviceStatus) => {
    queue.push({ seq: ++seq, kind: 'status', status });
  };
  const pushAlert = (alert: Alert) => {
    queue.push({ seq: ++seq, kind: 'alert', alert });
  };
  const unsubs = [
    bus.subscribe('device.state', (c) => pushStatus(c.status)),
    bus.subscribe('alert.changed', (a) => pushAlert(a)),
    bus.subscribe('metric.sample', (s) => addSample(s)),
    bus.subscribe('probe.result', (r) => {
      for (const s of samplesFromResult(r)) addSample(s);
    }),
  ];
  return {
    get seq() {
      return seq;
    },
    drain() {
      const out = queue;
      queue = [];
      return out;
    },
    drainSamples() {
      const out = new Map<string, MetricSample[]>();
      for (const [id, per] of pending) out.set(id, [...per.values()]);
      pending = new Map();
      return out;
    },
    latestOf(ids) {
      const out: MetricSample[] = [];
      for (const id of ids) for (const s of latest.get(id)?.values() ?? []) out.push(s);
      return out;
    },
    pushDevices(devices) {
      const ids = new Set(devices.map((d) => d.id));
      for (const [id, per] of latest)
        if (!ids.has(id)) {
          latestCount -= per.size;
          latest.delete(id);
        }
      for (const id of pending.keys()) if (!ids.has(id)) pending.delete(id);
      queue.push({ seq: ++seq, kind: 'devices', devices });
    },
    stop() {
      for (const u of unsubs) u();
    },
  };
}
