import type { ProfileMetric } from '../../../core/types.js';
import type { ProfileMetricDef, VendorProfile } from './profile-schema.js';
import { toNumber, toText } from './values.js';

/** OIDs a profile needs: exact GETs and column walks (labels, filters and precision included). */
export function profileOids(p: VendorProfile): { gets: string[]; walks: string[] } {
  const gets = new Set<string>();
  const walks = new Set<string>();
  for (const m of p.metrics) {
    if (!m.walk) {
      gets.add(m.oid);
      continue;
    }
    walks.add(m.oid);
    for (const l of Object.values(m.labels)) walks.add(typeof l === 'string' ? l : l.oid);
    for (const f of filtersOf(m)) walks.add(f.oid);
    if (m.precisionOid) walks.add(m.precisionOid);
  }
  return { gets: [...gets], walks: [...walks] };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function filtersOf(def: ProfileMetricDef) {
  return def.filter === undefined ? [] : Array.isArray(def.filter) ? def.filter : [def.filter];
}

function rowKept(def: ProfileMetricDef, values: ReadonlyMap<string, unknown>, index: string): boolean {
  for (const f of filtersOf(def)) {
    const v = values.get(`${f.oid}.${index}`);
    if (f.equals) {
      const n = toNumber(v);
      if (n === null || !f.equals.includes(n)) return false;
    } else if (f.matches) {
      const t = toText(v);
      if (t === null || !new RegExp(f.matches, 'i').test(t)) return false;
    }
  }
  return true;
}

function scaled(def: ProfileMetricDef, raw: number, precision = 0): number | null {
  if (def.sentinels.includes(raw)) return null;
  return round(((raw + def.offset) * def.scale) / 10 ** precision);
}

/**
 * Pure: the profile's metrics from fetched values. `values` maps a full OID (column OID + "." +
 * row index, or the exact GET OID) to the raw varbind value. Missing OIDs and sentinels yield
 * no metric rather than a fake zero.
 */
export function evaluateProfile(p: VendorProfile, values: ReadonlyMap<string, unknown>): ProfileMetric[] {
  const out: ProfileMetric[] = [];
  for (const def of p.metrics) {
    if (!def.walk) {
      const raw = toNumber(values.get(def.oid));
      const v = raw === null ? null : scaled(def, raw);
      if (v !== null) out.push({ name: def.name, value: v, unit: def.unit, labels: {} });
      continue;
    }
    const prefix = `${def.oid}.`;
    const rows: ProfileMetric[] = [];
    for (const [full, rawValue] of values) {
      if (!full.startsWith(prefix)) continue;
      const index = full.slice(prefix.length);
      if (!rowKept(def, values, index)) continue;
      const raw = toNumber(rawValue);
      if (raw === null) continue;
      const precision = def.precisionOid ? (toNumber(values.get(`${def.precisionOid}.${index}`)) ?? 0) : 0;
      const v = scaled(def, raw, precision);
      if (v === null) continue;
      const labels: Record<string, string> = { [def.indexLabel]: index };
      for (const [name, l] of Object.entries(def.labels)) {
        const t = toText(values.get(`${typeof l === 'string' ? l : l.oid}.${index}`));
        if (t === null) continue;
        const captured = typeof l === 'string' ? undefined : new RegExp(l.capture, 'i').exec(t)?.[1]?.trim();
        labels[name] = captured || t;
      }
      rows.push({ name: def.name, value: v, unit: def.unit, labels });
    }
    if (def.aggregate === 'none') {
      out.push(...rows);
      continue;
    }
    if (rows.length === 0) continue;
    const vals = rows.map((r) => r.value);
    const agg =
      def.aggregate === 'sum'
        ? vals.reduce((a, b) => a + b, 0)
        : def.aggregate === 'avg'
          ? vals.reduce((a, b) => a + b, 0) / vals.length
          : def.aggregate === 'max'
            ? Math.max(...vals)
            : Math.min(...vals);
    out.push({ name: def.name, value: round(agg), unit: def.unit, labels: {} });
  }
  return out;
}

/**
 * Pure: the names of profile metrics the device has no value for at all (a GET OID absent or
 * noSuchObject, a walked column with no row). A sentinel or a filtered-out row is a value, so it
 * does not count: this list is for a profile OID the device lacks, usually a typo in the profile.
 */
export function missingProfileMetrics(p: VendorProfile, values: ReadonlyMap<string, unknown>): string[] {
  const missing = new Set<string>();
  for (const def of p.metrics) {
    if (!def.walk) {
      if (toNumber(values.get(def.oid)) === null) missing.add(def.name);
      continue;
    }
    const prefix = `${def.oid}.`;
    let found = false;
    for (const [full, v] of values)
      if (full.startsWith(prefix) && toNumber(v) !== null) {
        found = true;
        break;
      }
    if (!found) missing.add(def.name);
  }
  // A metric defined twice (two OIDs, e.g. per firmware) is only missing when neither answers.
  for (const m of evaluateProfile(p, values)) missing.delete(m.name);
  return [...missing].sort();
}
