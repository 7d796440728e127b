import { expect } from 'chai';
import { Secret } from '../../../core/secret.js';
import { decodeSecrets, encodeSecrets, shardOf, workerCount } from '../../../collector/probes/worker/wire.js';

describe('collector/probes/worker/wire', () => {
  it('credentials cross to a worker with their secrets intact, and come back as Secrets', () => {
    const creds = {
      snmp: {
        v2: { version: 'v2c', community: new Secret('s3cret') },
        v3: { version: 'v3', user: 'u', authKey: new Secret('ak'), privKey: new Secret('pk'), level: 'authPriv' },
      },
      onvif: { cam: { username: 'admin', password: new Secret('pw') } },
    };
    // What structuredClone (postMessage) would do to it: a Secret's private field is lost.
    const wire = structuredClone(encodeSecrets(creds));
    const back = decodeSecrets(wire) as typeof creds;
    expect(back.snmp.v2.community).to.be.instanceOf(Secret);
    expect(back.snmp.v2.community.reveal()).to.equal('s3cret');
    expect(back.snmp.v3.privKey.reveal()).to.equal('pk');
    expect(back.onvif.cam.password.reveal()).to.equal('pw');
    expect(back.snmp.v3.user).to.equal('u');
    expect(String(back.onvif.cam.password)).to.equal('[REDACTED]');
    // Without the encoding the secret would arrive empty: the test above would then fail.
    expect(
      (structuredClone(creds) as unknown as { onvif: { cam: { password: unknown } } }).onvif.cam.password,
    ).to.not.be.instanceOf(Secret);
  });

  it('a device always goes to the same worker, and devices spread over the workers', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `dev-${i}`);
    const counts = [0, 0, 0];
    for (const id of ids) {
      const s = shardOf(id, 3);
      expect(shardOf(id, 3)).to.equal(s);
      counts[s]!++;
    }
    for (const c of counts) expect(c).to.be.within(1100, 1570);
    expect(ids.every((id) => shardOf(id, 1) === 0)).to.equal(true);
  });

  it('`collector.workers: auto` gives no thread to a small network and one per spare core to a big one', () => {
    expect(workerCount('auto', 227, 2)).to.equal(0);
    expect(workerCount('auto', 1999, 8)).to.equal(0);
    expect(workerCount('auto', 10_000, 2)).to.equal(1);
    expect(workerCount('auto', 10_000, 1)).to.equal(1);
    expect(workerCount('auto', 10_000, 4)).to.equal(3);
    expect(workerCount('auto', 10_000, 32)).to.equal(4);
    expect(workerCount(0, 10_000, 8)).to.equal(0);
    expect(workerCount(2, 10, 1)).to.equal(2);
  });
});
