import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import type { Config } from '../../../core/config/schema.js';
import { createCollector } from '../../../collector/collector.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { toPoints } from '../../../metrics/points.js';
import { profileOf } from '../../../simulator/model/profile.js';
import type { Lab } from '../../../simulator/lab.js';
import { startInfluxd, type InfluxdHandle } from '../../helpers/influxd.js';
import { okuInventory, startTestLab, subInventory } from '../../helpers/lab.js';
import { capturedLogger, metricsConfig, tempDir } from './harness.js';
import { until } from '../../helpers/wait.js';

/**
 * Lab + collector + InfluxDB 1.6.7 with short poll intervals: every measurement present with the
 * expected number of series per device, derived from what the lab simulates. influxd is SIGKILLed
 * once every measurement is being written, and restarted once points of every measurement went
 * through the outbox: every point built from what the collector published is in InfluxDB
 * afterwards, exactly once. Each phase ends on what it waits for, not after a fixed time.
 */
describe('metrics with the lab and the collector', function () {
  this.timeout(240_000);
  const tmp = tempDir();
  let influxd: InfluxdHandle | undefined;
  let lab: Lab | undefined;

  after(async () => {
    await lab?.stop();
    await influxd?.stop();
    tmp.cleanup();
  });

  it('writes every measurement with the expected series per device, and every point exactly once across an influxd kill', async () => {
    const loaded = loadConfig('config/pantau.yaml', {});
    // One device per vendor/role the lab simulates, MikroTik Wi-Fi (wifi-03, desa-01) and the
    // Huawei distribution node on SNMP v3 (fo-baturaja-barat) included.
    const picks = [
      'fo-baturaja-timur-01',
      'fo-baturaja-timur-02',
      'fo-baturaja-timur-03',
      'fo-baturaja-timur-06',
      'cctv-01',
      'wifi-01',
      'wifi-03',
      'desa-01',
      'fo-baturaja-barat',
    ];
    const inventory = subInventory(okuInventory(), picks);
    influxd = await startInfluxd();
    lab = await startTestLab({ inventory, trapTarget: null });

    const config: Config = {
      ...loaded.config,
      collector: {
        ...loaded.config.collector,
        intervals: { icmp: 2, snmp: 3, onvif: 3, http: 3, tls: 3, dns: 3, tcp: 3 },
        intervalsByType: {},
        traps: { ...loaded.config.collector.traps, enabled: false },
      },
      ...metricsConfig({
        sink: 'influx1',
        influx1: { url: influxd.url, database: 'lab' },
        batchSize: 500,
        flushIntervalMs: 200,
        outbox: { path: `${tmp.dir}/lab-outbox.db`, maxPoints: 100_000 },
        retry: { minDelayMs: 100, maxDelayMs: 1000, requestTimeoutMs: 5000 },
      }),
    };
    const bus = createInProcessBus();
    const { logger } = capturedLogger();
    const pipeline = createMetricsPipeline({ config, inventory, bus, logger });
    const collector = createCollector({ config, inventory, bus, logger, configDir: loaded.configDir });
    // What the collector produced, counted independently of the pipeline: points per measurement
    // and field (the field each COUNT() below reads).
    const probe: Record<string, string> = {
      icmp: 'up',
      interface: 'oper_up',
      optical: 'rx_dbm',
      system: 'snmp_ok',
      wifi: 'clients',
      camera: 'reachable',
    };
    const produced = new Map<string, number>();
    const perSeries = new Map<string, number>();
    bus.subscribe('probe.result', (r) => {
      for (const p of toPoints(r, inventory.byId.get(r.deviceId)!)) {
        if (p.fields[probe[p.measurement]!] === undefined) continue;
        produced.set(p.measurement, (produced.get(p.measurement) ?? 0) + 1);
        const key = `${p.measurement} ${JSON.stringify(p.tags)}`;
        perSeries.set(key, (perSeries.get(key) ?? 0) + 1);
      }
    });
    const grewSince = (before: Map<string, number>) =>
      Object.keys(probe).every((m) => (produced.get(m) ?? 0) > (before.get(m) ?? 0));
    const state = () => ({ produced: Object.fromEntries(produced), stats: pipeline.stats() });
    await pipeline.start();
    await collector.start();
    await until(
      () => grewSince(new Map()) && pipeline.stats().written > 0,
      60_000,
      'every measurement produced and points written before the outage',
      25,
      state,
    );
    await influxd.kill();
    const atKill = new Map(produced);
    await until(
      () => grewSince(atKill) && pipeline.stats().outboxed > 0,
      60_000,
      'points of every measurement during the outage, spilled to the outbox',
      25,
      state,
    );
    await influxd.restart();
    const atRestart = new Map(produced);
    // Several samples in every series (checked below), and points of every measurement after the restart.
    await until(
      () => grewSince(atRestart) && Math.min(...perSeries.values()) >= 5,
      60_000,
      'every series with 5 samples and points after the restart',
      25,
      state,
    );
    await collector.stop();
    await bus.drain();
    await until(
      () => pipeline.stats().written === pipeline.stats().produced,
      30_000,
      'every point written',
      25,
      () => pipeline.stats(),
    );
    const s = pipeline.stats();
    await pipeline.stop();
    expect(s.written, JSON.stringify(s)).to.equal(s.produced);
    expect(s.quarantined).to.equal(0);
    expect(s.outboxed, 'the outage went through the outbox').to.be.greaterThan(0);
    for (const [m, f] of Object.entries(probe)) {
      const res = await influxd.query('lab', `SELECT COUNT("${f}") FROM "${m}"`);
      expect(Number(res.results[0]?.series?.[0]?.values[0]?.[1] ?? 0), `points in ${m}`).to.equal(produced.get(m) ?? 0);
    }

    // Series per device and measurement, as InfluxDB has them.
    const series = new Map<string, number>();
    const samples = new Map<string, number>();
    for (const [m, f] of Object.entries(probe)) {
      const res = await influxd.query('lab', `SELECT COUNT("${f}") FROM "${m}" GROUP BY *`);
      for (const sr of res.results[0]?.series ?? []) {
        const key = `${sr.tags?.['device']}/${m}`;
        series.set(key, (series.get(key) ?? 0) + 1);
        samples.set(key, Math.min(samples.get(key) ?? Infinity, Number(sr.values[0]?.[1])));
      }
    }

    const expected = new Map<string, number>();
    for (const d of inventory.devices) {
      const profile = profileOf(d, inventory.children(d.id).length);
      if (d.probes.icmp.enabled) expected.set(`${d.id}/icmp`, 1);
      if (d.probes.snmp) {
        expected.set(`${d.id}/system`, 1);
        expected.set(`${d.id}/interface`, profile.interfaces.length);
        // Every fiber device, generic ones too (ENTITY-SENSOR rows named "SFP1 Rx/Tx Power"): one port.
        if (lab.expectedOptical(d.id)) expected.set(`${d.id}/optical`, 1);
        if (lab.expectedWifiClients(d.id) !== null) expected.set(`${d.id}/wifi`, 1);
      }
      if (d.probes.onvif) expected.set(`${d.id}/camera`, 1);
    }
    const sortEntries = (m: Map<string, number>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
    expect(sortEntries(series)).to.deep.equal(sortEntries(expected));
    // Several samples in every series (icmp every 2 s, SNMP/ONVIF every 3 s).
    for (const [key, n] of samples) expect(n, `samples in ${key}`).to.be.at.least(5);
    for (const m of ['icmp', 'interface', 'optical', 'system', 'wifi', 'camera']) {
      expect(
        [...series.keys()].some((k) => k.endsWith(`/${m}`)),
        `measurement ${m} present`,
      ).to.equal(true);
    }
  });
});
