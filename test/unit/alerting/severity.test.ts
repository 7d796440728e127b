import { expect } from 'chai';
import { createInProcessBus, type EventBus } from '../../../core/bus.js';
import { openStore, type Store } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { silentLogger } from '../../../core/logger.js';
import type { Alert } from '../../../core/types.js';
import { createAlerting, type Alerting } from '../../../alerting/alerting.js';
import { createRenderer, noticeText } from '../../../alerting/i18n.js';
import type { OutMessage } from '../../../alerting/notify/channels/channel.js';
import { parseRules } from '../../../alerting/rules/load.js';
import { alertingConfig, icmp, okuInventory, snmp } from './support.js';

/*
 * Severity rises of an open (or acknowledged) threshold alert: ADR 0403. An optical link on
 * fo-lengkiti-01 slides between −26 dBm (warning) and −29 dBm (critical). "noc" gets everything,
 * "kritis" only critical alerts (routing by severity).
 */
const inventory = okuInventory();
const DEV = 'fo-lengkiti-01';
const NOC = '-100';
const KRITIS = '-300';
const STEP = 10_000;
const rules = parseRules(`rules:
  - name: optical_rx_low
    metric: optical_rx_dbm
    levels:
      - { condition: "< -28", severity: critical }
      - { condition: "< -25", severity: warning }
    for: 2m
    message: { id: "Redaman tinggi di {device}: {value} dBm", en: "Low optical power on {device}: {value} dBm" }
`);

function config(stormWindowS: number) {
  return alertingConfig({
    notifications: {
      stormWindowS,
      telegram: { botToken: 'test-token' },
      groups: { noc: { telegram: [NOC] }, kritis: { telegram: [KRITIS] } },
    },
    routing: [
      { groups: ['noc'], continue: true },
      { match: { severity: ['critical'] }, groups: ['kritis'] },
    ],
    // Only fo-lengkiti-01 is probed here: the other 238 devices would rightly raise the zone's
    // no-data warning (ADR 0406) to "noc", which these message counts are not about.
    noData: { enabled: false },
  });
}

interface Rig {
  store: Store;
  bus: EventBus;
  clock: ReturnType<typeof createManualClock>;
  alerting: Alerting;
  sent: OutMessage[];
  changes: Alert[];
}

function start(rig: Omit<Rig, 'alerting'>, stormWindowS: number): Alerting {
  const alerting = createAlerting({
    config: { alerting: config(stormWindowS) },
    inventory,
    store: rig.store,
    bus: rig.bus,
    clock: rig.clock,
    logger: silentLogger(),
    rules,
    notifierTransports: {
      telegram: async (m) => {
        rig.sent.push(m);
      },
    },
  });
  alerting.start();
  return alerting;
}

function rig(stormWindowS: number): Rig {
  const base = {
    store: openStore(':memory:'),
    bus: createInProcessBus(),
    clock: createManualClock(Date.UTC(2026, 10, 28, 1, 0, 0)),
    sent: [] as OutMessage[],
    changes: [] as Alert[],
  };
  base.bus.subscribe('alert.changed', (a) => {
    base.changes.push(a);
  });
  return { ...base, alerting: start(base, stormWindowS) };
}

/** One probe cycle like the collector's (ping + SNMP with the optical reading), without the timers. */
async function probe(r: Rig, dbm: number): Promise<void> {
  const now = r.clock.now();
  r.bus.publish('probe.result', icmp(DEV, now, 3));
  r.bus.publish(
    'probe.result',
    snmp(DEV, now, true, {
      metrics: [{ name: 'optical_rx_dbm', value: dbm, unit: 'dBm', labels: { ifName: 'sfp1' } }],
    }),
  );
  await r.bus.drain();
}

/** `ms` of probe cycles every 10 s at `dbm`, each followed by the service's tick. */
async function run(r: Rig, dbm: number, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += STEP) {
    await probe(r, dbm);
    await r.alerting.tick();
    r.clock.advance(STEP);
  }
}

/** What a technician reads, reduced to its kind: open:KRITIS, severity:PERINGATAN→KRITIS, resolved. */
function kinds(sent: readonly OutMessage[], target: string): string[] {
  return sent
    .filter((m) => m.target === target)
    .map((m) => {
      if (m.text.startsWith('✅ PULIH')) return 'resolved';
      const raised = /^\S+ (\S+) \(naik dari (\S+)\)/.exec(m.text);
      if (raised) return `severity:${raised[2]}→${raised[1]}`;
      return `open:${/^\S+ (\S+):/.exec(m.text)?.[1] ?? '?'}`;
    });
}

