import { expect } from 'chai';
import { OidIndex, compareOids, parseOid } from '../../../simulator/snmp/oid-index.js';

describe('simulator/snmp/oid-index', () => {
  const index = () => {
    const ix = new OidIndex();
    // Added out of order on purpose (the MIB builder adds tables column by column, scalars first).
    for (const oid of [
      '1.3.6.1.2.1.2.2.1.2.10',
      '1.3.6.1.2.1.1.3.0',
      '1.3.6.1.2.1.2.2.1.2.2',
      '1.3.6.1.2.1.2.2.1.2.1',
      '1.3.6.1.2.1.2.2.1.8.1',
      '1.3.6.1.2.1.1.1.0',
    ]) {
      ix.add(oid, 2, () => oid);
    }
    return ix;
  };

  it('orders OIDs numerically per arc, not as text (…2.10 after …2.2)', () => {
    expect(compareOids(parseOid('1.3.6.1.2.1.2.2.1.2.10'), parseOid('1.3.6.1.2.1.2.2.1.2.2'))).to.be.greaterThan(0);
    expect(compareOids(parseOid('1.3.6.1'), parseOid('1.3.6.1.0'))).to.be.lessThan(0);
  });

  it('GETNEXT semantics: the first OID strictly after the requested one, from any start, undefined at the end', () => {
    const ix = index();
    expect(ix.next('1.3.6.1.2.1.2.2.1.2')?.oid).to.equal('1.3.6.1.2.1.2.2.1.2.1');
    expect(ix.next('1.3.6.1.2.1.2.2.1.2.1')?.oid).to.equal('1.3.6.1.2.1.2.2.1.2.2');
    expect(ix.next('1.3.6.1.2.1.2.2.1.2.2')?.oid).to.equal('1.3.6.1.2.1.2.2.1.2.10');
    expect(ix.next('1.3.6.1.2.1.2.2.1.2.10')?.oid).to.equal('1.3.6.1.2.1.2.2.1.8.1');
    // An OID that is not in the MIB (a vendor table this device lacks) continues after it, not from the start.
    expect(ix.next('1.3.6.1.2.1.1.2')?.oid).to.equal('1.3.6.1.2.1.1.3.0');
    expect(ix.next('1.3.6')?.oid).to.equal('1.3.6.1.2.1.1.1.0');
    expect(ix.next('1.3.6.1.2.1.2.2.1.8.1')).to.equal(undefined);
    expect(ix.next('1.3.6.1.4.1.14988.1.1.19.1.1.10')).to.equal(undefined);
  });

  it('GET: exact OIDs only; values are read at request time', () => {
    const ix = new OidIndex();
    let n = 0;
    ix.add('1.3.6.1.2.1.1.3.0', 67, () => ++n);
    expect(ix.exact('1.3.6.1.2.1.1.3.0')!.get()).to.equal(1);
    expect(ix.exact('1.3.6.1.2.1.1.3.0')!.get()).to.equal(2);
    expect(ix.exact('1.3.6.1.2.1.1.3')).to.equal(undefined);
  });
});
