/**
 * Pure interface-rate calculator. Per device the collector keeps the previous counters; this
 * turns two snapshots into bits/s and says whether the device rebooted in between.
 *
 * Rules (table-tested in test/unit/collector/rates.test.ts):
 * - first poll: no rates
 * - sysUpTime went backwards: reboot, no rates (counters restarted from 0: never a spike) —
 *   except sysUpTime's own wrap at 2^32 ticks (497 days), which is not a reboot
 * - 64-bit counter went backwards: counter reset, no rate
 * - 32-bit counter went backwards: one wrap (2^32) if the implied rate fits the link speed, else a reset
 */
export interface IfCounters {
  inOctets: bigint | null;
  outOctets: bigint | null;
  /** true when the values are ifHCIn/OutOctets (64-bit). */
  hc: boolean;
  speedBps: number | null;
}

export interface CounterSnapshot {
  /** epoch ms of the poll */
  ts: number;
  uptimeS: number | null;
  ifs: ReadonlyMap<number, IfCounters>;
}

export interface RateResult {
  rebooted: boolean;
  rates: Map<number, { inBps: number | null; outBps: number | null }>;
}

const WRAP32 = 2n ** 32n;

function counterRate(
  prev: bigint | null,
  cur: bigint | null,
  hc: boolean,
  prevHc: boolean,
  dtS: number,
  speedBps: number | null,
): number | null {
  if (prev === null || cur === null || hc !== prevHc) return null;
  let delta = cur - prev;
  if (delta < 0n) {
    if (hc) return null;
    delta += WRAP32;
    const rate = (Number(delta) * 8) / dtS;
    // A wrapped delta faster than the link is a reset (e.g. agent restart without uptime reset).
    if (speedBps !== null && speedBps > 0 && rate > speedBps * 1.1) return null;
    return Math.round(rate * 1000) / 1000;
  }
  return Math.round(((Number(delta) * 8) / dtS) * 1000) / 1000;
}

const UPTIME_WRAP_S = 2 ** 32 / 100;

/** TimeTicks wrap every 497 days: just before the limit then just after 0, about dt apart. */
function uptimeWrapped(prevS: number, curS: number, dtS: number): boolean {
  const slack = 60;
  return (
    prevS > UPTIME_WRAP_S - dtS - slack && curS < dtS + slack && Math.abs(UPTIME_WRAP_S - prevS + curS - dtS) < slack
  );
}

export function computeRates(prev: CounterSnapshot | undefined, cur: CounterSnapshot): RateResult {
  const rates = new Map<number, { inBps: number | null; outBps: number | null }>();
  const none = () => {
    for (const idx of cur.ifs.keys()) rates.set(idx, { inBps: null, outBps: null });
  };
  if (!prev) {
    none();
    return { rebooted: false, rates };
  }
  const dtS = (cur.ts - prev.ts) / 1000;
  const rebooted =
    prev.uptimeS !== null &&
    cur.uptimeS !== null &&
    cur.uptimeS < prev.uptimeS &&
    !uptimeWrapped(prev.uptimeS, cur.uptimeS, dtS);
  if (rebooted || dtS <= 0) {
    none();
    return { rebooted, rates };
  }
  for (const [idx, c] of cur.ifs) {
    const p = prev.ifs.get(idx);
    if (!p) {
      rates.set(idx, { inBps: null, outBps: null });
      continue;
    }
    rates.set(idx, {
      inBps: counterRate(p.inOctets, c.inOctets, c.hc, p.hc, dtS, c.speedBps),
      outBps: counterRate(p.outOctets, c.outOctets, c.hc, p.hc, dtS, c.speedBps),
    });
  }
  return { rebooted, rates };
}
