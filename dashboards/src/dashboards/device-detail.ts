/** Device detail, templated by device: latency/loss/jitter, traffic, errors, optical, CPU/temperature, uptime, reboots. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  alertAnnotation,
  opticalThresholds,
  pantauDashboard,
  percentGoodThresholds,
  showTagValues,
  stateMappings,
  tagVariable,
  thresholds,
} from '../common.js';
import { select, type SelectBuilder } from '../influxql.js';
import { STATE_LOOKBACK, type Measurement } from '../metrics-schema.js';
import { stat, timeseries, withThresholdLines } from '../panels.js';

const dev = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> => q.tagMatchesVar('device', 'device');

export function deviceDetail(): Dashboard {
  return (
    pantauDashboard('pantau-device', 'Pantau — Detail perangkat', ['perangkat'])
      .description(
        'Riwayat satu perangkat: latensi, loss, jitter, trafik, error, daya optik, CPU, suhu, uptime dan reboot. Waktu WIB.',
      )
      // Starts on fiber: the only type with every panel below (cameras have their own dashboard).
      .withVariable(
        tagVariable('type', 'Tipe', showTagValues('device_state', 'type'), { multi: false, defaultValue: 'fiber' }),
      )
      .withVariable(
        tagVariable('device', 'Perangkat', showTagValues('device_state', 'device', '"type" =~ /^$type$/'), {
          multi: false,
        }),
      )
      .annotation(alertAnnotation({ tag: 'device', variable: 'device' }))
      .withRow(new RowBuilder('Ringkasan'))
      .withPanel(
        stat(
          'Status',
          dev(select('device_state').agg('last', 'state_code', { as: 'status' })).lookBack(STATE_LOOKBACK),
          { span: 6 },
        ).mappings(stateMappings()),
      )
      .withPanel(
        stat('Ketersediaan', dev(select('icmp').agg('mean', 'up', { math: '* 100', as: 'ketersediaan' })), {
          unit: 'percent',
          span: 6,
        })
          .thresholds(percentGoodThresholds())
          .decimals(2),
      )
      .withPanel(
        stat('Uptime', dev(select('system').agg('last', 'uptime_s', { as: 'uptime' })), {
          unit: 's',
          span: 6,
        }).thresholds(
          thresholds([
            { value: null, color: 'orange' },
            { value: 3600, color: 'green' },
          ]),
        ),
      )
      .withPanel(
        stat('Jumlah reboot', dev(select('system').agg('sum', 'rebooted', { as: 'reboot' })), {
          unit: 'none',
          span: 6,
        }).thresholds(
          thresholds([
            { value: null, color: 'green' },
            { value: 1, color: 'orange' },
          ]),
        ),
      )
      .withRow(new RowBuilder('ICMP'))
      .withPanel(
        timeseries(
          'Latensi (ms)',
          [
            dev(
              select('icmp')
                .agg('mean', 'rtt_min_ms', { as: 'min' })
                .agg('mean', 'rtt_avg_ms', { as: 'rata-rata' })
                .agg('mean', 'rtt_max_ms', { as: 'maks' }),
            )
              .groupByTime()
              .fill('null'),
          ],
          { unit: 'ms', min: 0, span: 8 },
        ),
      )
      .withPanel(
        timeseries(
          'Packet loss (%)',
          [
            dev(select('icmp').agg('mean', 'loss_pct', { as: 'loss' }))
              .groupByTime()
              .fill('null'),
          ],
          { unit: 'percent', min: 0, max: 100, span: 8 },
        ),
      )
      .withPanel(
        timeseries(
          'Jitter (ms)',
          [
            dev(select('icmp').agg('mean', 'jitter_ms', { as: 'jitter' }))
              .groupByTime()
              .fill('null'),
          ],
          { unit: 'ms', min: 0, span: 8 },
        ),
      )
      .withRow(new RowBuilder('Interface'))
      .withPanel(
        timeseries(
          'Trafik interface (bit/s)',
          [
            {
              q: dev(
                select('interface').agg('mean', 'in_bps', { as: 'masuk' }).agg('mean', 'out_bps', { as: 'keluar' }),
              )
                .groupByTime()
                .groupBy('if_name')
                .fill('null'),
              alias: '$tag_if_name $col',
            },
          ],
          { unit: 'bps', min: 0 },
        ),
      )
      .withPanel(
        timeseries(
          'Error & discard interface',
          [
            {
              q: dev(
                select('interface')
                  .agg('mean', 'in_errors', { as: 'error masuk' })
                  .agg('mean', 'out_errors', { as: 'error keluar' })
                  .agg('mean', 'in_discards', { as: 'discard masuk' })
                  .agg('mean', 'out_discards', { as: 'discard keluar' }),
              )
                .groupByTime()
                .groupBy('if_name')
                .fill('null'),
              alias: '$tag_if_name $col',
            },
          ],
          { min: 0 },
        ),
      )
      .withRow(new RowBuilder('Optik & sistem'))
      .withPanel(
        withThresholdLines(
          timeseries(
            'Daya optik (dBm)',
            [
              {
                q: dev(select('optical').agg('mean', 'rx_dbm', { as: 'rx' }).agg('mean', 'tx_dbm', { as: 'tx' }))
                  .groupByTime()
                  .groupBy('port')
                  .fill('null'),
                alias: '$tag_port $col',
              },
            ],
            { unit: 'dBm', span: 8 },
          ).thresholds(opticalThresholds()),
        ),
      )
      // One panel: not every device model reports a temperature sensor (the lab's do not).
      .withPanel(
        timeseries(
          'CPU (%) & suhu (°C)',
          [
            dev(select('system').agg('mean', 'cpu_load_pct', { as: 'cpu' }))
              .groupByTime()
              .fill('null'),
            dev(select('system').agg('mean', 'temperature_c', { as: 'suhu' }))
              .groupByTime()
              .fill('null'),
          ],
          { unit: 'percent', min: 0, span: 16 },
        ).overrideByName('suhu', [
          { id: 'unit', value: 'celsius' },
          { id: 'custom.axisPlacement', value: 'right' },
        ]),
      )
      .withPanel(
        timeseries(
          'Uptime & reboot',
          [
            dev(select('system').agg('last', 'uptime_s', { as: 'uptime' }))
              .groupByTime()
              .fill('null'),
            dev(select('system').agg('max', 'rebooted', { as: 'reboot' }))
              .groupByTime()
              .fill('none'),
          ],
          { span: 24 },
        ).overrideByName('uptime', [{ id: 'unit', value: 's' }]),
      )
      .build()
  );
}
