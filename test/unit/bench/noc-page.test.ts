import { expect } from 'chai';
import { burstIds } from '../../../bench/noc-page.js';
import { generateInventory } from '../../../simulator/generate.js';

describe('bench/noc-page: the burst rounds', () => {
  const inventory = generateInventory({ devices: 500 });
  const leaves = inventory.devices.filter((d) => inventory.children(d.id).length === 0);
  /** The selection the bench made before burstIds (its figures stay comparable). */
  const before = (burst: number, r: number) =>
    Array.from({ length: burst }, (_, i) => leaves[(i * 7919 + r * 104_729) % leaves.length]!.id);

  it('an even round takes leaves DOWN, the odd round after brings the same leaves UP, as before', () => {
    for (const burst of [10, 50]) {
      for (let r = 0; r < 4; r++) {
        const ids = burstIds(leaves, burst, r);
        expect(ids, `round ${r}`).to.deep.equal(before(burst, r % 2 === 0 ? r : r - 1));
        expect(ids).to.have.length(burst);
        for (const id of ids) expect(inventory.children(id)).to.deep.equal([]);
      }
      expect(burstIds(leaves, burst, 1)).to.deep.equal(burstIds(leaves, burst, 0));
      expect(burstIds(leaves, burst, 2)).to.not.deep.equal(burstIds(leaves, burst, 0));
    }
  });
});
