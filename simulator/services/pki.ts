/**
 * The lab's own certificate authority and the server certificates it signs (ADR 0702). ECDSA P-256
 * through Node's WebCrypto and @peculiar/x509: a key and a certificate in milliseconds, so the lab
 * can issue a fresh certificate whenever a fault asks for one (expiring in 2 days, expired, wrong host).
 * The CA exists only for the lab's lifetime; pantau trusts it only through its config (caFile).
 */
// @peculiar/x509 builds on tsyringe, which needs the Reflect metadata API at import time.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

/** The CA as plain data (it crosses IPC to the lab's worker processes). */
export interface LabCa {
  certPem: string;
  keyPem: string;
}
export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
const fromPem = (pem: string) => {
  const b = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const serial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');

/** A new CA, valid from a day before `now` for ten years. */
export async function createLabCa(
  now: number,
  name = 'pantau lab CA (tidak untuk produksi / not for production)',
): Promise<LabCa> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}, O=pantau`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'),
  };
}

export interface CertRequest {
  /** DNS names in the certificate (subjectAltName); the first is also the CN. */
  hosts: readonly string[];
  notBefore: number;
  notAfter: number;
}

/** A server certificate for `hosts`, signed by the CA. */
export async function issueCert(ca: LabCa, req: CertRequest): Promise<IssuedCert> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(ca.keyPem), ALG, false, ['sign']);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${req.hosts[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(req.notBefore),
    notAfter: new Date(req.notAfter),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(req.hosts.map((h) => ({ type: 'dns' as const, value: h }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'),
  };
}

/** Which certificate a service serves under its current faults (pure). */
export type CertVariant =
  { kind: 'ok' } | { kind: 'expiring'; days: number } | { kind: 'expired' } | { kind: 'wrong-host' };

export function certRequestFor(host: string, v: CertVariant, now: number): CertRequest {
  switch (v.kind) {
    case 'ok':
      return { hosts: [host], notBefore: now - 30 * DAY, notAfter: now + 90 * DAY };
    case 'expiring':
      return { hosts: [host], notBefore: now - 80 * DAY, notAfter: now + v.days * DAY };
    case 'expired':
      return { hosts: [host], notBefore: now - 91 * DAY, notAfter: now - DAY };
    case 'wrong-host':
      return { hosts: [`lain-${host}`, 'www.example.invalid'], notBefore: now - 30 * DAY, notAfter: now + 90 * DAY };
  }
}
