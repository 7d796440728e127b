import type { IcmpResult } from '../../../core/types.js';
import { flag, makePoint, putField } from '../../../metrics/point.js';
import { icmpSchemaPart } from './schema.js';
import { defineProbe } from '../definition.js';
import { pickIcmpEngine, type IcmpEngine } from './client.js';
import { runIcmpBatch, sweepBudgetMs, type IcmpSettings } from './probe.js';
import { rollupsOf } from '../../../core/vocabulary/measurements.js';

type Settings = IcmpSettings & { engine: 'auto' | 'fping' | 'ping'; batchHosts: number };

export const icmpProbe = defineProbe<'icmp', Settings>({
  kind: 'icmp',
  schema: icmpSchemaPart,
  // Devices due within one second share one fping run instead of each spawning its own.
  batchQuantumMs: 1000,
  maxBatch: (s) => s.batchHosts,
  runTimeoutMs: (n, s, base) => sweepBudgetMs(n, s, base),
  create(ctx) {
    const log = ctx.logger.child({ module: 'collector' });
    const given = ctx.hooks['icmpEngine'] as IcmpEngine | undefined;
    let engine: Promise<IcmpEngine> | undefined = given ? Promise.resolve(given) : undefined;
    const icmpEngine = () =>
      (engine ??= pickIcmpEngine(ctx.settings.engine).then((e) => {
        log.info({ engine: e.name }, 'ICMP engine');
        return e;
      }));
    let loggedBroken = false;
    return {
      async run(devices, { signal }) {
        const e = await icmpEngine();
        const results = await runIcmpBatch(e, devices, ctx.settings, { signal, now: ctx.now });
        // The engine itself failed (e.g. fping without CAP_NET_RAW): say so once, not per device.
        const broken = results.find((r) => r.error?.code === 'PANTAU_PROBE_INTERNAL');
        if (broken && !loggedBroken) {
          loggedBroken = true;
          log.error(
            { engine: e.name, message: broken.error!.message },
            'ICMP engine failed; results are PANTAU_PROBE_INTERNAL',
          );
        }
        return results;
      },
    };
  },
  failed: (base): IcmpResult => ({
    ...base,
    kind: 'icmp',
    ok: false,
    sent: 0,
    received: 0,
    lossPct: 100,
    rttMinMs: null,
    rttAvgMs: null,
    rttMaxMs: null,
    jitterMs: null,
  }),
  measurements: rollupsOf('icmp'),
  points(r, tags) {
    const f: Record<string, number> = {};
    putField(f, 'rtt_min_ms', r.rttMinMs);
    putField(f, 'rtt_avg_ms', r.rttAvgMs);
    putField(f, 'rtt_max_ms', r.rttMaxMs);
    putField(f, 'jitter_ms', r.jitterMs);
    putField(f, 'loss_pct', r.lossPct);
    f['up'] = flag(r.received > 0);
    return makePoint('icmp', tags, f, r.ts);
  },
  samples(r) {
    const out = [];
    for (const [metric, value] of [
      ['loss_pct', r.lossPct],
      ['rtt_avg_ms', r.rttAvgMs],
      ['rtt_max_ms', r.rttMaxMs],
      ['jitter_ms', r.jitterMs],
    ] as const) {
      if (value !== null && Number.isFinite(value)) out.push({ metric, value, labels: '' });
    }
    return out;
  },
  live(r) {
    const out = [];
    for (const [name, value] of [
      ['rtt_avg_ms', r.rttAvgMs],
      ['loss_pct', r.lossPct],
    ] as const) {
      if (value !== null && Number.isFinite(value)) out.push({ deviceId: r.deviceId, ts: r.ts, name, value });
    }
    return out;
  },
  summary(r, lang) {
    if (!r.ok) return r.error ? `${r.error.code} ${r.error.message}` : '';
    return `rtt ${r.rttAvgMs} ms (min ${r.rttMinMs} / max ${r.rttMaxMs}), jitter ${r.jitterMs} ms, ${lang === 'id' ? 'hilang' : 'loss'} ${r.lossPct}%`;
  },
});
