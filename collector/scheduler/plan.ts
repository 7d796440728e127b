import type { Device } from '../../core/types.js';
import type { CollectorConfig } from '../../core/config/sections/collector.js';

import { POLLED_KINDS, probeOf, type PolledKind } from '../probes/list.js';
import { fnv1a32 } from '../../core/fnv1a.js';

export { POLLED_KINDS, type PolledKind };

/** A device's probe entry as the scheduler sees it (every kind's inventory part has these). */
type ProbeEntry = { enabled?: boolean; intervalS?: number } | undefined;
const entryOf = (device: Device, kind: PolledKind): ProbeEntry => (device.probes as Record<string, ProbeEntry>)[kind];

export interface Job {
  /** `${kind}:${deviceId}`: one schedule entry; never two runs of the same key at once. */
  key: string;
  kind: PolledKind;
  deviceId: string;
  intervalMs: number;
  /** Where in the interval this job fires, from a hash of the device id: flat load, stable across restarts. */
  offsetMs: number;
}

/** Device override, then per-type, then per-kind default (seconds). */
export function intervalFor(
  device: Device,
  kind: PolledKind,
  cfg: Pick<CollectorConfig, 'intervals' | 'intervalsByType'>,
): number {
  const def = probeOf(kind);
  const own = def.intervalOf ? def.intervalOf(device) : entryOf(device, kind)?.intervalS;
  // The kind's own default last: a config object built by hand (tests, tools) may predate a kind.
  return own ?? cfg.intervalsByType[device.type]?.[kind] ?? cfg.intervals[kind] ?? def.schema.defaults.intervalS;
}

/** FNV-1a 32-bit (core/fnv1a.ts): tiny, stable, well spread for short ids. */
export const hash32 = fnv1a32;

/**
 * Batched kinds (ICMP: one fping run per batch) fire on whole seconds, so the devices due within
 * a second share one run instead of each spawning its own; the load is still spread per second.
 */
export const BATCH_QUANTUM_MS: Partial<Record<PolledKind, number>> = Object.fromEntries(
  POLLED_KINDS.flatMap((k) => {
    const q = probeOf(k).batchQuantumMs;
    return q === undefined ? [] : [[k, q]];
  }),
);

export function offsetFor(deviceId: string, kind: PolledKind, intervalMs: number): number {
  const raw = hash32(`${kind}:${deviceId}`) % intervalMs;
  const q = Math.min(BATCH_QUANTUM_MS[kind] ?? 1, intervalMs);
  return raw - (raw % q);
}

export function isEnabled(device: Device, kind: PolledKind): boolean {
  const def = probeOf(kind);
  if (def.enabledOn) return def.enabledOn(device);
  const p = entryOf(device, kind);
  return p !== undefined && p.enabled !== false;
}

/** Every job of the inventory (pure). */
export function planJobs(
  devices: readonly Device[],
  cfg: Pick<CollectorConfig, 'intervals' | 'intervalsByType'>,
  filter?: { deviceId?: string; type?: string },
): Job[] {
  const out: Job[] = [];
  for (const d of devices) {
    if (filter?.deviceId && d.id !== filter.deviceId) continue;
    if (filter?.type && d.type !== filter.type) continue;
    for (const kind of POLLED_KINDS) {
      if (!isEnabled(d, kind)) continue;
      const intervalMs = intervalFor(d, kind, cfg) * 1000;
      out.push({
        key: `${kind}:${d.id}`,
        kind,
        deviceId: d.id,
        intervalMs,
        offsetMs: offsetFor(d.id, kind, intervalMs),
      });
    }
  }
  return out;
}

/** The first slot (epoch ms) strictly after `after` on the job's grid `offset + k·interval`. */
export function nextSlot(job: Pick<Job, 'intervalMs' | 'offsetMs'>, after: number): number {
  const k = Math.floor((after - job.offsetMs) / job.intervalMs) + 1;
  return job.offsetMs + k * job.intervalMs;
}
