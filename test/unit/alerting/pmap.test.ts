import { expect } from 'chai';
import { PMap } from '../../../alerting/engine/pmap.js';

describe('alerting/engine/pmap', () => {
  it('behaves like a Map over 20,000 random sets and deletes, and old versions never change', () => {
    let m = PMap.empty<number>();
    const ref = new Map<string, number>();
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const snapshot = { map: m, entries: [] as Array<[string, number]> };
    for (let n = 0; n < 20_000; n++) {
      const key = `dev-${rnd() % 5000}`;
      if (rnd() % 4 === 0) {
        m = m.delete(key);
        ref.delete(key);
      } else {
        m = m.set(key, n);
        ref.set(key, n);
      }
      if (n === 10_000) {
        snapshot.map = m;
        snapshot.entries = [...ref.entries()];
      }
    }
    expect(m.size).to.equal(ref.size);
    for (const [k, v] of ref) expect(m.get(k)).to.equal(v);
    expect(new Map(m.entries())).to.deep.equal(ref);
    expect(m.has('dev-nope')).to.equal(false);
    expect(m.delete('dev-nope')).to.equal(m);
    expect(new Map(snapshot.map.entries())).to.deep.equal(new Map(snapshot.entries));
    expect(snapshot.map.size).to.equal(snapshot.entries.length);
  });
});
