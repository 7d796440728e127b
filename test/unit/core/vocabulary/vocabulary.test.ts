import { expect } from 'chai';
import { fnv1a32 } from '../../../../core/fnv1a.js';
import {
  DEVICE_TYPE_TEXT,
  DEVICE_TYPES,
  deviceTypeWords,
  isDeviceType,
} from '../../../../core/vocabulary/device-types.js';
import { DEVICE_STATES, STATE_CODES } from '../../../../core/vocabulary/states.js';
import { SEVERITIES, SEVERITY_RANK } from '../../../../core/vocabulary/severities.js';
import { ALERT_MESSAGES, fillTemplate } from '../../../../core/vocabulary/alert-messages.js';

describe('core/fnv1a', () => {
  // Published FNV-1a 32-bit test vectors: stored schedules and simulator parameters depend on them.
  for (const [input, hash] of [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ] as const) {
    it(`hashes ${JSON.stringify(input)} to 0x${hash.toString(16)}`, () => expect(fnv1a32(input)).to.equal(hash));
  }
});

describe('core/vocabulary', () => {
  it('gives every device type its words in both languages, and nothing else', () => {
    expect(Object.keys(DEVICE_TYPE_TEXT)).to.deep.equal([...DEVICE_TYPES]);
    for (const t of DEVICE_TYPES) {
      const w = DEVICE_TYPE_TEXT[t];
      for (const words of [w.page, w.historyPage, w.count, w.report]) {
        expect(words.id, t).to.be.a('string').and.not.equal('');
        expect(words.en, t).to.be.a('string').and.not.equal('');
      }
    }
    expect(deviceTypeWords((t) => t.report, 'en')).to.include({ fiber: 'Fiber-optic points' });
  });

  it('knows a device type from any other word', () => {
    expect(isDeviceType('cctv')).to.equal(true);
    expect(isDeviceType('toaster')).to.equal(false);
  });

  it('numbers the states 0… in their order (stored in InfluxDB: never renumbered)', () => {
    expect(DEVICE_STATES.map((s) => STATE_CODES[s])).to.deep.equal(DEVICE_STATES.map((_, i) => i));
  });

  it('ranks severities worst first', () => {
    expect([...SEVERITIES].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])).to.deep.equal([
      'info',
      'warning',
      'critical',
    ]);
  });
});

describe('core/vocabulary/alert-messages', () => {
  it('says every message in both languages with the same placeholders', () => {
    const slots = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(ALERT_MESSAGES.en)).to.deep.equal(Object.keys(ALERT_MESSAGES.id));
    for (const k of Object.keys(ALERT_MESSAGES.id) as (keyof typeof ALERT_MESSAGES.id)[]) {
      expect(slots(ALERT_MESSAGES.en[k]), k).to.deep.equal(slots(ALERT_MESSAGES.id[k]));
      expect(ALERT_MESSAGES.en[k], `${k} is not translated`).not.to.equal(ALERT_MESSAGES.id[k]);
    }
  });

  it('fills placeholders and keeps a missing one visible', () => {
    expect(fillTemplate('{device} mati — {count}', { device: 'fo-1', count: 3 })).to.equal('fo-1 mati — 3');
    expect(fillTemplate('{device} {flips}', { device: 'x' })).to.equal('x {flips}');
  });
});
