import { expect } from 'chai';
import { buildInventory } from '../../../core/inventory/topology.js';
import { loadConfig } from '../../../core/config/load.js';

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
