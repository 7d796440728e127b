/** Public internet (Wi-Fi publik) and Internet Desa: clients, traffic, availability. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { CustomVariableBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  StackingConfigBuilder,
  StackingMode,
  TableSortByFieldStateBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { pantauDashboard, percentGoodThresholds, showTagValues, tagVariable, thresholds } from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import type { Measurement } from '../metrics-schema.js';
import { deviceStateFlags } from '../state-queries.js';
import { cellColor, perDevice, stat, table, timeseries, unitOf } from '../panels.js';

const pts = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> =>
  q.tagMatchesVar('type', 'layanan').tagMatchesVar('device', 'titik');

export function publicInternet(): Dashboard {
  return (
    pantauDashboard('pantau-internet', 'Pantau — Internet publik & Internet Desa', ['wifi', 'village'])
      .description('Titik Wi-Fi publik dan Internet Desa: jumlah klien, trafik uplink, ketersediaan. Waktu WIB.')
      .withVariable(
        new CustomVariableBuilder('layanan')
          .label('Layanan')
          .values('Wi-Fi publik : wifi,Internet Desa : village')
          .multi(true)
          .includeAll(true)
          .current({ text: ['Semua'], value: ['$__all'], selected: true }),
      )
      .withVariable(
        tagVariable('titik', 'Titik layanan', showTagValues('device_state', 'device', '"type" =~ /^$layanan$/')),
      )
      .withRow(new RowBuilder('Ringkasan'))
      .withPanel(
        stat(
          'Klien Wi-Fi saat ini',
          selectFrom(pts(select('wifi').agg('last', 'clients', { as: 'c' })).groupBy('device')).raw(
            'sum("c")',
            'klien',
          ),
          { unit: 'none' },
        ).thresholds(thresholds([{ value: null, color: 'blue' }])),
      )
      .withPanel(
        stat('Titik layanan UP', selectFrom(deviceStateFlags(pts)).raw('sum("up")', 'UP'), { unit: 'none' }).thresholds(
          thresholds([{ value: null, color: 'green' }]),
        ),
      )
      .withPanel(
        stat('Titik layanan DOWN', selectFrom(deviceStateFlags(pts)).raw('sum("down")', 'DOWN'), {
          unit: 'none',
        }).thresholds(
          thresholds([
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ]),
        ),
      )
      .withPanel(
        stat('Ketersediaan', pts(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' })), {
          unit: 'percent',
        })
          .thresholds(percentGoodThresholds())
          .decimals(2),
      )
      .withRow(new RowBuilder('Klien & trafik'))
      .withPanel(
        perDevice('Jumlah klien Wi-Fi', pts(select('wifi').agg('mean', 'clients', { as: 'klien' })), {
          min: 0,
          stacked: true,
        }).stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A')),
      )
      .withPanel(
        timeseries(
          'Trafik uplink (bit/s)',
          [
            {
              q: pts(
                select('interface').agg('mean', 'in_bps', { as: 'unduh' }).agg('mean', 'out_bps', { as: 'unggah' }),
              )
                .tagEquals('uplink', 'true')
                .groupByTime()
                .groupBy('device')
                .fill('none'),
              alias: '$tag_device $col',
            },
          ],
          { unit: 'bps', min: 0 },
        ),
      )
      // Uplink needs the inventory's uplinkIfIndex; APs without it still show traffic per interface (radios, LAN).
      .withPanel(
        timeseries(
          'Trafik per interface (bit/s)',
          [
            {
              q: pts(
                select('interface').agg('mean', 'in_bps', { as: 'masuk' }).agg('mean', 'out_bps', { as: 'keluar' }),
              )
                .groupByTime()
                .groupBy('device', 'if_name')
                .fill('none'),
              alias: '$tag_device $tag_if_name $col',
            },
          ],
          { unit: 'bps', min: 0, span: 24 },
        ),
      )
      .withRow(new RowBuilder('Ketersediaan'))
      .withPanel(
        perDevice(
          'Ketersediaan per titik (%)',
          pts(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' })),
          { unit: 'percent', min: 0, max: 100 },
        ),
      )
      .withPanel(
        perDevice('Latensi per titik (ms)', pts(select('icmp').agg('mean', 'rtt_avg_ms', { as: 'rtt' })), {
          unit: 'ms',
          min: 0,
        }),
      )
      .withPanel(
        table(
          'Ketersediaan per titik (terendah dulu)',
          [
            pts(
              select('icmp')
                .agg('mean', 'up', { math: '* 100', as: 'Ketersediaan' })
                .agg('mean', 'rtt_avg_ms', { as: 'Latensi' })
                .agg('mean', 'loss_pct', { as: 'Loss' }),
            ).groupBy('device', 'type', 'kecamatan'),
          ],
          { height: 10 },
        )
          .withTransformation({
            id: 'organize',
            options: {
              excludeByName: { Time: true },
              renameByName: { device: 'Titik', type: 'Layanan', kecamatan: 'Kecamatan' },
            },
          })
          .sortBy([new TableSortByFieldStateBuilder().displayName('Ketersediaan').desc(false)])
          .overrideByName('Ketersediaan', [cellColor(), unitOf('percent')])
          .overrideByName('Latensi', [unitOf('ms')])
          .overrideByName('Loss', [unitOf('percent')])
          .thresholds(percentGoodThresholds()),
      )
      .build()
  );
}
