import type { Device, ProbeError } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { defineProbe, type ProbeSample } from '../definition.js';
import { readCaFile } from '../http/index.js';
import { tlsSchemaPart, type TlsSettings } from './schema.js';
import { runTlsCheck } from './probe.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

export interface TlsResult {
  kind: 'tls';
  deviceId: string;
  ts: number;
  durationMs: number;
  ok: boolean;
  error?: ProbeError;
  host: string;
  /** Days until the certificate expires (fractional; negative once expired); null when none was read. */
  daysLeft: number | null;
  validTo: number | null;
  issuer: string | null;
  protocol: string | null;
  handshakeMs: number | null;
}

declare module '../../../core/types.js' {
  interface ProbeResultMap {
    tls: TlsResult;
  }
}

/** Host and port of a device's tls check: its own, else those of its https URL. */
export function tlsTarget(d: Device): { host: string; port: number } {
  const t = d.probes.tls;
  const url = d.probes.http?.url ? new URL(d.probes.http.url) : null;
  const host = t?.host ?? url?.hostname ?? d.address;
  const port = t?.port ?? (url?.protocol === 'https:' && url.port ? Number(url.port) : 443);
  return { host, port };
}

export const tlsProbe = defineProbe<'tls', TlsSettings>({
  kind: 'tls',
  schema: tlsSchemaPart,
  create(ctx) {
    const extraCa = readCaFile(ctx.settings.caFile, ctx.configDir);
    const one = async (d: Device, signal: AbortSignal): Promise<TlsResult> => {
      const ts = ctx.now();
      const t0 = performance.now();
      const out = await runTlsCheck({
        address: d.address,
        ...tlsTarget(d),
        settings: ctx.settings,
        extraCa,
        now: ctx.now,
        signal,
      });
      return { kind: 'tls', deviceId: d.id, ts, durationMs: Math.round(performance.now() - t0), ...out };
    };
    return { run: (devices, { signal }) => Promise.all(devices.map((d) => one(d, signal))) };
  },
  failed: (base): TlsResult => ({
    ...base,
    kind: 'tls',
    ok: false,
    host: '',
    daysLeft: null,
    validTo: null,
    issuer: null,
    protocol: null,
    handshakeMs: null,
  }),
  measurements: rollupsOf('tls'),
  points(r, tags) {
    const f: Record<string, number> = { ok: flag(r.ok) };
    putField(f, 'days_left', r.daysLeft);
    putField(f, 'handshake_ms', r.handshakeMs);
    return makePoint('tls', tags, f, r.ts);
  },
  samples(r) {
    const out: ProbeSample[] = [];
    // Only a valid certificate counts down: an expired, untrusted or wrong-host one already fails the
    // check (and the http check, which takes the application DOWN); a renewed one clears the alert.
    if (r.ok && r.daysLeft !== null) out.push({ metric: 'tls_expiry_days', value: r.daysLeft, labels: '' });
    return out;
  },
  live(r) {
    return r.daysLeft === null ? [] : [{ deviceId: r.deviceId, ts: r.ts, name: 'tls_days_left', value: r.daysLeft }];
  },
  summary(r) {
    const cert =
      r.daysLeft !== null
        ? `${r.daysLeft} d left (until ${new Date(r.validTo!).toISOString().slice(0, 10)}), issuer ${r.issuer ?? '?'}, ${r.protocol ?? '?'}`
        : '';
    if (!r.ok) return `${r.error ? `${r.error.code} ${r.error.message}` : ''}${cert ? `; ${cert}` : ''}`;
    return `${r.host}: ${cert}`;
  },
});
