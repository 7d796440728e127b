/**
 * What crosses between the collector and its probe worker threads (pure: no I/O, no threads).
 * Devices and results are plain data and are structured-cloned as they are; credentials carry
 * Secret objects, which a clone would strip, so they travel as tagged plain values and become
 * Secrets again on the other side (over an in-process MessagePort: never logged, never on disk).
 */
import { Secret } from '../../../core/secret.js';
import type { Device, ProbeResult } from '../../../core/types.js';
import type { PolledKind } from '../definition.js';

/** What a worker needs to build the probers of its kinds (ProbeContext without functions). */
export interface WorkerInit {
  kinds: PolledKind[];
  /** `collector.<kind>` settings per kind (defaults applied). */
  settings: Record<string, unknown>;
  timeoutsMs: Record<string, number>;
  /** config.credentials with every Secret encoded by encodeSecrets. */
  credentials: unknown;
  configDir: string;
  profilesDir: string;
  /** pino level of the collector's logger: the worker does not even format what would be dropped. */
  logLevel: string;
}

export type ToWorker =
  | { op: 'run'; id: number; kind: PolledKind; devices: Device[] }
  | { op: 'abort'; id: number; reason: { name: string; message: string } }
  | { op: 'forget'; deviceId: string };

export type FromWorker =
  | { op: 'ready' }
  | { op: 'fatal'; message: string }
  | { op: 'done'; id: number; results: ProbeResult[] }
  | { op: 'failed'; id: number; message: string }
  | { op: 'log'; line: string };

const TAG = '$pantauSecret';

/** Secrets anywhere in `v` → `{ $pantauSecret: value }`; everything else copied as it is. */
export function encodeSecrets(v: unknown): unknown {
  if (v instanceof Secret) return { [TAG]: v.reveal() };
  if (Array.isArray(v)) return v.map(encodeSecrets);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeSecrets(x)]));
  return v;
}

/** The inverse of encodeSecrets. */
export function decodeSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeSecrets);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o[TAG] === 'string') return new Secret(o[TAG]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeSecrets(x)]));
  }
  return v;
}

/**
 * The worker that owns a device (FNV-1a of its id): always the same one, so state a prober keeps
 * per device (SNMP counters for rates, sysUpTime for reboots) stays in one place.
 */
export function shardOf(deviceId: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    h ^= deviceId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % workers;
}

/**
 * `collector.workers` → how many probe threads (pure). `auto`: none below 2,000 polled devices (a
 * thread costs ~20 MB and the OKU network runs fine in one thread), else one per spare core (at
 * least one, at most four): the main thread keeps scheduling, the alert engine and writes.
 */
export function workerCount(setting: 'auto' | number, polledDevices: number, cpus: number): number {
  if (setting !== 'auto') return setting;
  if (polledDevices < AUTO_MIN_DEVICES) return 0;
  return Math.max(1, Math.min(4, cpus - 1));
}

export const AUTO_MIN_DEVICES = 2000;

/** pino's numeric levels → method names (a worker's log line is re-logged by the collector's logger). */
export const LEVEL_NAMES: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
