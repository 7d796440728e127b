import type { AvailabilityRow, HistoryPoint, HistoryQuery, HistoryReader } from '../../core/services.js';

/** A HistoryReader with deterministic synthetic points, for server and browser tests. */
export function createFakeHistory(opts: { fail?: boolean } = {}): HistoryReader & { queries: HistoryQuery[] } {
  const queries: HistoryQuery[] = [];
  return {
    queries,
    async history(q) {
      queries.push(q);
      if (opts.fail) throw new Error('influx down');
      const step = (q.stepS ?? Math.max(10, Math.round((q.to - q.from) / 60_000))) * 1000;
      const out: HistoryPoint[] = [];
      for (let t = q.from, i = 0; t < q.to && out.length < 500; t += step, i++) {
        const v = (k: number) => Math.round((10 + 5 * Math.sin(i / 5 + k)) * 10) / 10;
        const values: Record<string, number | null> =
          q.series === 'icmp'
            ? { rtt_avg_ms: v(0), loss_pct: i % 17 === 0 ? 20 : 0 }
            : q.series === 'traffic'
              ? { in_bps: v(1) * 1e6, out_bps: v(2) * 4e5 }
              : q.series === 'optical'
                ? { rx_dbm: -18 - v(3) / 5 }
                : q.series === 'wifi'
                  ? { clients: Math.round(v(4)) }
                  : { value: v(5) };
        out.push({ ts: t, values });
      }
      return out;
    },
    async availability(q) {
      if (opts.fail) throw new Error('influx down');
      const keys =
        q.groupBy === 'type'
          ? ['fiber', 'cctv', 'wifi', 'village']
          : q.groupBy === 'kecamatan'
            ? ['Baturaja Timur']
            : ['fo-core-01'];
      return keys.map((key, i): AvailabilityRow => ({ key, availabilityPct: 99.9 - i * 0.7, samples: 1000 }));
    },
  };
}
