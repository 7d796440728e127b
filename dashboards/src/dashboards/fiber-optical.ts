/** Fiber optical power ("redaman"): every node, worst first, −25/−28 dBm thresholds, 24 h change. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import { deviceDetailLink, kecamatanVariable, opticalThresholds, pantauDashboard, thresholds } from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import { OPTICAL_RX_CRIT_DBM, OPTICAL_RX_WARN_DBM, type Measurement } from '../metrics-schema.js';
import { barGauge, cellColor, stat, table, timeseries, unitOf, withThresholdLines } from '../panels.js';

const kec = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> => q.tagMatchesVar('kecamatan', 'kecamatan');
const lastRx = () => kec(select('optical').agg('last', 'rx_dbm', { as: 'rx' })).groupBy('device', 'port');

export function fiberOptical(): Dashboard {
  return pantauDashboard('pantau-redaman', 'Pantau — Redaman serat optik', ['fiber', 'optik'])
    .description(
      `Daya optik terima (Rx) setiap node fiber, terburuk lebih dulu. Kuning di bawah ${OPTICAL_RX_WARN_DBM} dBm, merah di bawah ${OPTICAL_RX_CRIT_DBM} dBm. Waktu WIB.`,
    )
    .time({ from: 'now-24h', to: 'now' })
    .withVariable(kecamatanVariable())
    .withRow(new RowBuilder('Ringkasan'))
    .withPanel(
      stat('Rx terendah (dBm)', selectFrom(lastRx()).raw('min("rx")', 'rx terendah'), { unit: 'dBm', span: 8 })
        .thresholds(opticalThresholds())
        .decimals(1),
    )
    .withPanel(
      stat('Rx rata-rata (dBm)', selectFrom(lastRx()).raw('mean("rx")', 'rx rata-rata'), { unit: 'dBm', span: 8 })
        .thresholds(opticalThresholds())
        .decimals(1),
    )
    .withPanel(
      stat(
        'Penurunan terbesar 24 jam (dB)',
        selectFrom(
          kec(select('optical').raw('last("rx_dbm") - first("rx_dbm")', 'delta'))
            .lookBack('24h')
            .groupBy('device', 'port'),
        ).raw('min("delta")', 'penurunan'),
        {
          unit: 'dB',
          span: 8,
          description: 'Perubahan Rx paling negatif dalam 24 jam terakhir (Rx terakhir − Rx 24 jam lalu).',
        },
      )
        .thresholds(
          thresholds([
            { value: null, color: 'red' },
            { value: -3, color: 'orange' },
            { value: -1, color: 'green' },
          ]),
        )
        .decimals(2),
    )
    .withRow(new RowBuilder('Semua node'))
    .withPanel(
      table(
        'Redaman per node (terburuk dulu)',
        [
          kec(
            select('optical').agg('last', 'rx_dbm', { as: 'Rx (dBm)' }).agg('last', 'tx_dbm', { as: 'Tx (dBm)' }),
          ).groupBy('device', 'port', 'kecamatan'),
          kec(select('optical').raw('last("rx_dbm") - first("rx_dbm")', 'Perubahan 24 jam (dB)'))
            .lookBack('24h')
            .groupBy('device', 'port', 'kecamatan'),
        ],
        { height: 14, span: 14 },
      )
        // Two table frames (current Rx, 24 h change) joined on device/port/kecamatan, then worst first.
        .withTransformation({ id: 'merge', options: {} })
        .withTransformation({
          id: 'organize',
          options: {
            excludeByName: { Time: true, 'Time 1': true, 'Time 2': true },
            renameByName: { device: 'Perangkat', port: 'Port', kecamatan: 'Kecamatan' },
          },
        })
        .sortBy([new TableSortByFieldStateBuilder().displayName('Rx (dBm)').desc(false)])
        .overrideByName('Perangkat', [deviceDetailLink('fiber')])
        .overrideByName('Rx (dBm)', [cellColor(), unitOf('dBm')])
        .overrideByName('Tx (dBm)', [unitOf('dBm')])
        .overrideByName('Perubahan 24 jam (dB)', [unitOf('dB')])
        .thresholds(opticalThresholds()),
    )
    .withPanel(
      barGauge('10 node terburuk', selectFrom(lastRx()).raw('bottom("rx", "device", 10)', 'rx'), {
        unit: 'dBm',
        span: 10,
        displayName: '${__data.fields.device}',
      })
        .thresholds(opticalThresholds())
        .min(-35)
        .max(-10),
    )
    .withRow(new RowBuilder('Riwayat'))
    .withPanel(
      withThresholdLines(
        timeseries(
          'Daya optik terima per node (dBm)',
          [
            {
              q: kec(select('optical').agg('mean', 'rx_dbm', { as: 'rx' }))
                .groupByTime()
                .groupBy('device', 'port')
                .fill('none'),
              alias: '$tag_device $tag_port',
            },
          ],
          { unit: 'dBm', span: 24 },
        ).thresholds(opticalThresholds()),
      ),
    )
    .build();
}
