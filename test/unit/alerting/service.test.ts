import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { openStore, type Store } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import { isPantauError } from '../../../core/errors.js';
import type { Alert, DeviceStateChange } from '../../../core/types.js';
import { createAlerting, type Alerting } from '../../../alerting/alerting.js';
import type { OutMessage } from '../../../alerting/notify/channels/channel.js';
import { alertingConfig, createWorld, okuInventory, seededRandom } from './support.js';

const inventory = okuInventory();

function setup(opts: { store?: Store; config?: Record<string, unknown> } = {}) {
  const store = opts.store ?? openStore(':memory:');
  const bus = createInProcessBus();
  const clock = createManualClock(Date.UTC(2026, 10, 28, 1, 0, 0));
  const sent: { channel: string; m: OutMessage }[] = [];
  const config = alertingConfig({
    notifications: {
      stormWindowS: 0,
      telegram: { botToken: 'test-token' },
      groups: { noc: { telegram: ['-100'] }, koordinator: { telegram: ['-200'] } },
    },
    routing: [{ groups: ['noc'], escalate: [{ afterMin: 15, groups: ['koordinator'] }] }],
    ...opts.config,
  });
  const alerting = createAlerting({
    config: { alerting: config },
    inventory,
    store,
    bus,
    clock,
    logger: silentLogger(),
    notifierTransports: {
      telegram: async (m) => {
        sent.push({ channel: 'telegram', m });
      },
    },
  });
  const states: DeviceStateChange[] = [];
  const changes: Alert[] = [];
  bus.subscribe('device.state', (c) => {
    states.push(c);
  });
  bus.subscribe('alert.changed', (a) => {
    changes.push(a);
  });
  alerting.start();
  const world = createWorld({ inventory, bus, clock, alerting });
  return { store, bus, clock, alerting, world, sent, states, changes };
}

