import type { Device, Severity } from '../../core/types.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Level {
  severity: Severity;
  op: Op;
  threshold: number;
}

/** A rule after validation: durations in ms, conditions parsed. */
export interface CompiledRule {
  name: string;
  metric: string;
  /** Highest severity first; the first level whose condition holds decides the severity. */
  levels: Level[];
  /** Instead of comparing the value: fire when it fell more than `by` below its maximum within `withinMs`. */
  drop?: { by: number; withinMs: number; severity: Severity };
  forMs: number;
  /** The condition must be false this long before the alert resolves (hysteresis). */
  clearForMs: number;
  /** Only evaluated while the device's openingHours (WIB) are on. */
  during?: 'openingHours';
  select: { type?: string[]; tags?: string[]; kecamatan?: string[]; role?: string[]; devices?: string[] };
  message?: { id?: string; en?: string };
}

/** Per rule × device × label set. */
export interface RuleInstance {
  rule: string;
  deviceId: string;
  labels: string;
  /** When the condition became true (and has been on every sample since). */
  since?: number;
  clearSince?: number;
  firing: boolean;
  severity?: Severity;
  lastValue?: number;
  lastTs: number;
}

export interface HistoryBucket {
  /** Bucket start, ms. */
  t: number;
  max: number;
}

export interface Sample {
  metric: string;
  value: number;
  /** Stable label string, '' when none: `ifName=sfp1`. */
  labels: string;
}

export function ruleSelects(rule: CompiledRule, d: Device): boolean {
  const s = rule.select;
  if (s.devices && !s.devices.includes(d.id)) return false;
  if (s.type && !s.type.includes(d.type)) return false;
  if (s.role && !s.role.includes(d.role)) return false;
  if (s.kecamatan && !s.kecamatan.includes(d.kecamatan)) return false;
  if (s.tags && !s.tags.some((t) => d.tags.includes(t))) return false;
  return true;
}

export function compare(op: Op, value: number, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
