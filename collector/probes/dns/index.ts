import type { Device, ProbeError } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { defineProbe } from '../definition.js';
import { dnsSchemaPart, type DnsSettings } from './schema.js';
import { runDnsCheck } from './probe.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

export interface DnsResult {
  kind: 'dns';
  deviceId: string;
  ts: number;
  durationMs: number;
  ok: boolean;
  error?: ProbeError;
  name: string;
  answers: string[];
  ms: number | null;
}

declare module '../../../core/types.js' {
  interface ProbeResultMap {
    dns: DnsResult;
  }
}

/** The name a device's dns check asks for: its own, else the host of its http URL. */
export function dnsName(d: Device): string {
  return d.probes.dns?.name ?? (d.probes.http?.url ? new URL(d.probes.http.url).hostname : d.id);
}

export const dnsProbe = defineProbe<'dns', DnsSettings>({
  kind: 'dns',
  schema: dnsSchemaPart,
  create(ctx) {
    const one = async (d: Device, signal: AbortSignal): Promise<DnsResult> => {
      const c = d.probes.dns!;
      const ts = ctx.now();
      const expect = c.expect ?? (c.type === 'A' ? [d.address] : null);
      const out = await runDnsCheck({
        name: dnsName(d),
        type: c.type,
        server: c.server ?? ctx.settings.server,
        expect,
        timeoutMs: ctx.timeoutMs,
        signal,
      });
      return { kind: 'dns', deviceId: d.id, ts, durationMs: Math.round(out.ms ?? ctx.now() - ts), ...out };
    };
    return { run: (devices, { signal }) => Promise.all(devices.map((d) => one(d, signal))) };
  },
  failed: (base): DnsResult => ({ ...base, kind: 'dns', ok: false, name: '', answers: [], ms: null }),
  measurements: rollupsOf('dns'),
  points(r, tags) {
    const f: Record<string, number> = { ok: flag(r.ok) };
    putField(f, 'ms', r.ms);
    return makePoint('dns', tags, f, r.ts);
  },
  samples(r) {
    return r.ms === null ? [] : [{ metric: 'dns_ms', value: r.ms, labels: '' }];
  },
  live(r) {
    return r.ms === null ? [] : [{ deviceId: r.deviceId, ts: r.ts, name: 'dns_ms', value: r.ms }];
  },
  summary(r) {
    if (!r.ok) return r.error ? `${r.error.code} ${r.error.message}` : '';
    return `${r.name} → ${r.answers.join(', ')} (${r.ms} ms)`;
  },
});
