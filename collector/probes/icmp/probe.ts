import type { Device, IcmpResult } from '../../../core/types.js';
import { toProbeError } from '../../probe-error.js';
import type { IcmpEngine } from './client.js';

export interface IcmpSettings {
  count: number;
  intervalMs: number;
  timeoutMs: number;
  spacingMs?: number;
}

/** Upper bound for one sweep: the engine needs ~1 ms per packet on top of the per-host wait. */
export function sweepBudgetMs(hosts: number, s: IcmpSettings, baseTimeoutMs: number): number {
  return baseTimeoutMs + s.count * (s.intervalMs + s.timeoutMs) + hosts * s.count * 2;
}

/** Pings many devices with ONE engine run and returns one result per device. */
export async function runIcmpBatch(
  engine: IcmpEngine,
  devices: readonly Device[],
  s: IcmpSettings,
  opts: { signal: AbortSignal; now: () => number },
): Promise<IcmpResult[]> {
  const ts = opts.now();
  const started = performance.now();
  const hosts = [...new Set(devices.map((d) => d.address))];
  let stats: Awaited<ReturnType<IcmpEngine['sweep']>>;
  try {
    stats = await engine.sweep(hosts, { ...s, signal: opts.signal });
  } catch (err) {
    const error = toProbeError(err, 'PANTAU_PROBE_INTERNAL');
    const durationMs = Math.round(performance.now() - started);
    return devices.map((d) => ({
      kind: 'icmp',
      deviceId: d.id,
      ts,
      durationMs,
      ok: false,
      error,
      sent: 0,
      received: 0,
      lossPct: 100,
      rttMinMs: null,
      rttAvgMs: null,
      rttMaxMs: null,
      jitterMs: null,
    }));
  }
  const durationMs = Math.round(performance.now() - started);
  return devices.map((d): IcmpResult => {
    const st = stats.get(d.address);
    if (!st) {
      return {
        kind: 'icmp',
        deviceId: d.id,
        ts,
        durationMs,
        ok: false,
        error: { code: 'PANTAU_PROBE_UNREACHABLE', message: 'no answer from the ping engine for this host' },
        sent: s.count,
        received: 0,
        lossPct: 100,
        rttMinMs: null,
        rttAvgMs: null,
        rttMaxMs: null,
        jitterMs: null,
      };
    }
    const ok = st.received > 0;
    return {
      kind: 'icmp',
      deviceId: d.id,
      ts,
      durationMs,
      ok,
      ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: `no reply to ${st.sent} pings` } }),
      ...st,
    };
  });
}
