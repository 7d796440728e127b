import { expect } from 'chai';
import { Writable } from 'node:stream';
import { substituteEnv } from '../../../core/config/env.js';
import { formatWib, wibMinuteOfDay } from '../../../core/time.js';
import { createLogger } from '../../../core/logger.js';
import { Secret } from '../../../core/secret.js';
import { buildInventory } from '../../../core/inventory/topology.js';
import { loadConfig } from '../../../core/config/load.js';
import { renderConfigSchema } from '../../../core/config/schema-file.js';
import { readFileSync } from 'node:fs';

describe('core/config/env', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, string, number]> = [
    ['${A}', { A: 'x' }, 'x', 0],
    ['pre-${A}-post', { A: 'x' }, 'pre-x-post', 0],
    ['${A:-fallback}', {}, 'fallback', 0],
    ['${A:-fallback}', { A: 'set' }, 'set', 0],
    ['$${A}', { A: 'x' }, '${A}', 0],
    ['${MISSING}', {}, '', 1],
    ['no vars', {}, 'no vars', 0],
  ];
  for (const [input, env, want, problems] of cases) {
    it(`substitutes ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => {
      const r = substituteEnv({ k: input }, env);
      expect((r.value as { k: string }).k).to.equal(want);
      expect(r.problems).to.have.length(problems);
    });
  }
});

describe('core/time', () => {
  it('formats in WIB (UTC+7)', () => {
    expect(formatWib(Date.UTC(2026, 10, 28, 18, 5, 9))).to.equal('29/11/2026 01.05.09 WIB');
    expect(wibMinuteOfDay(Date.UTC(2026, 10, 28, 23, 30))).to.equal(6 * 60 + 30);
  });
});

describe('core/logger', () => {
  it('redacts secrets by field name and Secret values', () => {
    let out = '';
    const sink = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } });
    const log = createLogger({ destination: sink, level: 'info' });
    log.info({ cred: { community: 'public-secret', authKey: 'k3y' }, token: 'bot123', s: new Secret('hidden') }, 'hello');
    expect(out).to.include('hello');
    for (const secret of ['public-secret', 'k3y', 'bot123', 'hidden']) expect(out).not.to.include(secret);
  });
});

describe('core/inventory/topology', () => {
  it('answers descendants, ancestors and depth over the OKU inventory', () => {
    const { inventory } = loadConfig('config/pantau.yaml', {});
    const lengkiti = inventory.descendants('fo-lengkiti');
    expect(lengkiti.length).to.be.greaterThan(10);
    expect(lengkiti.every((d) => inventory.ancestors(d.id).some((a) => a.id === 'fo-lengkiti'))).to.equal(true);
    expect(inventory.depthOf('fo-core')).to.equal(0);
    expect(inventory.descendants('fo-core')).to.have.length(238); // 226 network devices + the 12 applications it hosts
    expect(buildInventory([]).maxDepth()).to.equal(0);
  });
});

describe('config/schema.json', () => {
  it('is current with the zod schema (run npm run schema after changing it)', () => {
    expect(readFileSync('config/schema.json', 'utf8')).to.equal(renderConfigSchema());
  });
});
