/**
 * Traffic of a simulated interface: a daily pattern with a closed-form integral, so counters
 * (the integral) and the expected average rate over any window agree exactly. Pure.
 *
 * rate(t) = base · (1 + A1·sin(ω(t − φ1)) + A2·sin(2ω(t − φ2)))   with ω = 2π / day
 * The first harmonic peaks in the evening (20:00 WIB), the second adds a late-morning shoulder;
 * with A1 + A2 < 1 the rate never goes negative.
 */
import { fnv1a32 } from '../../core/fnv1a.js';

export const DAY_MS = 86_400_000;
const OMEGA = (2 * Math.PI) / DAY_MS;
const A1 = 0.55;
const A2 = 0.15;
// sin(ω(t − φ)) peaks when ω(t − φ) = π/2, i.e. t = φ + day/4. Evening peak at 20:00 WIB = 13:00 UTC.
const PHI1 = 13 * 3_600_000 - DAY_MS / 4;
// Second harmonic peaks at 11:00 WIB (04:00 UTC) and again 12 h later.
const PHI2 = 4 * 3_600_000 - DAY_MS / 8;

/** Daily factor in [1 − A1 − A2, 1 + A1 + A2]; 1 on average over a day. */
export function dailyFactor(t: number): number {
  return 1 + A1 * Math.sin(OMEGA * (t - PHI1)) + A2 * Math.sin(2 * OMEGA * (t - PHI2));
}

/** ∫ dailyFactor(s) ds from 0 to t, in ms (so ∫ over a whole day = DAY_MS). */
export function dailyIntegral(t: number): number {
  return t - (A1 / OMEGA) * Math.cos(OMEGA * (t - PHI1)) - (A2 / (2 * OMEGA)) * Math.cos(2 * OMEGA * (t - PHI2));
}

/** Instantaneous rate in bit/s for a base (daily average) rate. */
export function rateAt(baseBps: number, t: number): number {
  return baseBps * dailyFactor(t);
}

/** Octets carried between t0 and t1 (ms) at a daily-average rate of baseBps. */
export function octetsBetween(baseBps: number, t0: number, t1: number): number {
  if (t1 <= t0) return 0;
  return (baseBps / 8) * ((dailyIntegral(t1) - dailyIntegral(t0)) / 1000);
}

/** Average bit/s over [t0, t1]. */
export function averageRate(baseBps: number, t0: number, t1: number): number {
  if (t1 <= t0) return rateAt(baseBps, t0);
  return (octetsBetween(baseBps, t0, t1) * 8 * 1000) / (t1 - t0);
}

export const TWO_32 = 2n ** 32n;
export const TWO_64 = 2n ** 64n;

/** A 64-bit counter value folded into 32 bits, the way ifInOctets wraps. */
export function wrap32(value: bigint): number {
  return Number(((value % TWO_32) + TWO_32) % TWO_32);
}

export function wrap64(value: bigint): bigint {
  return ((value % TWO_64) + TWO_64) % TWO_64;
}

/** Minimal BER content bytes of an unsigned 64-bit counter (net-snmp writes the buffer as is). */
export function counter64Buffer(value: bigint): Buffer {
  let hex = wrap64(value).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let buf = Buffer.from(hex, 'hex');
  // A set top bit would read as negative: prefix a zero byte like every agent does.
  if (buf.length === 0 || (buf[0]! & 0x80) !== 0) buf = Buffer.concat([Buffer.from([0]), buf]);
  return buf;
}

/** Small deterministic hash (FNV-1a, core/fnv1a.ts) so every device gets stable pseudo-random parameters. */
export const hash32 = fnv1a32;

/** A stable value in [0, 1) for a key. */
export function unit(key: string): number {
  return hash32(key) / 2 ** 32;
}
