import { expect } from 'chai';
import { loadConfig } from '../../../core/config/load.js';
import { startInfluxd, type InfluxdHandle } from '../../helpers/influxd.js';
import { fillSynthetic } from './synthetic-fill.js';
import { failures, runAllPanels } from './run-panels.js';
import { runRollups } from './rollups.js';

/**
 * Every panel query of every dashboard against InfluxDB 1.6.7 holding 25 h of points for the
 * whole OKU inventory (227 devices) in the docs/metrics.md schema, written by a generator: the
 * full-size, day-long check the lab (minutes of data, a few devices) cannot give.
 */
describe('dashboards: every panel query on a synthetic full inventory (InfluxDB 1.6.7)', function () {
  this.timeout(120_000);
  let influxd: InfluxdHandle | undefined;
  after(async () => {
    await influxd?.stop();
  });

  it('returns data for every panel and variable, and every annotation query runs', async () => {
    influxd = await startInfluxd();
    const { inventory } = loadConfig('config/pantau.yaml', {});
    const now = Date.now();
    const { down } = await fillSynthetic({ url: influxd.url, database: 'pantau', devices: inventory.devices, now });
    expect(down.length).to.be.greaterThan(0);
    const h = influxd;
    expect(
      await runRollups((q) => h.query('pantau', q), 'pantau', now - 26 * 3600_000, now + 600_000),
    ).to.be.greaterThan(5);
    const runs = await runAllPanels((q) => h.query('pantau', q), { now: now + 60_000 });
    expect(runs.filter((r) => r.kind === 'panel').length).to.be.greaterThan(40);
    expect(failures(runs, { perTarget: true }), failures(runs, { perTarget: true }).join('\n')).to.deep.equal([]);
    // The worst-first table really ranks the weakest receiver first: −29 dBm nodes exist.
    const worst = await h.query(
      'pantau',
      `SELECT bottom("rx", "device", 1) FROM (SELECT last("rx_dbm") AS "rx" FROM "optical" WHERE time > now() - 1h GROUP BY "device")`,
    );
    expect(Number(worst.results[0]?.series?.[0]?.values[0]?.[1])).to.be.below(-28);
    // Current state counts include devices whose last change is days old, and exclude maintenance.
    const statValue = async (title: string) => {
      const run = runs.find((r) => r.dashboard === 'noc-overview.json' && r.where.startsWith(`panel "${title}"`));
      const res = await h.query('pantau', run?.query ?? 'missing panel');
      return res.results[0]?.series?.[0]?.values[0]?.[1];
    };
    expect(await statValue('Perangkat UP')).to.equal(inventory.devices.length - down.length - 1);
    expect(await statValue('Perangkat DOWN / tak terjangkau')).to.equal(down.length);
    expect(await statValue('Pemeliharaan')).to.equal(1);
    expect(await statValue('Alert aktif'), 'open alerts: one per down device; the resolved one is not active').to.equal(
      down.length,
    );
    // The NOC annotation shows the alert events.
    expect(runs.find((r) => r.dashboard === 'noc-overview.json' && r.kind === 'annotation')?.values).to.be.greaterThan(
      0,
    );
  });

  it('reports a panel whose query returns nothing (a range with no data fails every range-bound panel)', async () => {
    const h = influxd;
    if (!h) throw new Error('influxd not started');
    const runs = await runAllPanels((q) => h.query('pantau', q), { range: { from: 0, to: 3_600_000 } });
    const failed = failures(runs, { perTarget: true });
    expect(failed.some((f) => f.includes('panel "Latensi (ms)"') && f.includes('no data'))).to.equal(true);
    // Per panel too: a panel whose every target is empty is reported.
    expect(failures(runs).some((f) => f.startsWith('device-detail.json panel "Latensi (ms)": no data'))).to.equal(true);
    expect(failed.length).to.be.greaterThan(20);
  });
});
