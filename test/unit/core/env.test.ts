import { expect } from 'chai';
import { substituteEnv } from '../../../core/config/env.js';

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