type Step = [dbm: number, ms: number] | 'ack';

describe('alerting/severity raised', function () {
  this.timeout(60_000);
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.alerting.stop();
    r?.store.close();
    r = undefined;
  });

  const table: {
    name: string;
    stormWindowS: number;
    steps: Step[];
    noc: string[];
    kritis: string[];
    lastNocIncludes?: string;
  }[] = [
    {
      name: 'warning → critical: one severity-raised message to noc and to the critical-only group',
      stormWindowS: 0,
      steps: [
        [-20, 30_000],
        [-26, 3 * 60_000],
        [-29, 60_000],
      ],
      noc: ['open:PERINGATAN', 'severity:PERINGATAN→KRITIS'],
      kritis: ['severity:PERINGATAN→KRITIS'],
    },
    {
      name: 'critical → warning sends nothing',
      stormWindowS: 0,
      steps: [
        [-20, 30_000],
        [-29, 3 * 60_000],
        [-26, 2 * 60_000],
      ],
      noc: ['open:KRITIS'],
      kritis: ['open:KRITIS'],
    },
    {
      name: 'an acknowledged alert still hears the rise',
      stormWindowS: 0,
      steps: [[-20, 30_000], [-26, 3 * 60_000], 'ack', [-29, 60_000]],
      noc: ['open:PERINGATAN', 'severity:PERINGATAN→KRITIS'],
      kritis: ['severity:PERINGATAN→KRITIS'],
      lastNocIncludes: 'sudah diakui oleh budi',
    },
    {
      name: 'rise and fall inside one storm window: nobody hears the blip',
      stormWindowS: 60,
      steps: [
        [-20, 30_000],
        [-26, 4 * 60_000],
        [-29, 20_000],
        [-26, 3 * 60_000],
      ],
      noc: ['open:PERINGATAN'],
      kritis: [],
    },
    {
      name: 'raise and rise inside one storm window: one message that already says critical',
      stormWindowS: 60,
      steps: [
        [-20, 30_000],
        [-26, 2 * 60_000 + 20_000],
        [-29, 3 * 60_000],
      ],
      noc: ['open:KRITIS'],
      kritis: ['severity:PERINGATAN→KRITIS'],
    },
    {
      name: 'rise and resolve inside one storm window: only the recovery, to those who heard the alert',
      stormWindowS: 60,
      steps: [
        [-20, 30_000],
        [-26, 4 * 60_000],
        [-29, 20_000],
        [-20, 3 * 60_000],
      ],
      noc: ['open:PERINGATAN', 'resolved'],
      kritis: [],
    },
    {
      name: 'recovery goes once to every group that was notified',
      stormWindowS: 0,
      steps: [
        [-20, 30_000],
        [-26, 3 * 60_000],
        [-29, 60_000],
        [-26, 60_000],
        [-20, 60_000],
      ],
      noc: ['open:PERINGATAN', 'severity:PERINGATAN→KRITIS', 'resolved'],
      kritis: ['severity:PERINGATAN→KRITIS', 'resolved'],
    },
  ];
  for (const c of table) {
    it(c.name, async () => {
      r = rig(c.stormWindowS);
      for (const s of c.steps) {
        if (s === 'ack')
          r.alerting.acknowledge(r.alerting.listAlerts({ status: ['open'] })[0]!.id, 'budi', 'menuju lokasi');
        else await run(r, s[0], s[1]);
      }
      expect(kinds(r.sent, NOC), 'noc').to.deep.equal(c.noc);
      expect(kinds(r.sent, KRITIS), 'kritis').to.deep.equal(c.kritis);
      expect(r.alerting.outboxCounts()['pending'] ?? 0).to.equal(0);
      if (c.lastNocIncludes) expect(r.sent.filter((m) => m.target === NOC).at(-1)!.text).to.include(c.lastNocIncludes);
    });
  }

  it('−26 → −29 (crash before the tick) → −26 → recovery: each message once, with a restart in between', async () => {
    r = rig(0);
    await run(r, -20, 30_000);
    await run(r, -26, 3 * 60_000);
    expect(kinds(r.sent, NOC)).to.deep.equal(['open:PERINGATAN']);
    const [a] = r.alerting.listAlerts({ status: ['open'] });
    expect(a).to.include({ severity: 'warning', rule: 'optical_rx_low' });

    // The rise is committed (alert row + notices) but the process dies before any tick sends it.
    await probe(r, -29);
    expect(r.sent).to.have.length(1);
    await r.alerting.stop();
    r.alerting = start(r, 0);
    await run(r, -29, 60_000);
    expect(kinds(r.sent, NOC)).to.deep.equal(['open:PERINGATAN', 'severity:PERINGATAN→KRITIS']);
    expect(kinds(r.sent, KRITIS)).to.deep.equal(['severity:PERINGATAN→KRITIS']);
    const raised = r.sent.find((m) => m.target === KRITIS)!;
    expect(raised.text).to.equal(
      [
        '🔴 KRITIS (naik dari PERINGATAN): Redaman tinggi di Kantor Camat Lengkiti: -29 dBm',
        `Kec. Lengkiti · 28/11/2026 08.02.30 WIB · ${a!.id}`,
        '⬆️ Eskalasi keparahan: PERINGATAN → KRITIS pukul 28/11/2026 08.03.30 WIB',
      ].join('\n'),
    );

    // A second restart while critical: the restored alert is critical, nothing to announce again.
    await r.alerting.stop();
    r.alerting = start(r, 0);
    await run(r, -29, 60_000);
    const before = r.changes.length;
    await run(r, -26, 60_000);
    expect(r.sent).to.have.length(3);
    // The fall is visible on the bus (and the page), but pages nobody.
    expect(r.changes.slice(before).map((x) => `${x.status}:${x.severity}`)).to.deep.equal(['open:warning']);

    await run(r, -20, 60_000);
    expect(kinds(r.sent, NOC)).to.deep.equal(['open:PERINGATAN', 'severity:PERINGATAN→KRITIS', 'resolved']);
    expect(kinds(r.sent, KRITIS)).to.deep.equal(['severity:PERINGATAN→KRITIS', 'resolved']);
    expect(r.alerting.outboxCounts()).to.deep.equal({ sent: 5 });
    expect(r.alerting.routedGroups(r.alerting.getAlert(a!.id)!)).to.have.members(['noc', 'kritis']);
    expect(r.alerting.history(a!.id).map((h) => h.event)).to.deep.equal(['opened', 'updated', 'updated', 'resolved']);
  });
});

