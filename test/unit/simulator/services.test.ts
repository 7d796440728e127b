import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import dnsPacket from 'dns-packet';
import { parseFault, checkFault } from '../../../simulator/model/faults.js';
import { answerQuery } from '../../../simulator/services/dns.js';
import { certVariantOf } from '../../../simulator/services/app.js';
import { certRequestFor, createLabCa, issueCert } from '../../../simulator/services/pki.js';
import type { Fault } from '../../../simulator/model/faults.js';

const DAY = 86_400_000;

describe('simulator/services', () => {
  it('parses the service faults (CLI words and untrusted objects)', () => {
    expect(parseFault('http-status', ['500']).fault).to.deep.equal({ kind: 'http-status', status: 500 });
    expect(parseFault('http-status', []).fault).to.deep.equal({ kind: 'http-status', status: 500 });
    expect(parseFault('http-slow', []).fault).to.deep.equal({ kind: 'http-slow', ms: 8000 });
    expect(parseFault('cert-expiring', ['2']).fault).to.deep.equal({ kind: 'cert-expiring', days: 2 });
    for (const k of ['content-changed', 'cert-expired', 'cert-wrong-host', 'dns-nxdomain', 'port-closed'])
      expect(parseFault(k, []).fault).to.deep.equal({ kind: k });
    expect(checkFault({ kind: 'cert-expiring', days: 10 })).to.deep.equal({ kind: 'cert-expiring', days: 10 });
    expect(() => parseFault('cert-expiring', [])).to.throw(/days/);
    expect(() => parseFault('cert-expiring', ['0'])).to.throw(/days/);
    expect(() => parseFault('http-status', ['999'])).to.throw(/100–599/);
  });

  it('picks the certificate the faults ask for: expired > wrong host > expiring > good', () => {
    const model = (faults: Fault[]) => ({ find: (k: string) => faults.find((f) => f.kind === k) }) as never;
    expect(certVariantOf(model([]))).to.deep.equal({ kind: 'ok' });
    expect(certVariantOf(model([{ kind: 'cert-expiring', days: 2 }]))).to.deep.equal({ kind: 'expiring', days: 2 });
    expect(certVariantOf(model([{ kind: 'cert-expiring', days: 2 }, { kind: 'cert-wrong-host' }]))).to.deep.equal({
      kind: 'wrong-host',
    });
    expect(certVariantOf(model([{ kind: 'cert-wrong-host' }, { kind: 'cert-expired' }]))).to.deep.equal({
      kind: 'expired',
    });
  });

  it('the lab CA signs server certificates with the requested names and dates', async () => {
    const now = Date.now();
    const ca = await createLabCa(now);
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).to.equal(true);
    const leaf = new X509Certificate(
      (await issueCert(ca, certRequestFor('sip.okukab.go.id', { kind: 'expiring', days: 2 }, now))).certPem,
    );
    expect(leaf.checkIssued(caCert)).to.equal(true);
    expect(leaf.verify(caCert.publicKey)).to.equal(true);
    expect(leaf.checkHost('sip.okukab.go.id')).to.equal('sip.okukab.go.id');
    expect(Math.abs(Date.parse(leaf.validTo) - (now + 2 * DAY))).to.be.below(2000);
    const wrong = new X509Certificate(
      (await issueCert(ca, certRequestFor('sip.okukab.go.id', { kind: 'wrong-host' }, now))).certPem,
    );
    expect(wrong.checkHost('sip.okukab.go.id')).to.equal(undefined);
    const expired = new X509Certificate(
      (await issueCert(ca, certRequestFor('sip.okukab.go.id', { kind: 'expired' }, now))).certPem,
    );
    expect(Date.parse(expired.validTo)).to.be.below(now);
  });

  it('the DNS server answers A for known names, NXDOMAIN for the rest and for a faulted name', () => {
    const names: Record<string, string | null> = { 'sip.okukab.go.id': '127.24.0.11', 'ekir.okukab.go.id': null };
    const ask = (name: string, type: 'A' | 'AAAA' = 'A') =>
      dnsPacket.decode(
        answerQuery(
          dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }),
          (n) => names[n],
        )!,
      );
    const rcode = (p: object) => (p as { rcode?: string }).rcode;
    const a = ask('SIP.okukab.go.id');
    expect(a.id).to.equal(7);
    expect(a.flag_aa).to.equal(true);
    expect(rcode(a)).to.equal('NOERROR');
    expect(a.answers?.map((x) => (x as { data: string }).data)).to.deep.equal(['127.24.0.11']);
    expect(rcode(ask('ekir.okukab.go.id'))).to.equal('NXDOMAIN');
    expect(rcode(ask('nope.example'))).to.equal('NXDOMAIN');
    expect(ask('sip.okukab.go.id', 'AAAA').answers).to.deep.equal([]);
    expect(answerQuery(Buffer.from('garbage'), () => null)).to.equal(null);
  });
});
