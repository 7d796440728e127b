import { expect } from 'chai';
import { heapFlagsFor, LARGE_NETWORK_DEVICES } from '../../../cli/heap.js';

describe('cli/heap (V8 heap settings by network size, ADR 0010)', () => {
  it('keeps the small young generation for the OKU network and gives V8 its growing one back at 2,000 devices, with a tighter old generation', () => {
    expect(heapFlagsFor(227)).to.deep.equal([]);
    expect(heapFlagsFor(LARGE_NETWORK_DEVICES - 1)).to.deep.equal([]);
    const large = ['--semi-space-growth-factor=2', '--heap-growing-percent=30'];
    expect(heapFlagsFor(LARGE_NETWORK_DEVICES)).to.deep.equal(large);
    expect(heapFlagsFor(10_000)).to.deep.equal(large);
  });
});
