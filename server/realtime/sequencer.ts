import type { Alert, DeviceStatus, MetricSample } from '../../core/types.js';
import type { EventBus } from '../../core/bus.js';
import type { Delta, DeviceView } from './events.js';
import { samplesFromResult } from './samples.js';

/**
 * Turns bus events into numbered deltas. Every status and alert change gets the next `seq`;
 * metric samples are coalesced (latest per device+metric) into one delta per flush, because a
 * wall screen needs the newest value, not every sample. Pure apart from the bus subscription,
 * so the ordering rules are tested without sockets.
 */
export interface Sequencer {
  /** The seq of the last delta handed out: a snapshot taken now is "as of" this seq. */
  readonly seq: number;
  /** Takes everything queued since the last call, in seq order. */
  drain(): Delta[];
  latest(): MetricSample[];
  /** Queues a `devices` delta (inventory reload) with the next seq; drops latest samples of removed devices. */
  pushDevices(devices: DeviceView[]): void;
  stop(): void;
}

const metricKey = (s: MetricSample) => `${s.deviceId}\u0000${s.name}\u0000${s.labels ? JSON.stringify(s.labels) : ''}`;

export function createSequencer(bus: EventBus, opts: { maxLatest?: number } = {}): Sequencer {
  let seq = 0;
  let queue: Delta[] = [];
  let pendingMetrics = new Map<string, MetricSample>();
  const latest = new Map<string, MetricSample>();
  const maxLatest = opts.maxLatest ?? 200_000;

  const addSample = (s: MetricSample) => {
    const k = metricKey(s);
    pendingMetrics.set(k, s);
    if (latest.size < maxLatest || latest.has(k)) latest.set(k, s);
  };
  const pushStatus = (status: DeviceStatus) => { queue.push({ seq: ++seq, kind: 'status', status }); };
  const pushAlert = (alert: Alert) => { queue.push({ seq: ++seq, kind: 'alert', alert }); };
  const unsubs = [
    bus.subscribe('device.state', (c) => pushStatus(c.status)),
    bus.subscribe('alert.changed', (a) => pushAlert(a)),
    bus.subscribe('metric.sample', (s) => addSample(s)),
    bus.subscribe('probe.result', (r) => { for (const s of samplesFromResult(r)) addSample(s); }),
  ];
  return {
    get seq() { return seq; },
    drain() {
      if (pendingMetrics.size > 0) {
        queue.push({ seq: ++seq, kind: 'metrics', samples: [...pendingMetrics.values()] });
        pendingMetrics = new Map();
      }
      const out = queue;
      queue = [];
      return out;
    },
    latest: () => [...latest.values()],
    pushDevices(devices) {
      const ids = new Set(devices.map((d) => d.id));
      for (const [k, s] of latest) if (!ids.has(s.deviceId)) latest.delete(k);
      for (const [k, s] of pendingMetrics) if (!ids.has(s.deviceId)) pendingMetrics.delete(k);
      queue.push({ seq: ++seq, kind: 'devices', devices });
    },
    stop() { for (const u of unsubs) u(); },
  };
}
