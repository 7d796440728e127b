/** "Layanan publik": the e-government applications (type service): up/down, response time, certificates, DNS. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { TableSortByFieldStateBuilder } from '@grafana/grafana-foundation-sdk/common';
import { pantauDashboard, percentGoodThresholds, showTagValues, tagVariable, thresholds } from '../common.js';
import { select, selectFrom, type SelectBuilder } from '../influxql.js';
import { HTTP_SLOW_MS, TLS_CRIT_DAYS, TLS_WARN_DAYS, type Measurement } from '../metrics-schema.js';
import { deviceStateFlags } from '../state-queries.js';
import { cellColor, perDevice, stat, table, timeseries, unitOf } from '../panels.js';

const svc = <M extends Measurement>(q: SelectBuilder<M>): SelectBuilder<M> =>
  q.tagEquals('type', 'service').tagMatchesVar('device', 'layanan');

/** Days left: red under 3, orange under 14 (the tls_certificate_expiring rule), green above. */
const certThresholds = () =>
  thresholds([
    { value: null, color: 'red' },
    { value: TLS_CRIT_DAYS, color: 'orange' },
    { value: TLS_WARN_DAYS, color: 'green' },
  ]);
/** Response time: green, orange from half the limit, red at the limit (DEGRADED). */
const latencyThresholds = () =>
  thresholds([
    { value: null, color: 'green' },
    { value: HTTP_SLOW_MS / 2, color: 'orange' },
    { value: HTTP_SLOW_MS, color: 'red' },
  ]);

export function publicServices(): Dashboard {
  return pantauDashboard('pantau-layanan', 'Pantau — Layanan publik', ['service'])
    .description(
      'Aplikasi e-government Kabupaten OKU (mSimpebaja, SIP, E-office, …): ketersediaan, waktu respons per tahap, sertifikat TLS, DNS. Waktu WIB.',
    )
    .withVariable(tagVariable('layanan', 'Layanan', showTagValues('http', 'device', '"type" = \'service\'')))
    .withRow(new RowBuilder('Ringkasan'))
    .withPanel(
      stat('Layanan UP', selectFrom(deviceStateFlags((q) => svc(q))).raw('sum("up")', 'UP'), {
        unit: 'none',
      }).thresholds(thresholds([{ value: null, color: 'green' }])),
    )
    .withPanel(
      stat('Layanan DOWN', selectFrom(deviceStateFlags((q) => svc(q))).raw('sum("down")', 'DOWN'), {
        unit: 'none',
      }).thresholds(
        thresholds([
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ]),
      ),
    )
    .withPanel(
      stat('Ketersediaan', svc(select('http').agg('mean', 'ok', { math: '* 100', as: 'ketersediaan' })), {
        unit: 'percent',
      })
        .thresholds(percentGoodThresholds())
        .decimals(2),
    )
    .withPanel(
      stat(
        'Sertifikat terdekat habis (hari)',
        selectFrom(svc(select('tls').agg('last', 'days_left', { as: 'd' })).groupBy('device')).raw('min("d")', 'hari'),
        { unit: 'none' },
      )
        .thresholds(certThresholds())
        .decimals(1),
    )
    .withRow(new RowBuilder('Waktu respons'))
    .withPanel(
      perDevice('Waktu respons total (ms)', svc(select('http').agg('mean', 'total_ms', { as: 'total' })), {
        unit: 'ms',
        min: 0,
      }).thresholds(latencyThresholds()),
    )
    .withPanel(
      timeseries(
        'Tahap permintaan (ms): DNS, koneksi, TLS, byte pertama',
        [
          {
            q: svc(
              select('http')
                .agg('mean', 'dns_ms', { as: 'dns' })
                .agg('mean', 'connect_ms', { as: 'koneksi' })
                .agg('mean', 'tls_ms', { as: 'tls' })
                .agg('mean', 'ttfb_ms', { as: 'byte pertama' }),
            )
              .groupByTime()
              .fill('none'),
            alias: '$col',
          },
        ],
        { unit: 'ms', min: 0 },
      ),
    )
    .withPanel(
      perDevice('Ketersediaan per layanan (%)', svc(select('http').agg('mean', 'ok', { math: '* 100', as: 'ok' })), {
        unit: 'percent',
        min: 0,
        max: 100,
      }),
    )
    .withPanel(
      perDevice('Waktu jawab DNS (ms)', svc(select('dns').agg('mean', 'ms', { as: 'dns' })), { unit: 'ms', min: 0 }),
    )
    .withRow(new RowBuilder('Per layanan'))
    .withPanel(
      table(
        'Layanan (ketersediaan terendah dulu)',
        [
          svc(
            select('http')
              .agg('mean', 'ok', { math: '* 100', as: 'Ketersediaan' })
              .agg('mean', 'total_ms', { as: 'Respons' })
              .agg('last', 'status', { as: 'HTTP' }),
          ).groupBy('device'),
        ],
        { height: 10 },
      )
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Time: true }, renameByName: { device: 'Layanan' } },
        })
        .sortBy([new TableSortByFieldStateBuilder().displayName('Ketersediaan').desc(false)])
        .overrideByName('Ketersediaan', [cellColor(), unitOf('percent')])
        .overrideByName('Respons', [unitOf('ms')])
        .thresholds(percentGoodThresholds()),
    )
    .withPanel(
      table(
        'Sertifikat TLS (hari tersisa, terdekat dulu)',
        [
          svc(
            select('tls').agg('last', 'days_left', { as: 'Hari tersisa' }).agg('last', 'ok', { as: 'Valid' }),
          ).groupBy('device'),
        ],
        { height: 10 },
      )
        .withTransformation({
          id: 'organize',
          options: { excludeByName: { Time: true }, renameByName: { device: 'Layanan' } },
        })
        .sortBy([new TableSortByFieldStateBuilder().displayName('Hari tersisa').desc(false)])
        .overrideByName('Hari tersisa', [cellColor()])
        .thresholds(certThresholds()),
    )
    .build();
}
