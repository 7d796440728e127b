import { expect } from 'chai';
import { isPantauError } from '../../../core/errors.js';
import { loadRules, parseRules } from '../../../alerting/rules/load.js';
import { evaluateSample, withinOpeningHours, addToHistory } from '../../../alerting/rules/evaluate.js';
import { samplesOf } from '../../../alerting/rules/samples.js';
import type { CompiledRule, RuleInstance } from '../../../alerting/rules/types.js';
import { icmp, okuInventory, onvif, snmp } from './support.js';

const rule = (yaml: string): CompiledRule => parseRules(`rules:\n${yaml}`)[0]!;
const MIN = 60_000;

describe('alerting/rules', () => {
  it('ships the defaults from the issue', () => {
    const names = loadRules().map((r) => r.name);
    expect(names).to.include.members([
      'packet_loss_high',
      'rtt_high',
      'optical_rx_low',
      'optical_rx_drop',
      'uplink_down',
      'cpu_high',
      'device_rebooted',
      'camera_snapshot_failing',
      'camera_clock_drift',
      'wifi_no_clients',
    ]);
    const loss = loadRules().find((r) => r.name === 'packet_loss_high')!;
    expect(loss).to.deep.include({ metric: 'loss_pct', forMs: 5 * MIN });
    expect(loss.levels).to.deep.equal([{ severity: 'warning', op: '>', threshold: 20 }]);
  });

  describe('validation errors name file and line', () => {
    const cases: { name: string; yaml: string; line: number; text: RegExp }[] = [
      {
        name: 'bad condition',
        yaml: 'rules:\n  - name: a\n    metric: x\n    condition: "about 5"\n    severity: warning\n',
        line: 4,
        text: /condition like/,
      },
      {
        name: 'bad duration',
        yaml: 'rules:\n  - name: a\n    metric: x\n    condition: "> 5"\n    severity: warning\n    for: 5 minutes\n',
        line: 6,
        text: /duration/,
      },
      {
        name: 'missing severity',
        yaml: 'rules:\n  - name: a\n    metric: x\n    condition: "> 5"\n',
        line: 2,
        text: /severity/,
      },
      {
        name: 'unknown field',
        yaml: 'rules:\n  - name: a\n    metric: x\n    condition: "> 5"\n    severity: warning\n    sevrity: x\n',
        line: 2,
        text: /sevrity/,
      },
      {
        name: 'duplicate name',
        yaml: 'rules:\n  - { name: a, metric: x, condition: "> 1", severity: info }\n  - { name: a, metric: y, condition: "> 1", severity: info }\n',
        line: 3,
        text: /duplicate/,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        try {
          parseRules(c.yaml, 'my-rules.yaml');
          expect.fail('should throw');
        } catch (err) {
          if (!isPantauError(err)) throw err;
          expect(err.code).to.equal('PANTAU_CONFIG_INVALID');
          expect(err.details.join('\n')).to.match(new RegExp(`my-rules\\.yaml:${c.line} `));
          expect(err.details.join('\n')).to.match(c.text);
        }
      });
    }
  });

  const inv = okuInventory();
  const fo = inv.byId.get('fo-lengkiti')!;
  const wifi = inv.devices.find((d) => d.type === 'wifi' && d.openingHours === '06:00-22:00')!;

  /** Feeds [minute, value] samples; returns the actions taken. */
  function feed(
    r: CompiledRule,
    points: [number, number][],
    device = fo,
    alertable = true,
    t0 = Date.UTC(2026, 10, 28, 1, 0),
  ) {
    let inst: RuleInstance | undefined;
    let history: ReturnType<typeof addToHistory> | undefined;
    const actions: string[] = [];
    for (const [m, v] of points) {
      const now = t0 + m * MIN;
      const d = evaluateSample(r, device, inst, { metric: r.metric, value: v, labels: '' }, history, now, alertable);
      inst = d.instance;
      if (r.drop) history = addToHistory(history, now, v, r.drop.withinMs);
      actions.push(d.action ? `${m}:${d.action}${d.action !== 'resolve' ? `:${inst.severity}` : ''}` : '');
    }
    return actions.filter(Boolean);
  }

  const table: {
    name: string;
    rule: string;
    points: [number, number][];
    want: string[];
    device?: 'wifi';
    t0?: number;
    alertable?: boolean;
  }[] = [
    {
      name: 'for-duration: fires only after the condition held 5 min',
      rule: '  - { name: l, metric: loss_pct, condition: "> 20", for: 5m, severity: warning }',
      points: [
        [0, 33],
        [1, 33],
        [4, 33],
        [5, 33],
        [6, 0],
      ],
      want: ['5:raise:warning', '6:resolve'],
    },
    {
      name: 'for-duration: a dip resets the timer',
      rule: '  - { name: l, metric: loss_pct, condition: "> 20", for: 5m, severity: warning }',
      points: [
        [0, 33],
        [3, 0],
        [4, 33],
        [8, 33],
        [9, 33],
      ],
      want: ['9:raise:warning'],
    },
    {
      name: 'levels: warning then critical then back',
      rule: '  - name: o\n    metric: optical_rx_dbm\n    levels: [{ condition: "< -25", severity: warning }, { condition: "< -28", severity: critical }]',
      points: [
        [0, -20],
        [1, -26],
        [2, -29],
        [3, -26],
        [4, -20],
      ],
      want: ['1:raise:warning', '2:update:critical', '3:update:warning', '4:resolve'],
    },
    {
      name: 'drop: more than 3 dB below the 24 h maximum',
      rule: '  - { name: d, metric: optical_rx_dbm, drop: { by: 3, within: 24h }, severity: warning }',
      points: [
        [0, -18],
        [60, -18.5],
        [600, -20],
        [1200, -21.5],
        [1300, -18],
      ],
      want: ['1200:raise:warning', '1300:resolve'],
    },
    {
      name: 'drop: old maxima leave the window',
      rule: '  - { name: d, metric: optical_rx_dbm, drop: { by: 3, within: 24h }, severity: warning }',
      points: [
        [0, -15],
        [1500, -19],
        [1510, -19],
      ],
      want: [],
    },
    {
      name: 'clearFor keeps a reboot alert open 30 min',
      rule: '  - { name: r, metric: rebooted, condition: "== 1", clearFor: 30m, severity: info }',
      points: [
        [0, 1],
        [1, 0],
        [20, 0],
        [31, 0],
      ],
      want: ['0:raise:info', '31:resolve'],
    },
    {
      name: 'not alertable (device DOWN): timers run, nothing fires',
      rule: '  - { name: c, metric: cpu_load_pct, condition: "> 90", for: 10m, severity: warning }',
      points: [
        [0, 95],
        [10, 95],
        [11, 95],
      ],
      want: [],
      alertable: false,
    },
    // 01:00 UTC = 08:00 WIB: open. 16:00 UTC = 23:00 WIB: closed.
    {
      name: 'Wi-Fi zero clients during opening hours',
      rule: '  - { name: w, metric: wifi_clients, condition: "== 0", for: 30m, during: openingHours, severity: warning }',
      points: [
        [0, 0],
        [29, 0],
        [30, 0],
        [31, 4],
      ],
      want: ['30:raise:warning', '31:resolve'],
      device: 'wifi',
    },
    {
      name: 'Wi-Fi zero clients at night is fine',
      rule: '  - { name: w, metric: wifi_clients, condition: "== 0", for: 30m, during: openingHours, severity: warning }',
      points: [
        [0, 0],
        [40, 0],
        [80, 0],
      ],
      want: [],
      device: 'wifi',
      t0: Date.UTC(2026, 10, 28, 16, 0),
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      expect(feed(rule(c.rule), c.points, c.device === 'wifi' ? wifi : fo, c.alertable ?? true, c.t0)).to.deep.equal(
        c.want,
      );
    });
  }

  it('opening hours may cross midnight (WIB)', () => {
    expect(withinOpeningHours('20:00-02:00', Date.UTC(2026, 10, 28, 17, 0))).to.equal(true); // 00:00 WIB
    expect(withinOpeningHours('20:00-02:00', Date.UTC(2026, 10, 28, 5, 0))).to.equal(false); // 12:00 WIB
    expect(withinOpeningHours('06:00-22:00', Date.UTC(2026, 10, 27, 23, 0))).to.equal(true); // 06:00 WIB
  });

  it('samples come from every probe kind under the documented names', () => {
    const fiber = inv.byId.get('fo-lengkiti-01')!;
    expect(samplesOf(icmp('x', 0, 2), fiber).map((s) => [s.metric, s.value])).to.deep.include(['loss_pct', 33.3]);
    const s = samplesOf(
      snmp('x', 0, true, {
        rebooted: true,
        uplinkOperUp: false,
        metrics: [{ name: 'optical_rx_dbm', value: -26.1, unit: 'dBm', labels: { ifName: 'sfp1' } }],
      }),
      fiber,
    );
    expect(s).to.deep.include({ metric: 'rebooted', value: 1, labels: '' });
    expect(s).to.deep.include({ metric: 'uplink_oper_up', value: 0, labels: '' });
    expect(s).to.deep.include({ metric: 'optical_rx_dbm', value: -26.1, labels: 'ifName=sfp1' });
    const cam = samplesOf(onvif('c', 0, true, { snapshotOk: false, driftS: -7 }), inv.byId.get('cctv-01'));
    expect(cam).to.deep.include({ metric: 'snapshot_ok', value: 0, labels: '' });
    expect(cam).to.deep.include({ metric: 'clock_drift_s', value: 7, labels: '' });
    expect(samplesOf(snmp('x', 0, false), fiber)).to.deep.equal([]);
  });
});
