/**
 * Panel shorthands so each dashboard file reads as a list of what the NOC sees.
 * Every panel gets the pantau datasource and InfluxQL targets with refIds A, B, C…
 */
import {
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  BigValueGraphMode,
  BigValueColorMode,
  TableCellDisplayMode,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import type { DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './common.js';
import { influxql, type InfluxQLQueryBuilder, type ResultFormat, type SelectBuilder } from './influxql.js';
import type { Measurement } from './metrics-schema.js';

export interface Target {
  q: string | SelectBuilder<Measurement>;
  /** Grafana series name pattern, e.g. `$tag_device` or `$tag_if_name $col`. */
  alias?: string;
}

function targets(
  list: Array<Target | string | SelectBuilder<Measurement>>,
  format: ResultFormat,
): InfluxQLQueryBuilder[] {
  return list.map((t, i) => {
    const target: Target = typeof t === 'string' || !('q' in t) ? { q: t } : t;
    const b = influxql(target.q)
      .refId(String.fromCharCode(65 + i))
      .resultFormat(format)
      .datasource(DATASOURCE);
    if (target.alias) b.alias(target.alias);
    return b;
  });
}

export function stat(
  title: string,
  query: Target | string | SelectBuilder<Measurement>,
  opts: { unit?: string; span?: number; description?: string } = {},
): StatPanel {
  const p = new StatPanel()
    .title(title)
    .datasource(DATASOURCE)
    .targets(targets([query], 'time_series'))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(BigValueGraphMode.None)
    .colorMode(BigValueColorMode.Background)
    .height(4)
    .span(opts.span ?? 6);
  if (opts.unit) p.unit(opts.unit);
  if (opts.description) p.description(opts.description);
  return p;
}

export function timeseries(
  title: string,
  queries: Array<Target | string | SelectBuilder<Measurement>>,
  opts: { unit?: string; span?: number; stacked?: boolean; min?: number; max?: number } = {},
): TimeseriesPanel {
  const p = new TimeseriesPanel()
    .title(title)
    .datasource(DATASOURCE)
    .targets(targets(queries, 'time_series'))
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['mean', 'max', 'lastNotNull']),
    )
    .lineWidth(1)
    .fillOpacity(opts.stacked ? 40 : 10)
    .spanNulls(false)
    .height(8)
    .span(opts.span ?? 12);
  if (opts.unit) p.unit(opts.unit);
  if (opts.min !== undefined) p.min(opts.min);
  if (opts.max !== undefined) p.max(opts.max);
  return p;
}

/**
 * One line per device: `query` (its aggregates, filtered by the dashboard's variables) bucketed by the
 * dashboard's interval, gaps left as gaps (`fill(none)`), each series named after its device.
 */
export function perDevice<M extends Measurement>(
  title: string,
  query: SelectBuilder<M>,
  opts: Parameters<typeof timeseries>[2] = {},
): TimeseriesPanel {
  return timeseries(title, [{ q: query.groupByTime().groupBy('device').fill('none'), alias: '$tag_device' }], opts);
}

/** Draw the thresholds as dashed lines (optical −25/−28 dBm). */
export function withThresholdLines(p: TimeseriesPanel): TimeseriesPanel {
  return p.thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
}

export function table(
  title: string,
  queries: Array<Target | string | SelectBuilder<Measurement>>,
  opts: { span?: number; height?: number } = {},
): TablePanel {
  return new TablePanel()
    .title(title)
    .datasource(DATASOURCE)
    .targets(targets(queries, 'table'))
    .height(opts.height ?? 10)
    .span(opts.span ?? 24);
}

/** One bar per table row (e.g. the 10 worst nodes). */
export function barGauge(
  title: string,
  query: Target | string | SelectBuilder<Measurement>,
  opts: { unit?: string; span?: number; displayName?: string } = {},
): BarGaugePanel {
  const p = new BarGaugePanel()
    .title(title)
    .datasource(DATASOURCE)
    .targets(targets([query], 'table'))
    .reduceOptions(new ReduceDataOptionsBuilder().values(true).calcs([]).fields('').limit(50))
    .height(10)
    .span(opts.span ?? 12);
  if (opts.unit) p.unit(opts.unit);
  if (opts.displayName) p.displayName(opts.displayName);
  return p;
}

/** Field override shorthands for table columns. */
export const cellColor = (): DynamicConfigValue => ({
  id: 'custom.cellOptions',
  value: { type: TableCellDisplayMode.ColorBackground },
});
export const unitOf = (unit: string): DynamicConfigValue => ({ id: 'unit', value: unit });
export const displayNameOf = (name: string): DynamicConfigValue => ({ id: 'displayName', value: name });
