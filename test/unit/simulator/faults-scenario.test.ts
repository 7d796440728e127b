import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseFault, checkFault } from '../../../simulator/model/faults.js';
import { parseDuration, parseScenario, runScenario } from '../../../simulator/scenario.js';
import { renderRules } from '../../../simulator/netfilter.js';
import { loadConfig } from '../../../core/config/load.js';

describe('simulator/model/faults', () => {
  const cases: Array<[string, string[], unknown, boolean]> = [
    ['down', [], { kind: 'down' }, false],
    ['fiber-cut', [], { kind: 'down' }, true],
    ['loss', ['20'], { kind: 'loss', percent: 20 }, false],
    ['latency', ['300'], { kind: 'latency', ms: 300 }, false],
    ['slow', [], { kind: 'slow', ms: 8000 }, false],
    ['reboot', ['2'], { kind: 'reboot', downMs: 2000 }, false],
    ['ifdown', ['3'], { kind: 'ifdown', ifIndex: 3 }, false],
    ['optical', ['-27.5', '600'], { kind: 'optical', toDbm: -27.5, durationMs: 600_000 }, false],
    ['wifi-clients', ['0'], { kind: 'wifi-clients', count: 0 }, false],
    ['snapshot', ['not-jpeg'], { kind: 'snapshot', mode: 'not-jpeg' }, false],
    ['clock-drift', ['-120'], { kind: 'clock-drift', seconds: -120 }, false],
  ];
  for (const [kind, args, fault, subtree] of cases) {
    it(`parses ${kind} ${args.join(' ')}`, () => {
      expect(parseFault(kind, args)).to.deep.equal({ fault, subtree });
    });
  }
  it('rejects unknown faults and bad arguments', () => {
    expect(() => parseFault('meteor', [])).to.throw(/unknown fault/);
    expect(() => parseFault('loss', ['150'])).to.throw(/0–100/);
    expect(() => parseFault('latency', [])).to.throw(/needs ms/);
    expect(() => parseFault('snapshot', ['blue'])).to.throw(/unknown mode/);
  });
  it('checks fault objects from JSON', () => {
    expect(checkFault({ kind: 'optical', toDbm: -25, durationMs: 60_000 })).to.deep.equal({
      kind: 'optical',
      toDbm: -25,
      durationMs: 60_000,
    });
    expect(() => checkFault({ kind: 'loss' })).to.throw();
  });
});

describe('simulator/netfilter renderRules', () => {
  it('renders DROP for down addresses and statistic DROP for loss, down wins', () => {
    const text = renderRules({
      down: ['127.20.0.1'],
      loss: new Map([
        ['127.20.0.2', 5],
        ['127.20.0.1', 50],
      ]),
    });
    expect(text).to.equal(
      '*filter\n:PANTAU-LAB - [0:0]\n-A PANTAU-LAB -d 127.20.0.1/32 -j DROP\n' +
        '-A PANTAU-LAB -d 127.20.0.2/32 -m statistic --mode random --probability 0.0500 -j DROP\nCOMMIT\n',
    );
  });
});

describe('simulator/scenario', () => {
  it('parses durations', () => {
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('1h30m')).to.equal(5_400_000);
    expect(parseDuration(2)).to.equal(2000);
    expect(parseDuration('250ms')).to.equal(250);
    expect(() => parseDuration('soon')).to.throw();
  });

  it('expands repeat with clearAfter into a sorted timeline', () => {
    const s = parseScenario(`
name: flap
steps:
  - at: 10s
    target: wifi-03
    fault: down
    repeat: { every: 40s, times: 3, clearAfter: 20s }
  - at: 5s
    target: fo-core
    fault: latency
    args: [300]
`);
    expect(s.events.map((e) => `${e.atMs / 1000}:${e.label}`)).to.deep.equal([
      '5:latency fo-core',
      '10:down wifi-03',
      '30:clear wifi-03',
      '50:down wifi-03',
      '70:clear wifi-03',
      '90:down wifi-03',
      '110:clear wifi-03',
    ]);
    expect(s.durationMs).to.equal(110_000);
  });

  it('lists every bad step with its index', () => {
    expect(() => parseScenario('steps:\n  - { at: 1s, target: x, fault: meteor }\n  - { at: nanti, clear: y }\n'))
      .to.throw(/scenario invalid/)
      .with.property('details')
      .that.has.length(2);
  });

  it('runs events in order on injected timers', async () => {
    const s = parseScenario('steps:\n  - { at: 2s, target: a, fault: down }\n  - { at: 5s, clear: a }\n');
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const calls: string[] = [];
    runScenario(
      s,
      {
        fault: async (t, f) => {
          calls.push(`fault ${t} ${f.kind}`);
        },
        clear: async (t) => {
          calls.push(`clear ${t}`);
        },
      },
      {
        schedule: (fn, ms) => {
          timers.push({ fn, ms });
          return { cancel: () => {} };
        },
      },
    );
    expect(timers.map((t) => t.ms)).to.deep.equal([2000, 5000]);
    for (const t of timers) t.fn();
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).to.deep.equal(['fault a down', 'clear a']);
  });

  it('every shipped scenario parses against the OKU inventory', () => {
    const inv = loadConfig('config/pantau.yaml', {}).inventory;
    const files = readdirSync('simulator/scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).to.be.greaterThanOrEqual(5);
    for (const f of files) {
      const s = parseScenario(readFileSync(`simulator/scenarios/${f}`, 'utf8'), inv);
      expect(s.events.length, f).to.be.greaterThan(0);
    }
  });
});
