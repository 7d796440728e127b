/** NOC overview: devices up/down by type and kecamatan, availability, open alerts, alert annotations. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAnnotation,
  deviceDetailLink,
  kecamatanVariable,
  pantauDashboard,
  percentGoodThresholds,
  thresholds,
  typeVariable,
} from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import { STATE_LOOKBACK, type Measurement } from '../metrics-schema.js';
import { cellColor, stat, table, timeseries } from '../panels.js';
import { deviceStateFlags } from '../state-queries.js';

const filtered = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> =>
  q.tagMatchesVar('type', 'type').tagMatchesVar('kecamatan', 'kecamatan');

const stateFlags = (...by: Array<'type' | 'kecamatan'>) => deviceStateFlags(filtered, ...by);

/** Latest event per alert (device + rule): an alert is active when that event says open/acknowledged. */
const activeAlerts = () =>
  selectFrom(
    filtered(
      select('alert')
        .agg('last', 'title', { as: 'judul' })
        .tagColumn('status', 'status')
        .tagColumn('severity', 'severity'),
    )
      .lookBack(STATE_LOOKBACK)
      .groupBy('device', 'rule', 'type'),
  ).whereRaw(`"status" =~ /^(open|acknowledged)$/`);

export function nocOverview(): Dashboard {
  return pantauDashboard('pantau-noc', 'Pantau — Ringkasan NOC', ['noc'])
    .description(
      'Ringkasan jaringan smart city OKU: perangkat hidup/mati per tipe dan kecamatan, ketersediaan, alert aktif. Waktu WIB.',
    )
    .withVariable(typeVariable())
    .withVariable(kecamatanVariable())
    .annotation(alertAnnotation({ tag: 'type', variable: 'type' }))
    .withRow(new RowBuilder('Status saat ini'))
    .withPanel(
      stat('Perangkat UP', selectFrom(stateFlags()).raw('sum("up")', 'UP'), {
        unit: 'none',
        span: 5,
        description: 'Status terakhir UP atau TERGANGGU.',
      }).thresholds(thresholds([{ value: null, color: 'green' }])),
    )
    .withPanel(
      stat('Perangkat DOWN / tak terjangkau', selectFrom(stateFlags()).raw('sum("down")', 'DOWN'), {
        span: 5,
        unit: 'none',
        description:
          'Status terakhir DOWN atau TAK TERJANGKAU (akar masalah di hulu). Perangkat dalam pemeliharaan tidak dihitung.',
      }).thresholds(
        thresholds([
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ]),
      ),
    )
    .withPanel(
      stat('Pemeliharaan', selectFrom(stateFlags()).raw('sum("maint")', 'pemeliharaan'), {
        unit: 'none',
        span: 4,
      }).thresholds(thresholds([{ value: null, color: 'blue' }])),
    )
    .withPanel(
      stat('Ketersediaan ICMP', filtered(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' })), {
        unit: 'percent',
        span: 5,
      })
        .thresholds(percentGoodThresholds())
        .decimals(2),
    )
    .withPanel(
      stat('Alert aktif', activeAlerts().raw('count("judul")', 'alert'), {
        unit: 'none',
        span: 5,
        description: 'Alert yang status terakhirnya terbuka atau diakui (acknowledged), dalam 30 hari terakhir.',
      }).thresholds(
        thresholds([
          { value: null, color: 'green' },
          { value: 1, color: 'orange' },
        ]),
      ),
    )
    .withPanel(
      table(
        'Status per tipe',
        [
          selectFrom(stateFlags('type'))
            .raw('sum("up")', 'UP')
            .raw('sum("down")', 'DOWN')
            .raw('sum("maint")', 'Pemeliharaan')
            .raw('count("up")', 'Jumlah')
            .groupBy('type'),
        ],
        { span: 12, height: 7 },
      )
        .overrideByName('DOWN', [cellColor()])
        .thresholds(
          thresholds([
            { value: null, color: 'transparent' },
            { value: 1, color: 'red' },
          ]),
        ),
    )
    .withPanel(
      table(
        'Status per kecamatan',
        [
          selectFrom(stateFlags('kecamatan'))
            .raw('sum("up")', 'UP')
            .raw('sum("down")', 'DOWN')
            .raw('sum("maint")', 'Pemeliharaan')
            .raw('count("up")', 'Jumlah')
            .groupBy('kecamatan'),
        ],
        { span: 12, height: 7 },
      )
        .overrideByName('DOWN', [cellColor()])
        .thresholds(
          thresholds([
            { value: null, color: 'transparent' },
            { value: 1, color: 'red' },
          ]),
        ),
    )
    .withRow(new RowBuilder('Ketersediaan'))
    .withPanel(
      timeseries(
        'Ketersediaan per tipe (%)',
        [
          {
            q: filtered(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' }))
              .groupByTime()
              .groupBy('type')
              .fill('none'),
            alias: '$tag_type',
          },
        ],
        { unit: 'percent', min: 0, max: 100 },
      ),
    )
    .withPanel(
      timeseries(
        'Ketersediaan per kecamatan (%)',
        [
          {
            q: filtered(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' }))
              .groupByTime()
              .groupBy('kecamatan')
              .fill('none'),
            alias: '$tag_kecamatan',
          },
        ],
        { unit: 'percent', min: 0, max: 100 },
      ),
    )
    .withPanel(
      timeseries(
        'Latensi rata-rata per tipe (ms)',
        [
          {
            q: filtered(select('icmp').agg('mean', 'rtt_avg_ms', { as: 'rtt' }))
              .groupByTime()
              .groupBy('type')
              .fill('none'),
            alias: '$tag_type',
          },
        ],
        { unit: 'ms', min: 0 },
      ),
    )
    .withPanel(
      timeseries(
        'Packet loss per tipe (%)',
        [
          {
            q: filtered(select('icmp').agg('mean', 'loss_pct', { as: 'loss' }))
              .groupByTime()
              .groupBy('type')
              .fill('none'),
            alias: '$tag_type',
          },
        ],
        { unit: 'percent', min: 0 },
      ),
    )
    .withRow(new RowBuilder('Alert'))
    .withPanel(
      table(
        'Alert aktif',
        [
          activeAlerts()
            .raw('"judul"', 'Judul')
            .raw('"severity"', 'Tingkat')
            .raw('"status"', 'Status')
            .groupBy('device', 'rule', 'type'),
        ],
        { height: 9 },
      ).overrideByName('device', [deviceDetailLink('${__data.fields.type}')]),
    )
    .build();
}
