import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Device, ProbeError } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { defineProbe, type ProbeSample } from '../definition.js';
import { httpSchemaPart, type HttpSettings } from './schema.js';
import { runHttpCheck, type HttpTimings } from './probe.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

export interface HttpResult extends HttpTimings {
  kind: 'http';
  deviceId: string;
  ts: number;
  durationMs: number;
  ok: boolean;
  error?: ProbeError;
  /** The URL finally requested (after redirects). */
  url: string;
  status: number | null;
  bytes: number | null;
  redirects: number;
}

declare module '../../../core/types.js' {
  interface ProbeResultMap {
    http: HttpResult;
  }
}

/** Reads `caFile` once at start: a missing file is a config error, said at start-up, not per poll. */
export function readCaFile(caFile: string, configDir: string): string | null {
  if (!caFile) return null;
  return readFileSync(resolve(configDir, caFile), 'utf8');
}

export const httpProbe = defineProbe<'http', HttpSettings>({
  kind: 'http',
  schema: httpSchemaPart,
  create(ctx) {
    const extraCa = readCaFile(ctx.settings.caFile, ctx.configDir);
    const creds = ctx.credentials.http ?? {};
    const beforeRun = ctx.hooks['httpBeforeRun'] as ((d: Device) => void) | undefined;
    const one = async (d: Device, signal: AbortSignal): Promise<HttpResult> => {
      beforeRun?.(d);
      const check = d.probes.http!;
      const ts = ctx.now();
      const t0 = performance.now();
      const secret = check.credentials ? creds[check.credentials] : undefined;
      const secretHeaders = Object.fromEntries(Object.entries(secret?.headers ?? {}).map(([k, v]) => [k, v.reveal()]));
      const out = await runHttpCheck(check, {
        address: d.address,
        settings: ctx.settings,
        extraCa,
        secretHeaders,
        signal,
      });
      return { kind: 'http', deviceId: d.id, ts, durationMs: Math.round(performance.now() - t0), ...out };
    };
    return { run: (devices, { signal }) => Promise.all(devices.map((d) => one(d, signal))) };
  },
  failed: (base): HttpResult => ({
    ...base,
    kind: 'http',
    ok: false,
    url: '',
    status: null,
    bytes: null,
    redirects: 0,
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    ttfbMs: null,
    totalMs: null,
  }),
  measurements: rollupsOf('http'),
  points(r, tags) {
    const f: Record<string, number> = { ok: flag(r.ok) };
    putField(f, 'total_ms', r.totalMs);
    putField(f, 'dns_ms', r.dnsMs);
    putField(f, 'connect_ms', r.connectMs);
    putField(f, 'tls_ms', r.tlsMs);
    putField(f, 'ttfb_ms', r.ttfbMs);
    putField(f, 'status', r.status);
    putField(f, 'bytes', r.bytes);
    return makePoint('http', tags, f, r.ts);
  },
  samples(r) {
    const out: ProbeSample[] = [];
    // A request that got an answer has a latency, even a wrong or slow one; a refused one has none.
    if (r.totalMs !== null && r.status !== null) out.push({ metric: 'http_total_ms', value: r.totalMs, labels: '' });
    if (r.status !== null) out.push({ metric: 'http_status', value: r.status, labels: '' });
    return out;
  },
  live(r) {
    const out = [];
    if (r.totalMs !== null && r.status !== null)
      out.push({ deviceId: r.deviceId, ts: r.ts, name: 'http_ms', value: r.totalMs });
    if (r.status !== null) out.push({ deviceId: r.deviceId, ts: r.ts, name: 'http_status', value: r.status });
    return out;
  },
  summary(r) {
    const phases = `dns ${r.dnsMs ?? '-'} / connect ${r.connectMs ?? '-'} / tls ${r.tlsMs ?? '-'} / ttfb ${r.ttfbMs ?? '-'} / total ${r.totalMs ?? '-'} ms`;
    if (!r.ok) return `${r.error ? `${r.error.code} ${r.error.message}` : ''}${r.status !== null ? `; ${phases}` : ''}`;
    return `HTTP ${r.status}, ${phases}, ${r.bytes ?? 0} B${r.redirects ? `, ${r.redirects} redirect(s)` : ''}`;
  },
});
