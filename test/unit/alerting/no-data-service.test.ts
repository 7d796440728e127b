import { expect } from 'chai';
import { createInProcessBus, type EventBus } from '../../../core/bus.js';
import { buildInventory } from '../../../core/inventory/topology.js';
import { openStore, type Store } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import type { DeviceStateChange } from '../../../core/types.js';
import { createAlerting, type Alerting, type AlertingDeps } from '../../../alerting/alerting.js';
import { createRenderer } from '../../../alerting/i18n.js';
import { alertingConfig, device, icmp } from './support.js';

/*
 * No data (ADR 0406) through the alerting service: its own timer drives the check (no results
 * arrive, that is the point), the thresholds come from the collector's intervals, and the shell holds
 * the check while results cannot arrive. Manual clock; `tick()` is what the service's timer calls.
 */
const T0 = Date.UTC(2026, 10, 30, 7, 0, 0); // 14.00 WIB, 15.00 WITA
const inventory = buildInventory([
  device('core', null, 'fiber', 'core'),
  device('desa', 'core', 'fiber', 'access'),
  device('cam', 'desa', 'cctv', 'camera', { zone: 'okut' }),
]);

interface Rig {
  store: Store;
  bus: EventBus;
  clock: ReturnType<typeof createManualClock>;
  alerting: Alerting;
  states: DeviceStateChange[];
}

function rig(extra: Partial<AlertingDeps> = {}, config: Record<string, unknown> = {}): Rig {
  const store = openStore(':memory:');
  const bus = createInProcessBus();
  const clock = createManualClock(T0);
  const alerting = createAlerting({
    config: { alerting: alertingConfig(config) },
    inventory,
    store,
    bus,
    clock,
    logger: silentLogger(),
    ...extra,
  });
  const states: DeviceStateChange[] = [];
  bus.subscribe('device.state', (c) => {
    states.push(c);
  });
  alerting.start();
  return { store, bus, clock, alerting, states };
}

/** Every device answers its ping, every 10 s for `ms`, with the service's tick after each round. */
async function answer(r: Rig, ms: number, ids = ['core', 'desa', 'cam']): Promise<void> {
  for (let t = 0; t < ms; t += 10_000) {
    for (const id of ids) r.bus.publish('probe.result', icmp(id, r.clock.now(), 3));
    await r.bus.drain();
    await r.alerting.tick();
    r.clock.advance(10_000);
  }
}
/** Only ticks (the collector is gone) for `ms`, every 2 s. */
async function silence(r: Rig, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 2_000) {
    r.clock.advance(2_000);
    await r.alerting.tick();
  }
}
const stateOf = (r: Rig, id: string) => r.alerting.statuses().find((s) => s.deviceId === id);

