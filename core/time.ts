/** Injected clock: modules never call Date.now() directly, so tests drive time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export function createManualClock(start = Date.UTC(2026, 10, 28, 1, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => { t += ms; },
    set: (ms: number) => { t = ms; },
  };
}

const WIB_OFFSET_MS = 7 * 3600 * 1000;

/** Formats an epoch-ms instant in WIB (UTC+7, no DST), e.g. `28/11/2026 08.15.03 WIB`. */
export function formatWib(ms: number, opts: { seconds?: boolean } = {}): string {
  const d = new Date(ms + WIB_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getUTCHours())}.${p(d.getUTCMinutes())}${opts.seconds === false ? '' : `.${p(d.getUTCSeconds())}`}`;
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${time} WIB`;
}

/** Minutes since midnight WIB, for rules like a Wi-Fi point's opening hours. */
export function wibMinuteOfDay(ms: number): number {
  const d = new Date(ms + WIB_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}
