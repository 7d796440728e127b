/** Injected clock: modules never call Date.now() directly, so tests drive time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export function createManualClock(
  start = Date.UTC(2026, 10, 28, 1, 0, 0),
): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

/** Indonesia's zones as UTC offsets in hours (no daylight saving). Kept here, pure, so the page can import it. */
export const ZONE_OFFSET_H = { WIB: 7, WITA: 8, WIT: 9 } as const;
export type Zone = keyof typeof ZONE_OFFSET_H;

/** Formats an epoch-ms instant in an Indonesian zone, e.g. `28/11/2026 08.15.03 WITA`. */
export function formatInZone(ms: number, zone: Zone, opts: { seconds?: boolean } = {}): string {
  const d = new Date(ms + ZONE_OFFSET_H[zone] * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getUTCHours())}.${p(d.getUTCMinutes())}${opts.seconds === false ? '' : `.${p(d.getUTCSeconds())}`}`;
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${time} ${zone}`;
}

/** Formats an epoch-ms instant in WIB (UTC+7, OKU's zone), e.g. `28/11/2026 08.15.03 WIB`. */
export function formatWib(ms: number, opts: { seconds?: boolean } = {}): string {
  return formatInZone(ms, 'WIB', opts);
}

/** Minutes since local midnight in a zone, for rules like a Wi-Fi point's opening hours. */
export function minuteOfDayIn(ms: number, zone: Zone): number {
  const d = new Date(ms + ZONE_OFFSET_H[zone] * 3600_000);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** Minutes since midnight WIB. */
export function wibMinuteOfDay(ms: number): number {
  return minuteOfDayIn(ms, 'WIB');
}
