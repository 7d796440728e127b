import { wibMinuteOfDay } from '../../core/time.js';
import type { Device, Severity } from '../../core/types.js';
import {
  compare,
  ruleSelects,
  type CompiledRule,
  type HistoryBucket,
  type RuleInstance,
  type Sample,
} from './types.js';

const BUCKET_MS = 10 * 60_000;

/** Is `now` inside "HH:MM-HH:MM" (WIB)? Ranges may cross midnight. No hours means always. */
export function withinOpeningHours(hours: string | undefined, now: number): boolean {
  if (!hours) return true;
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(hours);
  if (!m) return true;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const t = wibMinuteOfDay(now);
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

/** Adds a value to 10-minute max buckets, dropping those older than `keepMs`. */
export function addToHistory(
  buckets: readonly HistoryBucket[] | undefined,
  now: number,
  value: number,
  keepMs: number,
): HistoryBucket[] {
  const t = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const out = (buckets ?? []).filter((b) => b.t > now - keepMs - BUCKET_MS);
  const last = out[out.length - 1];
  if (last && last.t === t) out[out.length - 1] = { t, max: Math.max(last.max, value) };
  else out.push({ t, max: value });
  return out;
}

export interface RuleDecision {
  instance: RuleInstance;
  /** raise: start firing; update: severity changed while firing; resolve: stop firing. */
  action?: 'raise' | 'update' | 'resolve';
  threshold?: number;
}

/** Which severity the value has under the rule right now (null: condition false). */
export function levelOf(
  rule: CompiledRule,
  value: number,
  history: readonly HistoryBucket[] | undefined,
  now: number,
): { severity: Severity; threshold: number } | null {
  if (rule.drop) {
    const from = now - rule.drop.withinMs;
    const max = Math.max(...(history ?? []).filter((b) => b.t >= from).map((b) => b.max), value);
    return max - value > rule.drop.by ? { severity: rule.drop.severity, threshold: rule.drop.by } : null;
  }
  for (const l of rule.levels)
    if (compare(l.op, value, l.threshold)) return { severity: l.severity, threshold: l.threshold };
  return null;
}

/**
 * One sample through one rule instance. Pure. `alertable` is false while the device is DOWN,
 * UNREACHABLE or in MAINTENANCE: the instance keeps its timers but does not start firing.
 *
 *   firing  condition          → action
 *   no      false              → (reset since)
 *   no      true < for         → (pending)
 *   no      true ≥ for, alertable → raise
 *   yes     true, other level  → update
 *   yes     false ≥ clearFor   → resolve
 */
export function evaluateSample(
  rule: CompiledRule,
  device: Device,
  prev: RuleInstance | undefined,
  sample: Sample,
  history: readonly HistoryBucket[] | undefined,
  now: number,
  alertable: boolean,
): RuleDecision {
  const inst: RuleInstance = prev
    ? { ...prev }
    : { rule: rule.name, deviceId: device.id, labels: sample.labels, firing: false, lastTs: now };
  inst.lastTs = now;
  inst.lastValue = sample.value;
  const active = rule.during !== 'openingHours' || withinOpeningHours(device.openingHours, now);
  const level = active ? levelOf(rule, sample.value, history, now) : null;
  if (level) {
    inst.since ??= now;
    delete inst.clearSince;
    if (!inst.firing) {
      if (alertable && now - inst.since >= rule.forMs) {
        inst.firing = true;
        inst.severity = level.severity;
        return { instance: inst, action: 'raise', threshold: level.threshold };
      }
      return { instance: inst };
    }
    if (inst.severity !== level.severity) {
      inst.severity = level.severity;
      return { instance: inst, action: 'update', threshold: level.threshold };
    }
    return { instance: inst };
  }
  delete inst.since;
  if (!inst.firing) return { instance: inst };
  inst.clearSince ??= now;
  if (!active || now - inst.clearSince >= rule.clearForMs) {
    inst.firing = false;
    delete inst.clearSince;
    delete inst.severity;
    return { instance: inst, action: 'resolve' };
  }
  return { instance: inst };
}

export function rulesFor(rules: readonly CompiledRule[], device: Device, metric: string): CompiledRule[] {
  return rules.filter((r) => r.metric === metric && ruleSelects(r, device));
}

export const instanceKey = (rule: string, deviceId: string, labels: string): string =>
  labels ? `rule:${rule}:${deviceId}:${labels}` : `rule:${rule}:${deviceId}`;
