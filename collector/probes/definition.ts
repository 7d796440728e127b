/**
 * The contract of one probe kind. Each `collector/probes/<kind>/index.ts` exports one definition and
 * `collector/probes/list.ts` collects them; the inventory and config schemas, the scheduler's kinds,
 * the runner's queues, the collector's dispatch, internal results, `poll` formatting, metric points,
 * rule samples and the page's live samples are all derived from that list (ADR 0700).
 *
 * A definition's module must stay light at import time (zod schemas and pure functions): the config
 * schema imports the list. I/O code is reached through `create`.
 */
import type { RollupAgg } from '../../core/vocabulary/measurements.js';
import type { z } from 'zod';
import type { HttpCredential, OnvifCredential, SnmpCredential } from '../../core/config/sections/credentials.js';
import type { Logger } from '../../core/logger.js';
import type { Device, MetricSample, ProbeError, ProbeResult, ProbeResultMap } from '../../core/types.js';
import type { Point } from '../../metrics/point.js';

/** Kinds that are polled on a schedule (traps arrive by themselves and have no definition). */
export type PolledKind = Exclude<keyof ProbeResultMap, 'trap'>;
export type ResultOf<K extends PolledKind> = ProbeResultMap[K];

/** How a numeric field rolls up into the long-kept 5-minute policy (core/vocabulary/measurements.ts). */
export type { RollupAgg };

/** A rule sample: metric name, value and a stable label string (`k=v,k=v`). */
export interface ProbeSample {
  metric: string;
  value: number;
  labels: string;
}

/** Tags every point of a device carries (device, type, kecamatan). */
export type PointTags = Record<string, string>;

/** What a kind's prober gets when the collector builds it. */
export interface ProbeContext<S> {
  /** This kind's section of `collector` in pantau.yaml (`collector.<kind>`), defaults applied. */
  settings: S;
  /** `collector.timeoutsMs.<kind>`: the budget of one run. */
  timeoutMs: number;
  credentials: {
    snmp: Readonly<Record<string, SnmpCredential>>;
    onvif: Readonly<Record<string, OnvifCredential>>;
    http?: Readonly<Record<string, HttpCredential>>;
  };
  /** Folder of pantau.yaml: relative paths in settings resolve against it. */
  configDir: string;
  /** The vendor profiles folder in use (absolute; `collector.profilesDir` resolved by the collector). */
  profilesDir: string;
  now: () => number;
  logger: Logger;
  /** Test hooks, by kind (e.g. `icmp.engine`): a kind reads only its own entry. */
  hooks: Readonly<Record<string, unknown>>;
}

/** One kind's I/O: a run over the devices of one job batch (a single device unless `batchQuantumMs`). */
export interface Prober<R> {
  run(devices: readonly Device[], opts: { signal: AbortSignal }): Promise<R[]>;
  /** A device left the inventory: drop any state kept for it (counters, sessions). */
  forget?(deviceId: string): void;
}

/**
 * The config-facing part of a kind, in its own `<kind>/schema.ts` (zod only): the inventory and
 * config schemas are built from these parts without the definitions' types, which mention Device.
 */
export interface ProbeSchemaPart<
  K extends string = string,
  I extends z.ZodType = z.ZodType,
  C extends z.ZodType | undefined = z.ZodType | undefined,
> {
  kind: K;
  /** `device.probes.<kind>` in the inventory, with `.optional()` or `.default()` already applied. */
  inventory: I;
  /** `collector.<kind>` in pantau.yaml (with its default), or undefined when the kind has no settings. */
  settings: C;
  /** Interval (s), parallel runs, timeout (ms) and re-check spacing (ms, ADR 0205) when pantau.yaml says nothing. */
  defaults: { intervalS: number; concurrency: number; timeoutMs: number; recheckMs: number };
}

export function defineSchemaPart<K extends string, I extends z.ZodType, C extends z.ZodType | undefined>(
  p: ProbeSchemaPart<K, I, C>,
): ProbeSchemaPart<K, I, C> {
  return p;
}

export interface ProbeDefinition<K extends PolledKind = PolledKind, S = unknown> {
  kind: K;
  schema: ProbeSchemaPart<K>;
  /** Batched kinds run every device due within this quantum in one call (ICMP: one fping sweep). */
  batchQuantumMs?: number;
  /** Batched kinds: most devices in one call (ICMP: `collector.icmp.batchHosts`). */
  maxBatch?(settings: S): number;
  /**
   * Runs may move to a probe worker thread (`collector.workers`, ADR 0208): `create` needs nothing
   * but its context's plain data, and devices and results are plain data.
   */
  offload?: boolean;
  /** Budget of one run over `devices` devices; default `collector.timeoutsMs.<kind>`. */
  runTimeoutMs?(devices: number, settings: S, baseTimeoutMs: number): number;
  /** Whether this kind is enabled on the device (default: `device.probes.<kind>` present, `enabled` not false). */
  enabledOn?(device: Device): boolean;
  /** Device override of the interval (s); default `device.probes.<kind>.intervalS`. */
  intervalOf?(device: Device): number | undefined;
  create(ctx: ProbeContext<S>): Prober<ResultOf<K>>;
  /** The failed result for a device, with every measurement field empty. */
  failed(base: { deviceId: string; ts: number; durationMs: number; error: ProbeError }): ResultOf<K>;
  /**
   * Measurements this kind writes, each numeric field with how the 5-minute rollup aggregates it:
   * `rollupsOf('<measurement>', …)` from core/vocabulary/measurements.ts, where every measurement's
   * names live (docs/metrics.md documents each; the retention module's continuous queries are built from this).
   */
  measurements: Readonly<Record<string, Readonly<Record<string, RollupAgg>>>>;
  points(result: ResultOf<K>, tags: PointTags): Point[];
  /** Rule metrics from one result (a failed probe usually yields none). */
  samples(result: ResultOf<K>, device: Device | undefined): ProbeSample[];
  /** The few newest values the NOC page's drawer shows. */
  live(result: ResultOf<K>): MetricSample[];
  /** One line of human detail for `pantau poll` (numbers first, so both languages read it). */
  summary(result: ResultOf<K>, lang: 'id' | 'en'): string;
}

/** Identity with type inference: `export const httpProbe = defineProbe({ kind: 'http', … })`. */
export function defineProbe<K extends PolledKind, S>(def: ProbeDefinition<K, S>): ProbeDefinition<K, S> {
  return def;
}

/** A definition with its result and settings types erased, for code that dispatches by kind. */
export type AnyProbeDefinition = ProbeDefinition<PolledKind, unknown>;

export type AnyResult = Exclude<ProbeResult, ProbeResultMap['trap']>;
