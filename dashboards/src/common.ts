/**
 * What every pantau dashboard shares: the provisioned datasource, WIB, variables, thresholds
 * and the alert annotation. Titles are Bahasa Indonesia, the language of the NOC.
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  MappingType,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type AnnotationQuery,
  type DashboardLink,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { select } from './influxql.js';
import { OPTICAL_RX_CRIT_DBM, OPTICAL_RX_WARN_DBM, STATE_CODES } from './metrics-schema.js';

/** Must equal `uid` in dashboards/provisioning/datasources/*.yaml. */
export const DATASOURCE: DataSourceRef = { type: 'influxdb', uid: 'pantau-influxdb' };

/** Waktu Indonesia Barat: OKU's clock, whatever the viewer's browser says. */
export const TIMEZONE = 'Asia/Jakarta';

/** Every pantau dashboard one click away (top bar, not the SDK's default controls menu), keeping the time range. */
const dashboardsLink: Builder<DashboardLink> = {
  build() {
    const link = new DashboardLinkBuilder('Dasbor pantau')
      .type(DashboardLinkType.Dashboards)
      .tags(['pantau'])
      .asDropdown(true)
      .icon('external link')
      .tooltip('')
      .includeVars(false)
      .keepTime(true)
      .targetBlank(false)
      .build();
    delete link.placement;
    return link;
  },
};

export function pantauDashboard(uid: string, title: string, tags: string[]): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .link(dashboardsLink)
    .tags(['pantau', ...tags])
    .timezone(TIMEZONE)
    .weekStart('monday')
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly();
}

/**
 * A tag-value variable; multi-value with "Semua" (All) so queries use `=~ /^$name$/`.
 * `defaultValue` makes the first render deterministic (the device detail starts on fiber).
 */
export function tagVariable(
  name: string,
  label: string,
  query: string,
  opts: { multi?: boolean; defaultValue?: string } = {},
): QueryVariableBuilder {
  const multi = opts.multi ?? true;
  const v = new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
  if (opts.defaultValue !== undefined) v.current({ text: opts.defaultValue, value: opts.defaultValue, selected: true });
  else if (multi) v.current({ text: ['Semua'], value: ['$__all'], selected: true });
  return v;
}

/**
 * A table-cell link (put it on the device column) to that device's detail, keeping the time range;
 * `type` (a literal or `${__data.fields.type}`) sets the detail's type variable so its device
 * list contains the device.
 */
export function deviceDetailLink(type: string): { id: string; value: unknown } {
  return {
    id: 'links',
    value: [
      {
        title: 'Detail perangkat',
        url: `/d/pantau-device/pantau-detail-perangkat?var-type=${type}&var-device=\${__value.raw}&\${__url_time_range}`,
      },
    ],
  };
}

export function showTagValues(measurement: string, key: string, where?: string): string {
  return `SHOW TAG VALUES FROM "${measurement}" WITH KEY = "${key}"${where ? ` WHERE ${where}` : ''}`;
}

export const typeVariable = (): QueryVariableBuilder =>
  tagVariable('type', 'Tipe', showTagValues('device_state', 'type'));
export const kecamatanVariable = (): QueryVariableBuilder =>
  tagVariable('kecamatan', 'Kecamatan', showTagValues('device_state', 'kecamatan'));

export function thresholds(steps: Array<{ value: number | null; color: string }>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** Receive power: red below −28 dBm, orange to −25 dBm, green above. */
export const opticalThresholds = (): ThresholdsConfigBuilder =>
  thresholds([
    { value: null, color: 'red' },
    { value: OPTICAL_RX_CRIT_DBM, color: 'orange' },
    { value: OPTICAL_RX_WARN_DBM, color: 'green' },
  ]);

/** For 0..100 % availability/success. */
export const percentGoodThresholds = (): ThresholdsConfigBuilder =>
  thresholds([
    { value: null, color: 'red' },
    { value: 95, color: 'orange' },
    { value: 99, color: 'green' },
  ]);

export const STATE_NAMES_ID: Record<keyof typeof STATE_CODES, { text: string; color: string }> = {
  UP: { text: 'UP (normal)', color: 'green' },
  DEGRADED: { text: 'TERGANGGU', color: 'orange' },
  DOWN: { text: 'DOWN (mati)', color: 'red' },
  UNREACHABLE: { text: 'TAK TERJANGKAU', color: 'purple' },
  MAINTENANCE: { text: 'PEMELIHARAAN', color: 'blue' },
  UNKNOWN: { text: 'TIDAK DIKETAHUI', color: 'gray' },
};

/** device_state.state_code → Indonesian state names and colours. */
export function stateMappings(): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  for (const [name, code] of Object.entries(STATE_CODES)) {
    const s = STATE_NAMES_ID[name as keyof typeof STATE_CODES];
    options[String(code)] = { ...s, index: code };
  }
  return [{ type: MappingType.ValueToText, options }];
}

/** 1/0 fields (up, snapshot_ok, reachable…) shown as Ya/Tidak. */
export function yesNoMappings(): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: { '1': { text: 'Ya', color: 'green', index: 0 }, '0': { text: 'Tidak', color: 'red', index: 1 } },
    },
  ];
}

/**
 * The alert annotation: one marker per alert event from the `alert` measurement, in Grafana's
 * InfluxDB annotation format (`query` + `titleColumn`/`textColumn`/`tagsColumn`), which the
 * InfluxDB datasource reads and migrates. Not `target`: @grafana/schema's v1 Dashboard types
 * `target` as the built-in Grafana annotation target (limit/matchAny/tags), so an InfluxQL
 * target there fails schema validation (ADR 0600).
 */
export class InfluxAnnotationBuilder implements Builder<AnnotationQuery> {
  constructor(
    private readonly name: string,
    private readonly query: string,
    private readonly color: string,
    private readonly columns: { title: string; text: string; tags: string },
  ) {}

  build(): AnnotationQuery {
    const base = new AnnotationQueryBuilder()
      .name(this.name)
      .datasource(DATASOURCE)
      .enable(true)
      .iconColor(this.color)
      .build();
    // The SDK defaults to hiding the toggle in the controls menu; NOC viewers want it in sight.
    delete base.placement;
    return Object.assign(base, {
      query: this.query,
      titleColumn: this.columns.title,
      textColumn: this.columns.text,
      tagsColumn: this.columns.tags,
    });
  }
}

export function alertAnnotation(filter?: { tag: 'device' | 'type'; variable: string }): InfluxAnnotationBuilder {
  const q = select('alert').field('title').field('text').tagColumn('severity').tagColumn('device');
  if (filter) q.tagMatchesVar(filter.tag, filter.variable);
  return new InfluxAnnotationBuilder('Alert pantau', q.toString(), 'red', {
    title: 'title',
    text: 'text',
    tags: 'device,severity',
  });
}
