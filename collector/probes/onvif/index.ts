import type { OnvifResult } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { onvifSchemaPart } from './schema.js';
import { defineProbe, type ProbeSample } from '../definition.js';
import { createOnvifProber } from './probe.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

export const onvifProbe = defineProbe<'onvif', { maxClockDriftS: number }>({
  kind: 'onvif',
  schema: onvifSchemaPart,
  // SNMP BER coding and ONVIF SOAP parsing are the CPU-heavy probes: a worker thread can take them.
  offload: true,
  create(ctx) {
    const prober = createOnvifProber({
      credentials: ctx.credentials.onvif,
      now: ctx.now,
      maxClockDriftS: ctx.settings.maxClockDriftS,
      callTimeoutMs: Math.max(500, Math.floor(ctx.timeoutMs / 3)),
    });
    return { run: async (devices, opts) => Promise.all(devices.map((d) => prober.run(d, opts))) };
  },
  failed: (base): OnvifResult => ({
    ...base,
    kind: 'onvif',
    ok: false,
    reachable: false,
    authenticated: false,
    clockDriftS: null,
    info: null,
    mismatches: [],
    snapshot: null,
    rtsp: null,
  }),
  measurements: rollupsOf('camera'),
  points(r, tags) {
    const f: Record<string, number> = { reachable: flag(r.reachable), authenticated: flag(r.authenticated) };
    putField(f, 'clock_drift_s', r.clockDriftS);
    if (r.snapshot) {
      f['snapshot_ok'] = flag(r.snapshot.ok);
      putField(f, 'snapshot_latency_ms', r.snapshot.latencyMs);
      putField(f, 'snapshot_bytes', r.snapshot.bytes);
    }
    if (r.rtsp) {
      f['rtsp_ok'] = flag(r.rtsp.ok);
      putField(f, 'rtsp_latency_ms', r.rtsp.latencyMs);
    }
    return makePoint('camera', tags, f, r.ts);
  },
  samples(r) {
    const out: ProbeSample[] = [];
    if (!r.reachable) return out;
    if (r.snapshot) out.push({ metric: 'snapshot_ok', value: r.snapshot.ok ? 1 : 0, labels: '' });
    if (r.rtsp) out.push({ metric: 'rtsp_ok', value: r.rtsp.ok ? 1 : 0, labels: '' });
    if (r.clockDriftS !== null && Number.isFinite(r.clockDriftS))
      out.push({ metric: 'clock_drift_s', value: Math.abs(r.clockDriftS), labels: '' });
    return out;
  },
  live(r) {
    const v = r.snapshot?.latencyMs;
    return v === null || v === undefined || !Number.isFinite(v)
      ? []
      : [{ deviceId: r.deviceId, ts: r.ts, name: 'snapshot_ms', value: v }];
  },
  summary(r) {
    if (!r.ok) return r.error ? `${r.error.code} ${r.error.message}` : '';
    return `${r.info?.model ?? '?'} fw ${r.info?.firmware ?? '?'}, drift ${r.clockDriftS} s, snapshot ${r.snapshot?.bytes ?? 0} B, RTSP ${r.rtsp?.status ?? '-'}${r.mismatches.length ? `, ${r.mismatches.join('; ')}` : ''}`;
  },
});
