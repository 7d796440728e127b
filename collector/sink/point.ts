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

const escMeasurement = (s: string) => s.replace(/[\\, \n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
const escKey = (s: string) => s.replace(/[\\,= \n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
const escString = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`);

// A number without the `i` suffix is a float in line protocol; String() never adds one, and
// InfluxDB parses exponents (1e+21) too. Non-finite values never get here (the builder drops them).
const formatFloat = (v: number): string => String(v);

/** InfluxDB line protocol for one point, timestamp in ms (write with precision=ms). */
export function toLine(p: Point): string {
  let line = escMeasurement(p.measurement);
  for (const k of Object.keys(p.tags).sort()) {
    const v = p.tags[k];
    if (v === undefined || v === '') continue;
    line += `,${escKey(k)}=${escKey(v)}`;
  }
  let first = true;
  for (const k of Object.keys(p.fields).sort()) {
    const v = p.fields[k];
    if (v === undefined) continue;
    line += `${first ? ' ' : ','}${escKey(k)}=${typeof v === 'string' ? `"${escString(v)}"` : formatFloat(v)}`;
    first = false;
  }
  return `${line} ${Math.trunc(p.ts)}`;
}

/** Compact JSON for the outbox: [measurement, tags, fields, ts]. */
export function encodePoint(p: Point): string {
  return JSON.stringify([p.measurement, p.tags, p.fields, p.ts]);
}

export function decodePoint(s: string): Point {
  const [measurement, tags, fields, ts] = JSON.parse(s) as [string, Record<string, string>, Record<string, number | string>, number];
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
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== '') clean[k] = v;
  return [{ measurement, tags: clean, fields, ts: Math.trunc(ts) }];
}