describe('alerting/service', function () {
  // Simulated hours run in a second or two; the margin is for a loaded CI machine.
  this.timeout(60_000);
  let ctx: ReturnType<typeof setup> & { alerting: Alerting };
  afterEach(async () => {
    await ctx.alerting.stop();
    ctx.store.close();
  });

  it('5% random ICMP loss on every device for 10 minutes gives zero DOWN alerts', async function () {
    this.timeout(60_000);
    ctx = setup();
    const rng = seededRandom(20261128);
    const noisy = createWorld({
      inventory,
      bus: ctx.bus,
      clock: ctx.clock,
      alerting: ctx.alerting,
      lossOf: () => 0.05,
      rng,
    });
    await noisy.run(10 * 60_000);
    const { pingsSent, pingsLost } = noisy.stats();
    // The noise is really there: ~5% of 227 devices × 60 probes × 3 pings.
    expect(pingsLost / pingsSent).to.be.within(0.04, 0.06);
    expect(ctx.alerting.listAlerts().filter((a) => a.rule === 'device_down')).to.deep.equal([]);
    expect(ctx.alerting.listAlerts()).to.deep.equal([]);
    expect(ctx.sent).to.have.length(0);
    expect(ctx.alerting.statuses().every((s) => s.state === 'UP')).to.equal(true);
  });

  it('a device flapping every 20 s gives one FLAPPING alert and one message', async () => {
    ctx = setup();
    const dev = 'cctv-01';
    await ctx.world.run(30_000);
    for (let i = 0; i < 60; i++) {
      if (Math.floor(i / 2) % 2 === 0) ctx.world.down.add(dev);
      else ctx.world.down.delete(dev);
      await ctx.world.cycle();
    }
    const alerts = ctx.alerting.listAlerts();
    expect(alerts.map((a) => a.rule)).to.deep.equal(['flapping']);
    expect(alerts[0]!.title).to.match(/CCTV Simpang Tugu Ogan tidak stabil \(flapping\)/);
    expect(ctx.sent).to.have.length(1);
  });

  it('publishes device.state and alert.changed on every change', async () => {
    ctx = setup();
    await ctx.world.run(20_000);
    ctx.world.cut('fo-lengkiti-01');
    await ctx.world.run(60_000);
    const kantor = ctx.states.filter((s) => s.deviceId === 'fo-lengkiti-01' && s.from !== s.to).map((s) => s.to);
    expect(kantor).to.deep.equal(['UP', 'DOWN']);
    // The first failed ping is pushed at once with its reason, before the state changes.
    const first = ctx.states.find((s) => s.deviceId === 'fo-lengkiti-01' && s.from === 'UP' && s.to === 'UP')!;
    expect(first.status.probeError).to.deep.include({ kind: 'icmp', code: 'PANTAU_PROBE_TIMEOUT' });
    const wifi = inventory.descendants('fo-lengkiti-01')[0]!.id;
    expect(ctx.states.filter((s) => s.deviceId === wifi && s.from !== s.to).map((s) => s.to)).to.deep.equal([
      'UP',
      'UNREACHABLE',
    ]);
    expect(ctx.states.find((s) => s.deviceId === wifi && s.to === 'UNREACHABLE')!.status.rootCauseId).to.equal(
      'fo-lengkiti-01',
    );
    expect(ctx.changes.map((a) => `${a.key}:${a.status}`)).to.deep.equal(['device_down:fo-lengkiti-01:open']);
    expect(ctx.changes[0]!.title).to.equal('Kantor Camat Lengkiti mati — 1 perangkat tidak terjangkau (1 Wi-Fi)');
  });

  it('acknowledging stops escalation; an unacknowledged alert escalates once', async () => {
    ctx = setup();
    await ctx.world.run(20_000);
    ctx.world.cut('fo-lengkiti-01');
    ctx.world.cut('fo-peninjauan-01');
    await ctx.world.run(60_000);
    const [a, b] = ctx.alerting.listAlerts({ status: ['open'] });
    expect(a && b).to.not.equal(undefined);
    const acked = ctx.alerting.acknowledge(a!.id, 'budi', 'menuju lokasi');
    expect(acked).to.include({ status: 'acknowledged', acknowledgedBy: 'budi', ackComment: 'menuju lokasi' });
    await ctx.world.run(20 * 60_000);
    const toKoordinator = ctx.sent.filter((s) => s.m.target === '-200');
    expect(toKoordinator).to.have.length(1);
    expect(toKoordinator[0]!.m.text).to.include(b!.id).and.include('Eskalasi');
    expect(toKoordinator[0]!.m.text).to.not.include(a!.id);
    expect(ctx.alerting.routedGroups(b!)).to.have.members(['noc', 'koordinator']);
    expect(ctx.alerting.routedGroups(a!)).to.deep.equal(['noc']);
    expect(ctx.alerting.listAlerts({ groups: ['koordinator'] }).map((x) => x.id)).to.deep.equal([b!.id]);
    expect(ctx.alerting.history(a!.id).map((h) => h.event)).to.deep.equal(['opened', 'acknowledged']);
  });

  it('a second acknowledgement adds an entry and keeps who handled it first', async () => {
    ctx = setup();
    await ctx.world.run(20_000);
    ctx.world.cut('fo-lengkiti-01');
    await ctx.world.run(60_000);
    const [a] = ctx.alerting.listAlerts({ status: ['open'] });
    const first = ctx.alerting.acknowledge(a!.id, 'budi', 'menuju lokasi');
    await ctx.world.run(5 * 60_000);
    const second = ctx.alerting.acknowledge(a!.id, 'sari', 'kabel putus, tim kedua berangkat');
    expect(second).to.include({ status: 'acknowledged', acknowledgedBy: 'budi', acknowledgedAt: first.acknowledgedAt });
    expect(second.acks).to.deep.equal([
      { by: 'budi', at: first.acknowledgedAt, comment: 'menuju lokasi' },
      { by: 'sari', at: first.acknowledgedAt! + 5 * 60_000, comment: 'kabel putus, tim kedua berangkat' },
    ]);
    expect(ctx.alerting.getAlert(a!.id)!.acks).to.have.length(2);
    expect(
      ctx.alerting
        .history(a!.id)
        .filter((h) => h.event === 'acknowledged')
        .map((h) => h.by),
    ).to.deep.equal(['budi', 'sari']);
  });

  it('acknowledge throws stable codes for unknown and resolved alerts', async () => {
    ctx = setup();
    await ctx.world.run(20_000);
    ctx.world.cut('cctv-01');
    await ctx.world.run(40_000);
    ctx.world.repair('cctv-01');
    await ctx.world.run(30_000);
    const [a] = ctx.alerting.listAlerts({ status: ['resolved'] });
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'none';
      } catch (e) {
        return isPantauError(e) ? e.code : 'other';
      }
    };
    expect(code(() => ctx.alerting.acknowledge(a!.id, 'x'))).to.equal('PANTAU_ALERT_RESOLVED');
    expect(code(() => ctx.alerting.acknowledge('A-99999', 'x'))).to.equal('PANTAU_NOT_FOUND');
  });

  it('a maintenance window silences a planned outage and shows MAINTENANCE', async () => {
    ctx = setup();
    await ctx.world.run(20_000);
    const now = ctx.clock.now();
    const w = ctx.alerting.addMaintenance({
      deviceId: 'fo-lengkiti',
      subtree: true,
      reason: 'penggantian ODC',
      createdBy: 'noc',
      startsAt: now,
      endsAt: now + 30 * 60_000,
    });
    expect(ctx.alerting.listMaintenance().map((x) => x.id)).to.deep.equal([w.id]);
    ctx.world.cut('fo-lengkiti');
    await ctx.world.run(20 * 60_000);
    expect(ctx.alerting.listAlerts()).to.deep.equal([]);
    expect(ctx.sent).to.have.length(0);
    const st = new Map(ctx.alerting.statuses().map((s) => [s.deviceId, s.state]));
    expect(st.get('fo-lengkiti')).to.equal('MAINTENANCE');
    for (const d of inventory.descendants('fo-lengkiti')) expect(st.get(d.id), d.id).to.equal('MAINTENANCE');
    ctx.world.repair('fo-lengkiti');
    await ctx.world.run(60_000);
    expect(ctx.alerting.removeMaintenance(w.id)).to.equal(true);
    expect(ctx.alerting.statuses().find((s) => s.deviceId === 'fo-lengkiti')!.state).to.equal('UP');
    expect(ctx.alerting.listAlerts()).to.deep.equal([]);
  });

  it('storm control: alerts raised within the window go out as one message per group', async () => {
    ctx = setup({
      config: {
        notifications: { stormWindowS: 30, telegram: { botToken: 't' }, groups: { noc: { telegram: ['-100'] } } },
        routing: [{ groups: ['noc'] }],
      },
    });
    await ctx.world.run(20_000);
    for (const id of ['cctv-01', 'cctv-02', 'cctv-03', 'wifi-01']) ctx.world.cut(id);
    await ctx.world.run(2 * 60_000);
    expect(ctx.alerting.listAlerts({ status: ['open'] })).to.have.length(4);
    expect(ctx.sent).to.have.length(1);
    expect(ctx.sent[0]!.m.text).to.match(/^pantau: 4 pemberitahuan/);
  });

  it('a raise and resolve inside one storm window send nothing', async () => {
    ctx = setup({
      config: {
        notifications: { stormWindowS: 120, telegram: { botToken: 't' }, groups: { noc: { telegram: ['-100'] } } },
        routing: [{ groups: ['noc'] }],
      },
    });
    await ctx.world.run(20_000);
    ctx.world.cut('cctv-01');
    await ctx.world.run(40_000);
    ctx.world.repair('cctv-01');
    await ctx.world.run(3 * 60_000);
    expect(ctx.alerting.listAlerts({ status: ['resolved'] })).to.have.length(1);
    expect(ctx.sent).to.have.length(0);
  });

  it('pantau.health degraded raises an alert on pantau; ok resolves it', async () => {
    ctx = setup();
    ctx.bus.publish('pantau.health', {
      component: 'metrics',
      status: 'degraded',
      code: 'PANTAU_SINK_OUTBOX_FULL',
      message: 'metrics outbox penuh',
      at: ctx.clock.now(),
    });
    await ctx.bus.drain();
    const [a] = ctx.alerting.listAlerts();
    expect(a).to.include({
      deviceId: 'pantau',
      status: 'open',
      title: 'pantau bermasalah (metrics): metrics outbox penuh',
    });
    ctx.bus.publish('pantau.health', {
      component: 'metrics',
      status: 'ok',
      code: 'PANTAU_SINK_OUTBOX_FULL',
      message: '',
      at: ctx.clock.now(),
    });
    await ctx.bus.drain();
    expect(ctx.alerting.getAlert(a!.id)!.status).to.equal('resolved');
  });
});

