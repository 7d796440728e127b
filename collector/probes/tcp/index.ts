import { connect } from 'node:net';
import type { Device, ProbeError } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { defineProbe } from '../definition.js';
import { probeErrorOf } from '../net-errors.js';
import { tcpSchemaPart } from './schema.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

export interface TcpResult {
  kind: 'tcp';
  deviceId: string;
  ts: number;
  durationMs: number;
  ok: boolean;
  error?: ProbeError;
  port: number;
  ms: number | null;
}

declare module '../../../core/types.js' {
  interface ProbeResultMap {
    tcp: TcpResult;
  }
}

/** Opens and closes one TCP connection; refused = PANTAU_PROBE_TCP_REFUSED. */
export async function tcpConnect(
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<{ ms: number | null; error?: ProbeError }> {
  const t0 = performance.now();
  const s = connect({ host, port });
  const onAbort = () => s.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return { ms: Math.round((performance.now() - t0) * 100) / 100 };
  } catch (err) {
    return { ms: null, error: probeErrorOf(err, { refused: 'PANTAU_PROBE_TCP_REFUSED', timedOut: signal.aborted }) };
  } finally {
    signal.removeEventListener('abort', onAbort);
    s.destroy();
  }
}

export const tcpProbe = defineProbe<'tcp', undefined>({
  kind: 'tcp',
  schema: tcpSchemaPart,
  create(ctx) {
    const one = async (d: Device, signal: AbortSignal): Promise<TcpResult> => {
      const ts = ctx.now();
      const port = d.probes.tcp!.port;
      const out = await tcpConnect(d.address, port, signal);
      return {
        kind: 'tcp',
        deviceId: d.id,
        ts,
        durationMs: Math.round(out.ms ?? ctx.now() - ts),
        ok: !out.error,
        ...(out.error ? { error: out.error } : {}),
        port,
        ms: out.ms,
      };
    };
    return { run: (devices, { signal }) => Promise.all(devices.map((d) => one(d, signal))) };
  },
  failed: (base): TcpResult => ({ ...base, kind: 'tcp', ok: false, port: 0, ms: null }),
  measurements: rollupsOf('tcp'),
  points(r, tags) {
    const f: Record<string, number> = { ok: flag(r.ok) };
    putField(f, 'ms', r.ms);
    return makePoint('tcp', tags, f, r.ts);
  },
  samples(r) {
    return r.ms === null ? [] : [{ metric: 'tcp_ms', value: r.ms, labels: '' }];
  },
  live(r) {
    return r.ms === null ? [] : [{ deviceId: r.deviceId, ts: r.ts, name: 'tcp_ms', value: r.ms }];
  },
  summary(r) {
    if (!r.ok) return r.error ? `${r.error.code} ${r.error.message}` : '';
    return `port ${r.port} open (${r.ms} ms)`;
  },
});