describe('alerting/severity raised: template', () => {
  const renderer = createRenderer(rules);
  const at = Date.UTC(2026, 10, 28, 1, 15, 3);
  const alert: Alert = {
    id: 'A-00042',
    key: `rule:optical_rx_low:${DEV}:ifName=sfp1`,
    rule: 'optical_rx_low',
    deviceId: DEV,
    deviceType: 'fiber',
    kecamatan: 'Lengkiti',
    severity: 'critical',
    status: 'acknowledged',
    acknowledgedBy: 'budi',
    acknowledgedAt: at,
    messageKey: 'rule.optical_rx_low',
    params: { device: 'Kantor Camat Lengkiti', deviceId: DEV, value: -28.6 },
    title: '',
    affected: [],
    openedAt: at,
    updatedAt: at,
  };
  it('Bahasa Indonesia, WIB, says who acknowledged it', () => {
    expect(
      noticeText(renderer, alert, 'severity', 'id', { fromSeverity: 'warning', raisedAt: at + 20 * 60_000 }),
    ).to.equal(
      [
        '🔴 KRITIS (naik dari PERINGATAN): Redaman tinggi di Kantor Camat Lengkiti: -28.6 dBm',
        'Kec. Lengkiti · 28/11/2026 08.15.03 WIB · A-00042 · sudah diakui oleh budi',
        '⬆️ Eskalasi keparahan: PERINGATAN → KRITIS pukul 28/11/2026 08.35.03 WIB',
      ].join('\n'),
    );
  });
  it('and in English', () => {
    expect(
      noticeText(renderer, alert, 'severity', 'en', { fromSeverity: 'warning', raisedAt: at + 20 * 60_000 }),
    ).to.equal(
      [
        '🔴 CRITICAL (raised from WARNING): Low optical power on Kantor Camat Lengkiti: -28.6 dBm',
        'Kec. Lengkiti · 28/11/2026 08.15.03 WIB · A-00042 · acknowledged by budi',
        '⬆️ Severity raised: WARNING → CRITICAL at 28/11/2026 08.35.03 WIB',
      ].join('\n'),
    );
  });
});