describe('alerting/service: no data (ADR 0406)', function () {
  this.timeout(30_000);
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.alerting.stop();
    r?.store.close();
    r = undefined;
  });

  it('devices whose results stop turn UNKNOWN with the time of their last result; one warning per zone, titled in WIB', async () => {
    r = rig({ timeZone: 'WIB' });
    await answer(r, 30_000); // last results at 14.00.20 WIB
    expect(stateOf(r, 'desa')?.state).to.equal('UP');
    await silence(r, 50_000);
    expect(stateOf(r, 'desa')?.state, 'before the threshold').to.equal('UP');
    await silence(r, 14_000);
    expect(stateOf(r, 'desa')).to.deep.include({ state: 'UNKNOWN', reason: 'no_data', noDataSince: T0 + 20_000 });
    expect(r.states.filter((s) => s.to === 'UNKNOWN').map((s) => `${s.deviceId}:${s.from}`)).to.have.members([
      'core:UP',
      'desa:UP',
      'cam:UP',
    ]);
    const alerts = r.alerting.listAlerts({ status: ['open'] });
    expect(alerts.map((a) => [a.rule, a.key, a.severity, a.deviceId, a.kecamatan])).to.have.deep.members([
      ['no_data', 'no_data:default', 'warning', 'pantau', ''],
      ['no_data', 'no_data:okut', 'warning', 'pantau', ''],
    ]);
    expect(alerts.find((a) => a.key === 'no_data:default')?.title).to.equal(
      'Tidak ada data dari 2 perangkat di zona default sejak 30/11/2026 14.00 WIB: periksa kolektor pantau',
    );
    const a = alerts.find((x) => x.key === 'no_data:okut')!;
    expect(createRenderer([]).title(a.messageKey, a.params, 'en')).to.equal(
      'No data from 1 devices in zone okut since 30/11/2026 14.00 WIB: check the pantau collectors',
    );
    // Results again: the devices are UP at once, the alerts resolve at the next tick.
    await answer(r, 10_000);
    expect(stateOf(r, 'desa')).to.deep.include({ state: 'UP' });
    expect(stateOf(r, 'desa')).to.not.have.property('noDataSince');
    await r.alerting.tick();
    expect(r.alerting.listAlerts({ status: ['open'] })).to.deep.equal([]);
  });

  it("times are in the region's zone (WITA)", async () => {
    r = rig({ timeZone: 'WITA' });
    await answer(r, 10_000);
    await silence(r, 70_000);
    expect(r.alerting.listAlerts({ status: ['open'] })[0]?.title).to.include('sejak 30/11/2026 15.00 WITA');
  });

  it('the threshold scales with the reachability probe interval the collector uses (6 × 60 s)', async () => {
    r = rig({ probeIntervalS: () => 60 });
    await answer(r, 10_000);
    await silence(r, 300_000);
    expect(stateOf(r, 'desa')?.state, 'at 5 min').to.equal('UP');
    await silence(r, 70_000);
    expect(stateOf(r, 'desa')?.state, 'past 6 min').to.equal('UNKNOWN');
  });

  it('is configurable (alerting.noData) and can be turned off', async () => {
    r = rig({}, { noData: { enabled: false } });
    await answer(r, 10_000);
    await silence(r, 3_600_000);
    expect(stateOf(r, 'desa')?.state).to.equal('UP');
    expect(r.alerting.listAlerts({ status: ['open'] })).to.deep.equal([]);
  });

  it('not while results cannot arrive (Redis away at the core), and counted afresh once they can', async () => {
    let flowing = true;
    r = rig({ resultsFlowing: () => flowing });
    await answer(r, 10_000);
    flowing = false;
    await silence(r, 120_000);
    expect(stateOf(r, 'desa')?.state, 'held').to.equal('UP');
    flowing = true;
    await silence(r, 50_000);
    expect(stateOf(r, 'desa')?.state, 'grace after the path is back').to.equal('UP');
    await silence(r, 14_000);
    expect(stateOf(r, 'desa')?.state).to.equal('UNKNOWN');
  });

  it('not while this process stops its collector on purpose', async () => {
    r = rig();
    await answer(r, 10_000);
    r.alerting.holdNoData();
    await silence(r, 600_000);
    expect(stateOf(r, 'desa')?.state).to.equal('UP');
    expect(r.states.filter((s) => s.to === 'UNKNOWN')).to.deep.equal([]);
  });

  it('start grace: nothing is "no data" in the first minute, even for devices not polled yet', async () => {
    r = rig();
    await silence(r, 58_000);
    expect(r.states).to.deep.equal([]);
    await answer(r, 30_000, ['core', 'desa']); // cam's zone has no collector
    expect(stateOf(r, 'cam')).to.deep.include({ state: 'UNKNOWN', reason: 'no_data', noDataSince: T0 });
    expect(stateOf(r, 'desa')?.state).to.equal('UP');
    expect(r.alerting.listAlerts({ status: ['open'] }).map((a) => [a.key, a.params['count']])).to.deep.equal([
      ['no_data:okut', 1],
    ]);
  });

  it('a restart keeps a silent device silent, and gives the others the start grace again', async () => {
    const first = rig();
    r = first;
    await answer(first, 10_000, ['core', 'desa', 'cam']);
    await answer(first, 70_000, ['core', 'desa']);
    expect(stateOf(first, 'cam')?.state).to.equal('UNKNOWN');
    await first.alerting.stop();
    const clock = first.clock;
    clock.advance(3_600_000);
    const alerting = createAlerting({
      config: { alerting: alertingConfig() },
      inventory,
      store: first.store,
      bus: first.bus,
      clock,
      logger: silentLogger(),
    });
    r = { ...first, alerting };
    await alerting.tick();
    expect(stateOf(r, 'cam')).to.deep.include({ state: 'UNKNOWN', reason: 'no_data' });
    expect(stateOf(r, 'desa')?.state, 'restored, within the grace').to.equal('UP');
    clock.advance(61_000);
    await alerting.tick();
    expect(stateOf(r, 'desa')?.state, 'past the grace with no result').to.equal('UNKNOWN');
  });
});
