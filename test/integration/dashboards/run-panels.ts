/**
 * Runs every query of every dashboard the way Grafana would: resolve the template variables
 * (their own queries first, defaults as saved, or a test's pick), substitute the macros, send the
 * InfluxQL to a real InfluxDB, and report each query that fails or returns no non-null value.
 */
import { DASHBOARDS } from '../../../dashboards/src/index.js';
import { interpolate, type VariableValue } from '../../../dashboards/src/grafana-macros.js';
import { autoIntervalMs, defaultRange, queriesOf, relativeMs, variablesOf } from '../../../dashboards/src/inspect.js';

type Series = { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] };
export type RunQuery = (q: string) => Promise<{ results: Array<{ series?: Series[]; error?: string }> }>;

export interface PanelRun {
  dashboard: string;
  where: string;
  kind: 'panel' | 'variable' | 'annotation';
  query: string;
  series: number;
  /** Non-null values outside the time column. */
  values: number;
  error?: string;
}

/** A non-null value in any non-time column: a series of only nulls draws nothing. */
function countValues(series: Series[]): number {
  let n = 0;
  for (const s of series) {
    const timeCol = s.columns.indexOf('time');
    for (const row of s.values)
      row.forEach((v, i) => {
        if (i !== timeCol && v !== null && v !== undefined) n++;
      });
  }
  return n;
}

/**
 * Each dashboard runs over its own default time range (as Grafana opens it) ending at `now`,
 * unless `range` forces one; `$__interval` follows the range and the panel's minimum interval.
 */
export async function runAllPanels(
  run: RunQuery,
  opts: { now?: number; range?: { from: number; to: number }; picks?: Record<string, Record<string, string>> },
): Promise<PanelRun[]> {
  const out: PanelRun[] = [];
  for (const spec of DASHBOARDS) {
    // The committed JSON is what Grafana gets provisioned with (its staleness is a unit test).
    const dashboard = JSON.parse(JSON.stringify(spec.build())) as unknown;
    const vars: Record<string, VariableValue> = {};
    const { from, to } = opts.range ?? defaultRange(dashboard, opts.now ?? Date.now());
    const ctx = (minInterval?: string) => ({
      from,
      to,
      intervalMs: autoIntervalMs(to - from, minInterval ? relativeMs(`now-${minInterval}`) : 0),
      variables: vars,
    });
    for (const v of variablesOf(dashboard)) {
      let options: string[];
      if (v.type === 'query') {
        const res = await run(interpolate(v.query, ctx()));
        options = (res.results[0]?.series ?? []).flatMap((s) => s.values.map((row) => String(row[1])));
      } else {
        // custom: "text : value,text : value"
        options = v.query
          .split(',')
          .map((o) => (o.split(' : ').pop() ?? '').trim())
          .filter(Boolean);
      }
      const pick = opts.picks?.[spec.file]?.[v.name];
      const wantsAll = v.current.length === 0 ? v.includeAll : v.current.includes('$__all');
      const chosen =
        pick !== undefined
          ? [pick]
          : wantsAll && v.includeAll
            ? options
            : v.current.length > 0 && v.current.every((c) => options.includes(c))
              ? v.current
              : options.slice(0, 1);
      if (chosen.length === 0) chosen.push('__no_value__');
      vars[v.name] = { values: chosen, multi: v.multi || v.includeAll };
    }
    for (const q of queriesOf(dashboard)) {
      const text = interpolate(q.query, ctx(q.minInterval));
      try {
        const res = await run(text);
        const r0 = res.results[0];
        const series = r0?.series ?? [];
        out.push({
          dashboard: spec.file,
          where: q.where,
          kind: q.kind,
          query: text,
          series: series.length,
          values: countValues(series),
          ...(r0?.error ? { error: r0.error } : {}),
        });
      } catch (err) {
        out.push({
          dashboard: spec.file,
          where: q.where,
          kind: q.kind,
          query: text,
          series: 0,
          values: 0,
          error: (err as Error).message,
        });
      }
    }
  }
  return out;
}

/**
 * Every query must run. Variables must return values; annotations may be empty (an alert-free
 * device has none). Panels must show data: with `perTarget` every target of a panel (a full
 * synthetic fill has every field), else at least one target per panel (a device model that has
 * no temperature sensor leaves that line of "CPU & suhu" empty, not the panel).
 */
export function failures(runs: readonly PanelRun[], opts: { perTarget?: boolean } = {}): string[] {
  const out = runs
    .filter(
      (r) =>
        r.error !== undefined ||
        (r.kind === 'variable' && r.values === 0) ||
        (opts.perTarget && r.kind === 'panel' && r.values === 0),
    )
    .map((r) => `${r.dashboard} ${r.where}: ${r.error ?? 'no data'}\n    ${r.query}`);
  if (!opts.perTarget) {
    const byPanel = new Map<string, PanelRun[]>();
    for (const r of runs) {
      if (r.kind !== 'panel') continue;
      const key = `${r.dashboard} ${r.where.replace(/ target [A-Z?]$/, '')}`;
      byPanel.set(key, [...(byPanel.get(key) ?? []), r]);
    }
    for (const [panel, rs] of byPanel)
      if (rs.every((r) => r.values === 0)) out.push(`${panel}: no data\n    ${rs.map((r) => r.query).join('\n    ')}`);
  }
  return out;
}
