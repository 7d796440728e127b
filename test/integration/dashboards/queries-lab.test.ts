import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import type { Config } from '../../../core/config/schema.js';
import { metricsSection } from '../../../core/config/sections/metrics.js';
import { createLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { systemClock } from '../../../core/time.js';
import { createAlerting } from '../../../alerting/alerting.js';
import { createCollector } from '../../../collector/collector.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import type { Lab } from '../../../simulator/lab.js';
import { startInfluxd, type InfluxdHandle } from '../../helpers/influxd.js';
import { okuInventory, startTestLab, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';
import { failures, runAllPanels } from './run-panels.js';
import { runRollups } from './rollups.js';

/**
 * Every panel query of every dashboard against InfluxDB 1.6.7 filled the real way: the network
 * lab simulates a slice of OKU (fiber nodes with optics, a camera, Wi-Fi points, an Internet Desa
 * point), the collector polls it, the metrics pipeline writes it. One Wi-Fi point is cut (lab
 * `down` fault) and one fiber's receive power sinks to −29 dBm.
 *
 * device_state and alert points come from the real alert engine (createAlerting) on the same bus.
 */
describe('dashboards: every panel query on lab + collector + sink data (InfluxDB 1.6.7)', function () {
  this.timeout(240_000);
  let influxd: InfluxdHandle | undefined;
  let lab: Lab | undefined;
  /** Stops what the test started if it failed half-way (each stop is idempotent or guarded). */
  const cleanup: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const stop of cleanup.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    await lab?.stop();
    await influxd?.stop();
  });

  it('returns data for every panel and variable, and every annotation query runs', async () => {
    const loaded = loadConfig('config/pantau.yaml', {});
    const picks = [
      'fo-baturaja-timur-01',
      'fo-baturaja-timur-02',
      'fo-lengkiti-02',
      'cctv-01',
      'wifi-01',
      'wifi-03',
      'desa-01',
      'svc-sip',
      'svc-ekir',
    ];
    const inventory = subInventory(okuInventory(), picks);
    influxd = await startInfluxd();
    lab = await startTestLab({ inventory, trapTarget: null });
    const fiberWithOptics = inventory.devices.find((d) => d.type === 'fiber' && lab?.expectedOptical(d.id));
    if (!fiberWithOptics) throw new Error('the lab slice has no fiber node with optics');

    const config: Config = {
      ...loaded.config,
      collector: {
        ...loaded.config.collector,
        intervals: { icmp: 2, snmp: 3, onvif: 3, http: 2, tls: 3, dns: 3, tcp: 3 },
        intervalsByType: {},
        traps: { ...loaded.config.collector.traps, enabled: false },
        // The lab's applications: its CA and DNS server, given the way an operator would (ADR 0702).
        http: { ...loaded.config.collector.http, caFile: lab.services!.caFile },
        tls: { ...loaded.config.collector.tls, caFile: lab.services!.caFile },
        dns: { server: lab.services!.dnsServer },
      },
      metrics: metricsSection.parse({
        sink: 'influx1',
        influx1: { url: influxd.url, database: 'pantau' },
        batchSize: 500,
        flushIntervalMs: 200,
        outbox: { path: `${influxd.dir}/outbox.db`, maxPoints: 100_000 },
      }),
    };
    const bus = createInProcessBus();
    const logger = createLogger({ level: 'warn' });
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    const collector = createCollector({ config, inventory, bus, logger, configDir: loaded.configDir });

    // The real alert engine turns the probe results into device_state changes and alerts.
    const store = openStore(':memory:');
    const alerting = createAlerting({
      config: { alerting: { ...loaded.config.alerting, tickS: 0.5 } },
      inventory,
      store,
      bus,
      logger,
      clock: systemClock,
      configDir: loaded.configDir,
    });
    alerting.start();
    let stopped = false;
    cleanup.push(async () => {
      if (stopped) return;
      // Each step on its own: one failing must not leave the next running.
      for (const step of [() => collector.stop(), () => alerting.stop(), () => pipeline.stop(), () => store.close()]) {
        await Promise.resolve()
          .then(step)
          .catch(() => undefined);
      }
    });

    const started = Date.now();
    await pipeline.start();
    await collector.start();
    await lab.fault('wifi-03', { kind: 'down' });
    await lab.fault(fiberWithOptics.id, { kind: 'optical', toDbm: -29, durationMs: 5_000 });
    const h = influxd;
    const count = async (q: string) =>
      Number((await h.query('pantau', q)).results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
    // Enough polls for every measurement, the DOWN state and a rate (two SNMP polls) everywhere.
    const checks: Record<string, string> = {
      down: `SELECT count("up") FROM "device_state" WHERE "device" = 'wifi-03' AND "up" = 0`,
      camera: 'SELECT count("snapshot_ok") FROM "camera"',
      rates: 'SELECT count("in_bps") FROM "interface"',
      villageUplink: `SELECT count("in_bps") FROM "interface" WHERE "type" = 'village' AND "uplink" = 'true'`,
      wifi: 'SELECT count("clients") FROM "wifi"',
      optical: `SELECT count("rx_dbm") FROM "optical" WHERE "rx_dbm" < -28`,
      http: 'SELECT count("total_ms") FROM "http"',
      tls: 'SELECT count("days_left") FROM "tls"',
      dns: 'SELECT count("ms") FROM "dns"',
    };
    let seen: Record<string, number> = {};
    // At least 25 s of polling is a measurement window (several SNMP polls per device for the rate
    // panels), not a wait for an event; then every measurement must be there.
    await until(
      async () => {
        seen = {};
        for (const [k, q] of Object.entries(checks)) seen[k] = await count(q);
        return Date.now() - started > 25_000 && Object.values(seen).every((n) => n > 0);
      },
      120_000,
      'lab + collector + sink to produce every measurement, the DOWN and the −29 dBm',
      1000,
      () => ({ seen, stats: pipeline.stats() }),
    );
    await collector.stop();
    await alerting.tick();
    const statuses = alerting.statuses();
    await alerting.stop();
    store.close();
    await bus.drain();
    await until(
      () => pipeline.stats().queued === 0 && pipeline.stats().outboxSize === 0,
      30_000,
      'every point written',
      100,
      () => pipeline.stats(),
    );
    await pipeline.stop();
    stopped = true;

    const now = Date.now();
    // The sink created `raw` and `rollup_5m` and its continuous queries; run them once over the
    // test window instead of waiting for a completed 5-minute interval.
    expect(await runRollups((q) => h.query('pantau', q), 'pantau', started - 600_000, now + 600_000)).to.be.greaterThan(
      5,
    );
    const runs = await runAllPanels((q) => h.query('pantau', q), {
      now: now + 60_000,
      // An operator opens the device detail on a fiber node with optics (the default is the first fiber id).
      picks: { 'device-detail.json': { device: fiberWithOptics.id } },
    });
    expect(failures(runs), failures(runs).join('\n')).to.deep.equal([]);
    const noc = (title: string) =>
      runs.find((r) => r.dashboard === 'noc-overview.json' && r.where.startsWith(`panel "${title}"`));
    const valueOf = async (title: string) =>
      (await h.query('pantau', noc(title)?.query ?? 'missing')).results[0]?.series?.[0]?.values[0]?.[1];
    // The NOC stats agree with the alert engine's own view.
    const inState = (...st: string[]) => statuses.filter((x) => st.includes(x.state)).length;
    expect(inState('DOWN', 'UNREACHABLE')).to.equal(1);
    expect(await valueOf('Perangkat DOWN / tak terjangkau')).to.equal(1);
    expect(await valueOf('Perangkat UP')).to.equal(inState('UP', 'DEGRADED'));
    expect(await valueOf('Alert aktif')).to.equal(alerting.listAlerts({ status: ['open', 'acknowledged'] }).length);
    expect(await valueOf('Alert aktif')).to.be.greaterThan(0);
  });
});