describe('alerting/service outbox', () => {
  it('a permanent failure (Telegram 400: chat not found) is given up, not retried', async () => {
    const { NotifyError } = await import('../../../alerting/notify/channels/channel.js');
    const store = openStore(':memory:');
    const bus = createInProcessBus();
    const clock = createManualClock();
    let calls = 0;
    const config = alertingConfig({
      notifications: { stormWindowS: 0, telegram: { botToken: 't' }, groups: { noc: { telegram: ['-404'] } } },
      routing: [{ groups: ['noc'] }],
    });
    const alerting = createAlerting({
      config: { alerting: config },
      inventory,
      store,
      bus,
      clock,
      logger: silentLogger(),
      notifierTransports: {
        telegram: async () => {
          calls++;
          throw new NotifyError('telegram: HTTP 400 chat not found', true);
        },
      },
    });
    alerting.start();
    const world = createWorld({ inventory, bus, clock, alerting });
    await world.run(20_000);
    world.cut('cctv-01');
    await world.run(5 * 60_000);
    expect(calls).to.equal(1);
    expect(alerting.outboxCounts()).to.deep.equal({ dead: 1 });
    await alerting.stop();
    store.close();
  });
});

describe('alerting/service inventory reload', () => {
  it('removed devices get their alerts resolved; added devices are watched', async () => {
    const { buildInventory } = await import('../../../core/inventory/topology.js');
    const store = openStore(':memory:');
    const bus = createInProcessBus();
    const clock = createManualClock();
    const small = buildInventory(inventory.devices.filter((d) => d.id !== 'wifi-01'));
    const alerting = createAlerting({
      config: { alerting: alertingConfig() },
      inventory: small,
      store,
      bus,
      clock,
      logger: silentLogger(),
    });
    alerting.start();
    const world = createWorld({ inventory, bus, clock, alerting });
    await world.run(20_000);
    expect(alerting.statuses().find((s) => s.deviceId === 'wifi-01')).to.equal(undefined);
    world.cut('cctv-01');
    await world.run(40_000);
    expect(alerting.listAlerts({ status: ['open'] }).map((a) => a.deviceId)).to.deep.equal(['cctv-01']);

    alerting.updateInventory(buildInventory(inventory.devices.filter((d) => d.id !== 'cctv-01')));
    const [gone] = alerting.listAlerts();
    expect(gone).to.include({ deviceId: 'cctv-01', status: 'resolved' });
    expect(alerting.history(gone!.id).at(-1)!.detail).to.deep.equal({ reason: 'device_removed' });
    await world.run(20_000);
    expect(alerting.statuses().find((s) => s.deviceId === 'wifi-01')!.state).to.equal('UP');
    expect(alerting.statuses().find((s) => s.deviceId === 'cctv-01')).to.equal(undefined);
    await alerting.stop();
    store.close();
  });
});

