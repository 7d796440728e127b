import { expect } from 'chai';
import { influxql, literal, select, selectFrom } from '../../../dashboards/src/influxql.js';
import { formatInterval, interpolate } from '../../../dashboards/src/grafana-macros.js';

describe('dashboards/influxql', () => {
  it('builds a grouped time-series SELECT with Grafana macros and variable filters', () => {
    const q = select('icmp')
      .agg('mean', 'rtt_avg_ms', { as: 'rata-rata' })
      .tagMatchesVar('device', 'device')
      .groupByTime()
      .groupBy('if_name' as never)
      .fill('null');
    expect(q.toString()).to.equal(
      'SELECT mean("rtt_avg_ms") AS "rata-rata" FROM "icmp" WHERE $timeFilter AND "device" =~ /^$device$/ GROUP BY time($__interval), "if_name" fill(null)',
    );
  });

  it('nests a subquery and keeps math after the aggregate', () => {
    const inner = select('device_state').agg('last', 'up', { as: 'up' }).groupBy('device', 'type');
    expect(selectFrom(inner).raw('count("up") - sum("up")', 'Tidak UP').groupBy('type').toString()).to.equal(
      'SELECT count("up") - sum("up") AS "Tidak UP" FROM (SELECT last("up") AS "up" FROM "device_state" WHERE $timeFilter GROUP BY "device", "type") WHERE $timeFilter GROUP BY "type"',
    );
    expect(select('icmp').agg('mean', 'up', { math: '* 100', as: 'k' }).toString()).to.equal(
      'SELECT mean("up") * 100 AS "k" FROM "icmp" WHERE $timeFilter',
    );
  });

  it('uses a fixed look-back, a retention policy, escaped literals and regex alternations', () => {
    expect(
      select('optical', { rp: 'rollup_5m' }).field('rx_dbm').lookBack('24h').tagEquals('port', "it's").toString(),
    ).to.equal('SELECT "rx_dbm" FROM "rollup_5m"."optical" WHERE time > now() - 24h AND "port" = \'it\\\'s\'');
    expect(select('icmp').field('up').tagIn('type', ['wifi', 'a.b']).toString()).to.contain(
      '"type" =~ /^(wifi|a\\.b)$/',
    );
    expect(literal('a\\b')).to.equal("'a\\\\b'");
  });

  it('refuses a SELECT without fields', () => {
    expect(() => select('icmp').toString()).to.throw(/without fields/);
  });

  it('emits the Grafana InfluxQL target shape through the SDK Dataquery builder', () => {
    const t = JSON.parse(
      JSON.stringify(
        influxql(select('wifi').agg('last', 'clients')).refId('B').alias('$tag_device').resultFormat('table').build(),
      ),
    );
    expect(t).to.deep.equal({
      query: 'SELECT last("clients") AS "clients" FROM "wifi" WHERE $timeFilter',
      rawQuery: true,
      resultFormat: 'table',
      refId: 'B',
      alias: '$tag_device',
    });
  });
});

describe('dashboards/grafana-macros', () => {
  const ctx = {
    from: 1_000,
    to: 61_000,
    intervalMs: 60_000,
    variables: {
      device: { values: ['fo-01'], multi: false },
      kecamatan: { values: ['Baturaja Timur', 'Lubuk Raja'], multi: true },
      type: { values: ['a.b'], multi: true },
    },
  };

  it('substitutes time filter, interval and variables the way Grafana formats them for InfluxQL', () => {
    const q =
      'SELECT mean("x") FROM "m" WHERE $timeFilter AND "device" =~ /^$device$/ AND "kecamatan" =~ /^${kecamatan}$/ AND "type" =~ /^[[type]]$/ GROUP BY time($__interval)';
    expect(interpolate(q, ctx)).to.equal(
      'SELECT mean("x") FROM "m" WHERE time >= 1000ms and time <= 61000ms AND "device" =~ /^fo-01$/ AND "kecamatan" =~ /^(Baturaja Timur|Lubuk Raja)$/ AND "type" =~ /^a\\.b$/ GROUP BY time(1m)',
    );
    expect(interpolate('$__timeFilter $__interval_ms $interval', ctx)).to.equal(
      'time >= 1000ms and time <= 61000ms 60000 1m',
    );
  });

  it('fails on a variable the context does not know, so a typo cannot pass as an empty panel', () => {
    expect(() => interpolate('WHERE "d" =~ /^$devise$/', ctx)).to.throw(/unsubstituted Grafana variable \$devise/);
  });

  it('formats intervals like Grafana', () => {
    expect([
      formatInterval(500),
      formatInterval(10_000),
      formatInterval(300_000),
      formatInterval(7_200_000),
      formatInterval(86_400_000),
    ]).to.deep.equal(['500ms', '10s', '5m', '2h', '1d']);
  });
});

describe('dashboards/inspect', () => {
  it('resolves the dashboard default range and a Grafana-like $__interval', async () => {
    const { autoIntervalMs, defaultRange, relativeMs } = await import('../../../dashboards/src/inspect.js');
    expect(relativeMs('now-6h')).to.equal(21_600_000);
    expect(defaultRange({ time: { from: 'now-90d', to: 'now' } }, 1e12)).to.deep.equal({
      from: 1e12 - 90 * 86_400_000,
      to: 1e12,
    });
    expect(autoIntervalMs(21_600_000)).to.equal(30_000);
    expect(autoIntervalMs(90 * 86_400_000)).to.equal(10_800_000);
    expect(autoIntervalMs(600_000, 300_000)).to.equal(300_000);
  });

  it('finds panel targets inside rows, query variables and annotations, and skips hidden targets', async () => {
    const { queriesOf } = await import('../../../dashboards/src/inspect.js');
    const d = {
      templating: {
        list: [
          { name: 'device', type: 'query', query: 'SHOW TAG VALUES WITH KEY = "device"' },
          { name: 'x', type: 'custom', query: 'a,b' },
        ],
      },
      annotations: { list: [{ name: 'Alert', query: 'SELECT "title" FROM "alert" WHERE $timeFilter' }] },
      panels: [
        {
          type: 'row',
          title: 'R',
          panels: [{ type: 'stat', title: 'In row', targets: [{ refId: 'A', query: 'SELECT 1' }] }],
        },
        {
          type: 'timeseries',
          title: 'P',
          interval: '5m',
          targets: [
            { refId: 'A', query: 'SELECT 2' },
            { refId: 'B', query: 'SELECT 3', hide: true },
          ],
        },
      ],
    };
    expect(queriesOf(d).map((q) => [q.kind, q.where, q.minInterval])).to.deep.equal([
      ['variable', 'variable $device', undefined],
      ['annotation', 'annotation "Alert"', undefined],
      ['panel', 'panel "In row" target A', undefined],
      ['panel', 'panel "P" target A', '5m'],
    ]);
  });
});
