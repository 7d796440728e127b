import type { Alert, DeviceStateChange, MetricSample, ProbeResult } from './types.js';
import type { Logger } from './logger.js';

/** Every message that crosses a module boundary. Keys are the topics. */
export interface EventMap {
  'probe.result': ProbeResult;
  'device.state': DeviceStateChange;
  'alert.changed': Alert;
  'metric.sample': MetricSample;
  /** `version`: the core's inventory copy in a cluster (cluster/inventory-share.ts). */
  'inventory.changed': { deviceIds: string[]; version?: string };
  /** pantau's own health (e.g. the metrics outbox is full): the alert engine raises an alert on 'degraded'. */
  'pantau.health': PantauHealth;
  /** Every few seconds: each probe kind's polls scheduled/completed/skipped and lag (collector/scheduler/health.ts). */
  'collector.schedule': ScheduleReport;
}

export interface KindScheduleReport {
  /** Cumulative since the collector started. */
  scheduled: number;
  completed: number;
  skipped: number;
  queued: number;
  running: number;
  /** Worst start lag since the previous report. */
  lagMs: number;
  intervalMs: number;
  /** Over the last window (max(60 s, interval)). */
  window: { ms: number; scheduled: number; skipped: number; lagMs: number };
  behind: boolean;
}

export interface ScheduleReport {
  /** Which collector (one per process today; several later over a shared bus). */
  collector: string;
  at: number;
  kinds: Record<string, KindScheduleReport>;
}

export interface PantauHealth {
  component: string;
  status: 'ok' | 'degraded';
  /** stable code, e.g. PANTAU_SINK_OUTBOX_FULL */
  code: string;
  message: string;
  at: number;
}

export type Topic = keyof EventMap;
export type Handler<T extends Topic> = (payload: EventMap[T]) => void | Promise<void>;

/**
 * The seam between collector, engine and server. The in-process implementation is the default;
 * a Redis-backed one can replace it for collectors on other machines, so no module may assume
 * that publisher and subscriber share a process (payloads must stay JSON-serialisable).
 */
export interface EventBus {
  publish<T extends Topic>(topic: T, payload: EventMap[T]): void;
  subscribe<T extends Topic>(topic: T, handler: Handler<T>): () => void;
  /** Resolves when every handler started so far has finished. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Delivers asynchronously (never inside `publish`), in publish order per topic, and isolates
 * handlers: one throwing handler is logged and the others still run.
 */
export function createInProcessBus(deps: { logger?: Logger } = {}): EventBus {
  const handlers = new Map<Topic, Set<Handler<Topic>>>();
  const pending = new Set<Promise<void>>();
  let closed = false;

  const run = async (topic: Topic, handler: Handler<Topic>, payload: EventMap[Topic]) => {
    try {
      await handler(payload);
    } catch (err) {
      deps.logger?.error({ err, topic }, 'bus handler failed');
    }
  };

  return {
    publish(topic, payload) {
      if (closed) return;
      const set = handlers.get(topic);
      if (!set || set.size === 0) return;
      for (const h of [...set]) {
        const p = Promise.resolve().then(() => run(topic, h as Handler<Topic>, payload));
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(handler as Handler<Topic>);
      return () => {
        set.delete(handler as Handler<Topic>);
      };
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      closed = true;
      await this.drain();
      handlers.clear();
    },
  };
}
