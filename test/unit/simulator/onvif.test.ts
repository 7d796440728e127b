import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { encodeBlockJpeg, looksLikeJpeg, snapshotJpeg } from '../../../simulator/onvif/jpeg.js';
import {
  checkUsernameToken,
  operationOf,
  probeWanted,
  respond,
  type CameraInfo,
} from '../../../simulator/onvif/soap.js';
import { verifyDigest } from '../../../simulator/onvif/digest.js';
import { generateDevices } from '../../../simulator/generate.js';
import { buildInventory } from '../../../core/inventory/topology.js';

const token = (password: string, created: string, nonce = Buffer.from('nonce-123')) => {
  const digest = createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)]))
    .digest('base64');
  return `<s:Envelope><s:Header><wsse:Security><wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type="...#PasswordDigest">${digest}</wsse:Password><wsse:Nonce>${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header><s:Body><tds:GetDeviceInformation/></s:Body></s:Envelope>`;
};
const cam: CameraInfo = {
  id: 'cctv-01',
  name: 'c',
  address: '127.21.0.10',
  onvifPort: 80,
  rtspPort: 554,
  manufacturer: 'H',
  model: 'M',
  firmware: 'F',
  serial: 'S',
};

describe('simulator/onvif', () => {
  const now = Date.UTC(2026, 10, 28, 1, 0, 0);
  it('accepts a correct WS-UsernameToken digest, refuses a wrong password or a stale Created', () => {
    const created = new Date(now).toISOString();
    expect(checkUsernameToken(token('pantau-lab-cam', created), 'admin', 'pantau-lab-cam', now)).to.equal('ok');
    expect(checkUsernameToken(token('salah', created), 'admin', 'pantau-lab-cam', now)).to.equal('bad');
    expect(checkUsernameToken(token('pantau-lab-cam', created), 'admin', 'pantau-lab-cam', now + 301_000)).to.equal(
      'bad',
    );
    expect(checkUsernameToken('<s:Body><x/></s:Body>', 'admin', 'p', now)).to.equal('missing');
  });

  it('finds the operation whatever the prefix', () => {
    expect(
      operationOf(
        '<s:Envelope><s:Body><trt:GetStreamUri><trt:ProfileToken>P</trt:ProfileToken></trt:GetStreamUri></s:Body></s:Envelope>',
      ),
    ).to.equal('GetStreamUri');
    expect(operationOf('<Envelope><Body><GetProfiles xmlns="x"/></Body></Envelope>')).to.equal('GetProfiles');
  });

  it('builds stream URIs on the camera address and refuses unknown operations', () => {
    expect(respond('GetStreamUri', cam, now, 'Profile_1')).to.contain(
      '<tt:Uri>rtsp://127.21.0.10:554/Profile_1</tt:Uri>',
    );
    expect(respond('SetSystemFactoryDefault', cam, now, null)).to.equal(null);
  });

  it('answers probes for NetworkVideoTransmitter, Device or no type only', () => {
    const probe = (types: string) =>
      `<s:Envelope><s:Header><a:MessageID>uuid:1</a:MessageID></s:Header><s:Body><d:Probe>${types}</d:Probe></s:Body></s:Envelope>`;
    expect(probeWanted(probe('<d:Types>dn:NetworkVideoTransmitter</d:Types>'))).to.deep.equal({
      wanted: true,
      messageId: 'uuid:1',
    });
    expect(probeWanted(probe('')).wanted).to.equal(true);
    expect(probeWanted(probe('<d:Types>wsdp:Printer</d:Types>')).wanted).to.equal(false);
  });

  it('verifies HTTP Digest (qop=auth)', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const response = md5(`${md5('admin:pantau-lab:pw')}:n1:00000001:c1:auth:${md5('GET:/snapshot/Profile_1.jpg')}`);
    const h = `Digest username="admin", realm="pantau-lab", nonce="n1", uri="/snapshot/Profile_1.jpg", qop=auth, nc=00000001, cnonce="c1", response="${response}"`;
    expect(verifyDigest(h, 'GET', 'admin', 'pw', 'pantau-lab')).to.equal(true);
    expect(verifyDigest(h, 'GET', 'admin', 'other', 'pantau-lab')).to.equal(false);
    expect(verifyDigest(undefined, 'GET', 'admin', 'pw', 'pantau-lab')).to.equal(false);
  });

  it('encodes a structurally valid baseline JPEG (SOI, SOF0, DHT, SOS, EOI)', () => {
    const jpg = snapshotJpeg(3, now, 'cctv-01');
    expect(looksLikeJpeg(jpg)).to.equal(true);
    expect(jpg.includes(Buffer.from([0xff, 0xc0]))).to.equal(true);
    expect(looksLikeJpeg(Buffer.from('<html>'))).to.equal(false);
    // Byte stuffing: no bare 0xFF inside the entropy-coded data of a bright image.
    const bright = encodeBlockJpeg(new Array(48).fill(255), 8, 6);
    expect(looksLikeJpeg(bright)).to.equal(true);
  });
});

describe('simulator/generate', () => {
  it('generates a valid tree of exactly n devices with unique loopback addresses', () => {
    const devices = generateDevices({ devices: 2000 });
    expect(devices).to.have.length(2000);
    expect(new Set(devices.map((d) => d.address)).size).to.equal(2000);
    expect(devices.every((d) => d.address.startsWith('127.'))).to.equal(true);
    const inv = buildInventory(devices);
    expect(inv.descendants('gen-core')).to.have.length(1999);
    expect(devices.filter((d) => d.type === 'cctv').length).to.be.greaterThan(50);
  });
});

describe('simulator/inventory/oku-lab.yaml', () => {
  it('is regenerated from config/inventory/oku.yaml (run: node --import tsx simulator/lab-inventory.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { highPortInventoryYaml, LAB_INVENTORY_FILE } = await import('../../../simulator/lab-inventory.js');
    expect(readFileSync(LAB_INVENTORY_FILE, 'utf8')).to.equal(
      highPortInventoryYaml(readFileSync('config/inventory/oku.yaml', 'utf8')),
    );
  });
});