describe('alerting/service outbox retention', () => {
  it('sent messages are pruned after 30 days, pending ones never', async () => {
    const store = openStore(':memory:');
    const bus = createInProcessBus();
    const clock = createManualClock();
    let up = true;
    const config = alertingConfig({
      notifications: { stormWindowS: 0, telegram: { botToken: 't' }, groups: { noc: { telegram: ['-1'] } } },
      routing: [{ groups: ['noc'] }],
    });
    const alerting = createAlerting({
      config: { alerting: config },
      inventory,
      store,
      bus,
      clock,
      logger: silentLogger(),
      notifierTransports: {
        telegram: async () => {
          if (!up) throw new Error('down');
        },
      },
    });
    const world = createWorld({ inventory, bus, clock, alerting });
    alerting.start();
    await world.run(20_000);
    world.cut('cctv-01');
    await world.run(40_000);
    expect(alerting.outboxCounts()).to.deep.equal({ sent: 1 });
    up = false;
    world.cut('cctv-02');
    await world.run(40_000);
    clock.advance(31 * 86_400_000);
    await alerting.tick();
    expect(alerting.outboxCounts()['sent'] ?? 0).to.equal(0);
    expect(alerting.outboxCounts()['pending'] ?? alerting.outboxCounts()['dead']).to.equal(1);
    await alerting.stop();
    store.close();
  });
});
