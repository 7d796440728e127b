import { expect } from 'chai';
import { ALL_UPLINKS_UP_TO, LEAF_UPLINK_ZOOM, leafUplinksShown } from '../../../web/src/uplinks.js';

describe('web/uplinks', () => {
  it('draws every uplink of a network up to ALL_UPLINKS_UP_TO shown devices, at any zoom', () => {
    expect(leafUplinksShown(7, 227)).to.equal(true);
    expect(leafUplinksShown(7, ALL_UPLINKS_UP_TO)).to.equal(true);
  });

  it('in a bigger network draws the healthy leaf uplinks only from LEAF_UPLINK_ZOOM on', () => {
    expect(leafUplinksShown(9, 10_000)).to.equal(false);
    expect(leafUplinksShown(LEAF_UPLINK_ZOOM - 0.25, ALL_UPLINKS_UP_TO + 1)).to.equal(false);
    expect(leafUplinksShown(LEAF_UPLINK_ZOOM, 10_000)).to.equal(true);
    expect(leafUplinksShown(16, 10_000)).to.equal(true);
  });
});
