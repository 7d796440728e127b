/** CCTV health: snapshot success and latency, RTSP, clock drift, per camera. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import {
  kecamatanVariable,
  pantauDashboard,
  percentGoodThresholds,
  showTagValues,
  tagVariable,
  thresholds,
  yesNoMappings,
} from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import type { Measurement } from '../metrics-schema.js';
import { cellColor, perDevice, stat, table, unitOf } from '../panels.js';

const cams = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> =>
  q.tagMatchesVar('kecamatan', 'kecamatan').tagMatchesVar('device', 'kamera');
const driftThresholds = () =>
  thresholds([
    { value: null, color: 'green' },
    { value: 5, color: 'orange' },
    { value: 30, color: 'red' },
  ]);

export function cctvHealth(): Dashboard {
  return pantauDashboard('pantau-cctv', 'Pantau — Kesehatan CCTV', ['cctv'])
    .description('Kamera ONVIF: keberhasilan snapshot, RTSP, latensi dan selisih jam per kamera. Waktu WIB.')
    .withVariable(kecamatanVariable())
    .withVariable(tagVariable('kamera', 'Kamera', showTagValues('camera', 'device', '"kecamatan" =~ /^$kecamatan$/')))
    .withRow(new RowBuilder('Ringkasan'))
    .withPanel(
      stat(
        'Kamera terjangkau',
        selectFrom(cams(select('camera').agg('last', 'reachable', { as: 'r' })).groupBy('device')).raw(
          'sum("r")',
          'terjangkau',
        ),
        { unit: 'none' },
      ).thresholds(thresholds([{ value: null, color: 'green' }])),
    )
    .withPanel(
      stat('Snapshot berhasil', cams(select('camera').agg('mean', 'snapshot_ok', { math: '* 100', as: 'snapshot' })), {
        unit: 'percent',
      })
        .thresholds(percentGoodThresholds())
        .decimals(1),
    )
    .withPanel(
      stat('RTSP berhasil', cams(select('camera').agg('mean', 'rtsp_ok', { math: '* 100', as: 'rtsp' })), {
        unit: 'percent',
      })
        .thresholds(percentGoodThresholds())
        .decimals(1),
    )
    .withPanel(
      stat(
        'Selisih jam terbesar',
        selectFrom(cams(select('camera').raw('abs("clock_drift_s")', 'drift'))).raw('max("drift")', 'selisih'),
        {
          unit: 's',
          description: 'Selisih jam kamera terhadap server (nilai mutlak). Jam yang meleset merusak cap waktu rekaman.',
        },
      )
        .thresholds(driftThresholds())
        .decimals(1),
    )
    .withRow(new RowBuilder('Per kamera'))
    .withPanel(
      table(
        'Kesehatan per kamera',
        [
          cams(
            select('camera')
              .agg('last', 'reachable', { as: 'Terjangkau' })
              .agg('last', 'authenticated', { as: 'Login' })
              .agg('last', 'snapshot_ok', { as: 'Snapshot' })
              .agg('last', 'rtsp_ok', { as: 'RTSP' })
              .agg('mean', 'snapshot_latency_ms', { as: 'Latensi snapshot' })
              .agg('mean', 'rtsp_latency_ms', { as: 'Latensi RTSP' })
              .agg('last', 'clock_drift_s', { as: 'Selisih jam' })
              .agg('last', 'snapshot_bytes', { as: 'Ukuran snapshot' }),
          ).groupBy('device', 'kecamatan'),
        ],
        { height: 12 },
      )
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Time: true }, renameByName: { device: 'Kamera', kecamatan: 'Kecamatan' } },
        })
        .sortBy([new TableSortByFieldStateBuilder().displayName('Snapshot').desc(false)])
        .overrideByRegexp('^(Terjangkau|Login|Snapshot|RTSP)$', [
          cellColor(),
          { id: 'mappings', value: yesNoMappings() },
        ])
        .overrideByRegexp('^Latensi', [unitOf('ms')])
        .overrideByName('Selisih jam', [unitOf('s')])
        .overrideByName('Ukuran snapshot', [unitOf('bytes')]),
    )
    .withPanel(
      perDevice(
        'Keberhasilan snapshot (%)',
        cams(select('camera').agg('mean', 'snapshot_ok', { math: '* 100', as: 'snapshot' })),
        { unit: 'percent', min: 0, max: 100 },
      ),
    )
    .withPanel(
      perDevice('Latensi snapshot (ms)', cams(select('camera').agg('mean', 'snapshot_latency_ms', { as: 'latensi' })), {
        unit: 'ms',
        min: 0,
      }),
    )
    .withPanel(
      perDevice('RTSP berhasil (%)', cams(select('camera').agg('mean', 'rtsp_ok', { math: '* 100', as: 'rtsp' })), {
        unit: 'percent',
        min: 0,
        max: 100,
      }),
    )
    .withPanel(
      perDevice('Latensi RTSP (ms)', cams(select('camera').agg('mean', 'rtsp_latency_ms', { as: 'latensi' })), {
        unit: 'ms',
        min: 0,
      }),
    )
    .withPanel(
      perDevice('Selisih jam kamera (detik)', cams(select('camera').agg('mean', 'clock_drift_s', { as: 'selisih' })), {
        unit: 's',
        span: 24,
      }).thresholds(driftThresholds()),
    )
    .build();
}
