/**
 * Long-term trends from the 5-minute rollups (retention policy `rollup_5m`, two years, filled by the
 * sink's continuous queries, docs/metrics.md). The other dashboards read the raw policy (30 days).
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import { ROLLUP_RP } from '../../../core/vocabulary/measurements.js';
import {
  kecamatanVariable,
  opticalThresholds,
  pantauDashboard,
  percentGoodThresholds,
  typeVariable,
} from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import type { Measurement } from '../metrics-schema.js';
import { cellColor, table, timeseries, unitOf, withThresholdLines } from '../panels.js';

const rollup = <M extends Measurement>(m: M): SelectBuilder<M> =>
  select(m, { rp: ROLLUP_RP }).tagMatchesVar('type', 'type').tagMatchesVar('kecamatan', 'kecamatan');
/** Never group finer than the rollup step. */
const STEP = '5m';

export function longTerm(): Dashboard {
  return pantauDashboard('pantau-tren', 'Pantau — Tren jangka panjang', ['tren'])
    .description('Tren berbulan-bulan dari data ringkasan 5 menit (disimpan 2 tahun). Waktu WIB.')
    .time({ from: 'now-90d', to: 'now' })
    .refresh('1h')
    .withVariable(typeVariable())
    .withVariable(kecamatanVariable())
    .withRow(new RowBuilder('Ketersediaan'))
    .withPanel(
      timeseries(
        'Ketersediaan per tipe (%)',
        [
          {
            q: rollup('icmp')
              .agg('mean', 'up', { math: '* 100', as: 'ketersediaan' })
              .groupByTime()
              .groupBy('type')
              .fill('none'),
            alias: '$tag_type',
          },
        ],
        { unit: 'percent', min: 0, max: 100 },
      ).interval(STEP),
    )
    .withPanel(
      table(
        'Ketersediaan per kecamatan (terendah dulu)',
        [
          rollup('icmp')
            .agg('mean', 'up', { math: '* 100', as: 'Ketersediaan' })
            .agg('mean', 'rtt_avg_ms', { as: 'Latensi' })
            .agg('mean', 'loss_pct', { as: 'Loss' })
            .groupBy('kecamatan'),
        ],
        { span: 12, height: 8 },
      )
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Time: true }, renameByName: { kecamatan: 'Kecamatan' } },
        })
        .sortBy([new TableSortByFieldStateBuilder().displayName('Ketersediaan').desc(false)])
        .overrideByName('Ketersediaan', [cellColor(), unitOf('percent')])
        .overrideByName('Latensi', [unitOf('ms')])
        .overrideByName('Loss', [unitOf('percent')])
        .thresholds(percentGoodThresholds()),
    )
    .withRow(new RowBuilder('Jaringan & layanan'))
    .withPanel(
      timeseries(
        'Latensi rata-rata per tipe (ms)',
        [
          {
            q: rollup('icmp').agg('mean', 'rtt_avg_ms', { as: 'rtt' }).groupByTime().groupBy('type').fill('none'),
            alias: '$tag_type',
          },
        ],
        { unit: 'ms', min: 0 },
      ).interval(STEP),
    )
    .withPanel(
      withThresholdLines(
        timeseries(
          'Rx optik terendah per kecamatan (dBm)',
          [
            {
              q: rollup('optical').agg('min', 'rx_dbm', { as: 'rx' }).groupByTime().groupBy('kecamatan').fill('none'),
              alias: '$tag_kecamatan',
            },
          ],
          { unit: 'dBm' },
        )
          .interval(STEP)
          .thresholds(opticalThresholds()),
      ),
    )
    .withPanel(
      timeseries(
        'Keberhasilan snapshot CCTV (%)',
        [
          {
            q: rollup('camera')
              .agg('mean', 'snapshot_ok', { math: '* 100', as: 'snapshot' })
              .groupByTime()
              .fill('none'),
            alias: 'snapshot',
          },
        ],
        { unit: 'percent', min: 0, max: 100 },
      ).interval(STEP),
    )
    .withPanel(
      timeseries(
        'Klien Wi-Fi (jumlah semua titik)',
        [
          {
            q: selectFrom(rollup('wifi').agg('mean', 'clients', { as: 'c' }).groupByTime().groupBy('device'))
              .raw('sum("c")', 'klien')
              .groupByTime()
              .fill('none'),
            alias: 'klien',
          },
        ],
        { min: 0 },
      ).interval(STEP),
    )
    .build();
}
