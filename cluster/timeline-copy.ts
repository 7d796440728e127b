/**
 * A web server's copy of the core's state log timelines, for the public status page's day bars
 * (ADR 0902). The page renders synchronously from a cache (ADR 0710), so the timelines cannot be
 * asked for per render: the web server fetches the window once from the core (`status.timelines`),
 * then appends every `device.state` change it receives on the bus, exactly as the core's state
 * log records them. It fetches again when the window's start moves (a new local day), after a
 * resync, and every `refreshMs` in case a change was missed. Changes that arrive while a fetch is
 * on its way are kept and applied on top of it when they are newer than what the core read.
 */
import type { DeviceState } from '../core/types.js';
import type { Logger } from '../core/logger.js';
import type { DeviceTimeline } from '../history/state-log.js';

export interface TimelinesReply {
  /** The core read its log up to here (exclusive). */
  to: number;
  entries: [string, DeviceTimeline][];
}

export interface TimelineCopy {
  /** What the status page asks for: the copy for a window starting at `from` (empty until fetched). */
  get(from: number): ReadonlyMap<string, DeviceTimeline>;
  /** A `device.state` change from the bus. */
  onChange(c: { deviceId: string; at: number; to: DeviceState }): void;
  /** Fetch again (a resync, a timer). */
  refresh(): Promise<void>;
  stop(): void;
}

export function createTimelineCopy(deps: {
  fetch(from: number): Promise<TimelinesReply>;
  /** The copy changed: the status page renders again. */
  onUpdate(): void;
  logger: Logger;
  refreshMs?: number;
}): TimelineCopy {
  const log = deps.logger.child({ module: 'timeline-copy' });
  let copy: { from: number; to: number; map: Map<string, DeviceTimeline> } | undefined;
  let wanted: number | undefined;
  let inflight: Promise<void> | null = null;
  let buffered: { deviceId: string; at: number; to: DeviceState }[] = [];
  const append = (map: Map<string, DeviceTimeline>, c: { deviceId: string; at: number; to: DeviceState }) => {
    let t = map.get(c.deviceId);
    if (!t) map.set(c.deviceId, (t = { initial: undefined, changes: [] }));
    t.changes.push({ at: c.at, to: c.to });
  };
  const fetchNow = (from: number): Promise<void> => {
    if (inflight) return inflight;
    buffered = [];
    inflight = deps
      .fetch(from)
      .then((r) => {
        const map = new Map(r.entries);
        for (const c of buffered) if (c.at >= r.to) append(map, c);
        copy = { from, to: r.to, map };
        deps.onUpdate();
      })
      .catch((err: unknown) => log.debug({ err: (err as Error).message }, 'timelines not fetched from the core'))
      .finally(() => {
        inflight = null;
        buffered = [];
      });
    return inflight;
  };
  const timer = setInterval(() => {
    if (wanted !== undefined) void fetchNow(wanted);
  }, deps.refreshMs ?? 300_000);
  timer.unref();
  return {
    get(from) {
      wanted = from;
      if (!copy || copy.from !== from) void fetchNow(from);
      return copy?.map ?? new Map();
    },
    onChange(c) {
      if (inflight) buffered.push(c);
      if (copy && c.at >= copy.to) {
        append(copy.map, c);
        deps.onUpdate();
      }
    },
    refresh: () => (wanted === undefined ? Promise.resolve() : fetchNow(wanted)),
    stop: () => clearInterval(timer),
  };
}
