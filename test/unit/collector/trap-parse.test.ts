import { expect } from 'chai';
import { parseTrapPdu } from '../../../collector/traps/parse.js';

describe('collector/traps/parse', () => {
  it('v2c linkDown: snmpTrapOID.0 plus ifIndex/ifDescr varbinds', () => {
    const t = parseTrapPdu({
      type: 167,
      varbinds: [
        { oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 5 },
        { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 6, value: '1.3.6.1.6.3.1.1.5.3' },
        { oid: '1.3.6.1.2.1.2.2.1.1.2', type: 2, value: 2 },
        { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 4, value: Buffer.from('ether2') },
      ],
    });
    expect(t).to.deep.equal({ trap: 'linkDown', trapOid: '1.3.6.1.6.3.1.1.5.3', ifIndex: 2, ifName: 'ether2' });
  });

  it('v1 generic traps map to the same names', () => {
    expect(parseTrapPdu({ type: 164, generic: 0, varbinds: [] }).trap).to.equal('coldStart');
    expect(
      parseTrapPdu({ type: 164, generic: 3, varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.4', type: 2, value: 4 }] }),
    ).to.deep.include({ trap: 'linkUp', ifIndex: 4 });
    expect(
      parseTrapPdu({ type: 164, generic: 6, specific: 9, enterprise: '1.3.6.1.4.1.14988', varbinds: [] }),
    ).to.deep.include({ trap: 'other', trapOid: '1.3.6.1.4.1.14988.0.9' });
  });

  it('unknown v2c notifications are "other" with their OID', () => {
    expect(
      parseTrapPdu({ type: 167, varbinds: [{ oid: '1.3.6.1.6.3.1.1.4.1.0', type: 6, value: '1.3.6.1.4.1.9.9.1' }] }),
    ).to.deep.equal({ trap: 'other', trapOid: '1.3.6.1.4.1.9.9.1' });
  });
});
