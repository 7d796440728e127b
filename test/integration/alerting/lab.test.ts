import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { systemClock } from '../../../core/time.js';
import type { IcmpResult } from '../../../core/types.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import type { Lab } from '../../../simulator/lab.js';
import { createAlerting, type Alerting } from '../../../alerting/alerting.js';
import { startTestLab, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';
import { startHttpCapture, type HttpCapture } from '../../helpers/http-capture.js';
import { notificationConfig } from './setup.js';

/**
 * End to end on the network lab with real time: lab → collector (fping, SNMP) → alert engine →
 * Telegram stand-in. A fiber cut on a distribution node with 10 devices behind it (iptables in the
 * test's network namespace) gives one alert and one message per routed group; the repair one each.
 */
describe('alerting end to end on the network lab', function () {
  this.timeout(180_000);
  const loaded = loadConfig('config/pantau.yaml', {});
  const node = 'fo-pengandonan';
  const inventory = subInventory(loaded.inventory, [node, 'fo-lengkiti-01'], { withDescendants: true });
  let lab: Lab;
  let collector: Collector;
  let alerting: Alerting;
  let telegram: HttpCapture;
  const store = openStore(':memory:');
  const bus = createInProcessBus();
  const icmpResults: IcmpResult[] = [];

  before(async () => {
    telegram = await startHttpCapture();
    lab = await startTestLab({ inventory, trapTarget: null });
    if (!lab.icmpFaults)
      throw new Error('the lab cannot make devices stop answering ping (iptables): run as root inside unshare -n');
    const config = {
      ...loaded.config,
      collector: {
        ...loaded.config.collector,
        intervals: { icmp: 2, snmp: 3600, onvif: 3600, http: 3600, tls: 3600, dns: 3600, tcp: 3600 },
        traps: { ...loaded.config.collector.traps, enabled: false },
      },
      alerting: { ...notificationConfig({ telegramUrl: telegram.url }), tickS: 0.5 },
    };
    bus.subscribe('probe.result', (r) => {
      if (r.kind === 'icmp') icmpResults.push(r);
    });
    alerting = createAlerting({ config, inventory, store, bus, logger: silentLogger(), clock: systemClock });
    alerting.start();
    collector = createCollector({ config, inventory, bus, logger: silentLogger(), configDir: loaded.configDir });
    await collector.start();
  });
  after(async () => {
    await collector?.stop();
    await alerting?.stop();
    await lab?.stop();
    await bus.close();
    store.close();
    await telegram?.close();
  });

  it('fiber cut → one critical alert naming the 10, one Telegram per group; repair → one recovery each', async () => {
    const below = inventory.descendants(node).map((d) => d.id);
    expect(below).to.have.length(10);
    await until(() => alerting.statuses().every((s) => s.state === 'UP'), 60_000, 'all UP before the cut', 200);

    await lab.fault(node, { kind: 'down' }, { subtree: true });
    await until(() => telegram.accepted().length >= 2, 60_000, 'two messages after the cut', 200);
    // Let every device behind the node fail three more probes: still one alert, no child alerts.
    const mark = icmpResults.length;
    await until(
      () => below.every((id) => icmpResults.slice(mark).filter((r) => r.deviceId === id && !r.ok).length >= 3),
      60_000,
      'three failed pings of every device below the cut',
      200,
    );
    await alerting.tick();

    const alerts = alerting.listAlerts();
    expect(alerts.map((a) => a.key)).to.deep.equal([`device_down:${node}`]);
    expect(alerts[0]!.severity).to.equal('critical');
    expect(alerts[0]!.affected).to.have.members(below);
    const st = new Map(alerting.statuses().map((s) => [s.deviceId, s]));
    for (const id of below) expect(st.get(id), id).to.deep.include({ state: 'UNREACHABLE', rootCauseId: node });
    expect(st.get('fo-lengkiti-01')!.state).to.equal('UP');
    const texts = telegram.accepted().map((r) => JSON.parse(r.body) as { chat_id: string; text: string });
    expect(texts.map((m) => m.chat_id).sort()).to.deep.equal(['-1000', '-1001']);
    expect(texts.find((m) => m.chat_id === '-1001')!.text).to.include(
      'Node Distribusi Pengandonan mati — 10 perangkat tidak terjangkau (10 fiber)',
    );

    await lab.clear('all');
    await until(
      () => alerting.getAlert(alerts[0]!.id)?.status === 'resolved' && telegram.accepted().length >= 4,
      60_000,
      'resolved and two recoveries',
      200,
    );
    await until(() => alerting.statuses().every((s) => s.state === 'UP'), 30_000, 'all UP after the repair', 200);
    await alerting.tick();
    expect(alerting.listAlerts()).to.have.length(1);
    expect(telegram.accepted()).to.have.length(4);
  });
});
