/**
 * A point as pantau writes it: one measurement, string tags, float or string fields, and the
 * probe's own timestamp in epoch milliseconds (written with precision=ms).
 */
export interface Point {
  measurement: string;
  tags: Record<string, string>;
  /** Numbers are always written as floats (never `i`), so a field never changes type. */
  fields: Record<string, number | string>;
  /** epoch ms */
  ts: number;
}

// Escaping is rare (a space in a kecamatan name): test first, replace only when needed.
const NEEDS_MEASUREMENT = /[\\, \n]/;
const NEEDS_KEY = /[\\,= \n]/;
const NEEDS_STRING = /[\\"]/;
const escMeasurement = (s: string) =>
  NEEDS_MEASUREMENT.test(s) ? s.replace(/[\\, \n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : s;
const escKey = (s: string) => (NEEDS_KEY.test(s) ? s.replace(/[\\,= \n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : s);
const escString = (s: string) => (NEEDS_STRING.test(s) ? s.replace(/[\\"]/g, (c) => `\\${c}`) : s);

// Tag and field names come from a small fixed set (points.ts): escape each once.
const keyCache = new Map<string, string>();
function escName(k: string): string {
  let e = keyCache.get(k);
  if (e === undefined) {
    e = escKey(k);
    if (keyCache.size < 4096) keyCache.set(k, e);
  }
  return e;
}

// A number without the `i` suffix is a float in line protocol; String() never adds one, and
// InfluxDB parses exponents (1e+21) too. Non-finite values never get here (the builder drops them).
const formatFloat = (v: number): string => String(v);

/**
 * InfluxDB line protocol for one point, timestamp in ms (write with precision=ms). Tags and
 * fields sorted by name (InfluxDB's advice for tags; stable output for fields). The writer calls
 * this once per point as it is enqueued; queue, outbox and sinks only move the strings.
 */
export function toLine(p: Point): string {
  // Parts joined once: the result is one flat string. Appending with += built a tree of ~20
  // string pieces per line that lived in the queue until the batch was joined (GC, and the
  // join had to flatten every tree): 40 % slower per line, measured (ADR 0304).
  const parts: string[] = [escMeasurement(p.measurement)];
  const tagKeys = Object.keys(p.tags);
  if (tagKeys.length > 1) tagKeys.sort();
  for (const k of tagKeys) {
    const v = p.tags[k];
    if (v === undefined || v === '') continue;
    parts.push(',', escName(k), '=', escKey(v));
  }
  const fieldKeys = Object.keys(p.fields);
  if (fieldKeys.length > 1) fieldKeys.sort();
  let sep = ' ';
  for (const k of fieldKeys) {
    const v = p.fields[k];
    if (v === undefined) continue;
    parts.push(sep, escName(k), '=', typeof v === 'string' ? `"${escString(v)}"` : formatFloat(v));
    sep = ',';
  }
  parts.push(' ', String(Math.trunc(p.ts)));
  return parts.join('');
}

/** The timestamp (epoch ms) at the end of a line written by toLine. */
export function lineTimestamp(line: string): number {
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The outbox's first format (before line protocol): [measurement, tags, fields, ts] as JSON. */
export function decodeLegacyPoint(s: string): Point {
  const [measurement, tags, fields, ts] = JSON.parse(s) as [
    string,
    Record<string, string>,
    Record<string, number | string>,
    number,
  ];
  return { measurement, tags, fields, ts };
}

type Fields = Point['fields'];

/** 1 or 0: booleans are written as numbers so every field stays a float. */
export const flag = (b: boolean): number => (b ? 1 : 0);

/** Adds a numeric field only when it is a finite number: null/NaN/Infinity are left out. */
export function putField(fields: Fields, key: string, v: number | null | undefined): void {
  if (typeof v === 'number' && Number.isFinite(v)) fields[key] = v;
}

/** One point, or none when it has no fields; empty tag values are left out (invalid line protocol). */
export function makePoint(measurement: string, tags: Record<string, string>, fields: Fields, ts: number): Point[] {
  if (Object.keys(fields).length === 0) return [];
  // An empty tag value is invalid line protocol: leave the tag out instead (copy only then).
  let clean = tags;
  for (const k in tags) {
    if (tags[k] !== '') continue;
    clean = {};
    for (const [k2, v] of Object.entries(tags)) if (v !== '') clean[k2] = v;
    break;
  }
  return [{ measurement, tags: clean, fields, ts: Math.trunc(ts) }];
}
