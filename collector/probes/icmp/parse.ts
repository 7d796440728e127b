import type { IcmpResult } from '../../../core/types.js';

/**
 * Per-host ping statistics, computed from the individual round-trip times: the measurement part
 * of an IcmpResult. Jitter is the mean absolute difference between consecutive replies (RFC 3550
 * style, without smoothing).
 */
export type PingStats = Pick<
  IcmpResult,
  'sent' | 'received' | 'lossPct' | 'rttMinMs' | 'rttAvgMs' | 'rttMaxMs' | 'jitterMs'
>;

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Stats from a list of RTTs where null is a lost packet. */
export function statsFromRtts(rtts: readonly (number | null)[]): PingStats {
  const got = rtts.filter((r): r is number => r !== null);
  const sent = rtts.length;
  const received = got.length;
  let jitter: number | null = null;
  if (got.length >= 2) {
    let sum = 0;
    for (let i = 1; i < got.length; i++) sum += Math.abs(got[i]! - got[i - 1]!);
    jitter = round(sum / (got.length - 1));
  } else if (got.length === 1) {
    jitter = 0;
  }
  return {
    sent,
    received,
    lossPct: sent === 0 ? 100 : round(((sent - received) / sent) * 100),
    rttMinMs: received ? round(Math.min(...got)) : null,
    rttAvgMs: received ? round(got.reduce((a, b) => a + b, 0) / received) : null,
    rttMaxMs: received ? round(Math.max(...got)) : null,
    jitterMs: jitter,
  };
}

const LINE = /^(\S+)\s*:\s+((?:\d+(?:\.\d+)?|-)(?:\s+(?:\d+(?:\.\d+)?|-))*)\s*$/;

/**
 * Parses `fping -C N -q` output (on stderr): one line per host, `host : 0.26 - 0.05`, where `-`
 * is a lost packet. Other lines (resolver errors, ICMP unreachable notices, duplicates) are ignored;
 * a host missing from the output is the caller's to treat as unreachable.
 */
export function parseFpingC(output: string): Map<string, PingStats> {
  const out = new Map<string, PingStats>();
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const rtts = m[2]!.split(/\s+/).map((t) => (t === '-' ? null : Number(t)));
    out.set(m[1]!, statsFromRtts(rtts));
  }
  return out;
}
