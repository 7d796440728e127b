import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  digestAuthorization,
  isCompleteJpeg,
  parseDigestChallenge,
  pickChallenge,
} from '../../../collector/probes/onvif/digest.js';
import { parseRtspResponse } from '../../../collector/probes/onvif/rtsp.js';
import { identityMismatches, onvifFailure } from '../../../collector/probes/onvif/probe.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('collector/probes/onvif (pure parts)', () => {
  it('parses a Digest challenge whose nonce contains "=" and commas (node-onvif failed here)', () => {
    const c = parseDigestChallenge(
      'Digest realm="cam, lobby", qop="auth", nonce="ab==cd,ef=", opaque="xyz", algorithm=MD5',
    );
    expect(c).to.deep.equal({ realm: 'cam, lobby', nonce: 'ab==cd,ef=', qop: 'auth', opaque: 'xyz', algorithm: 'MD5' });
    expect(parseDigestChallenge('Basic realm="x"')).to.equal(null);
    expect(pickChallenge(['Basic realm="x"', 'Digest realm="r", nonce="n", algorithm=SHA-256'])!.algorithm).to.equal(
      'SHA-256',
    );
  });

  it('computes the RFC 7616 MD5 response with qop=auth', () => {
    const c = parseDigestChallenge('Digest realm="pantau", qop="auth", nonce="0a1b", algorithm=MD5')!;
    const h = digestAuthorization(c, {
      method: 'GET',
      uri: '/snapshot/p1.jpg',
      username: 'admin',
      password: 'pw',
      nc: 1,
      cnonce: 'cn',
    });
    const want = md5(`${md5('admin:pantau:pw')}:0a1b:00000001:cn:auth:${md5('GET:/snapshot/p1.jpg')}`);
    expect(h)
      .to.contain(`response="${want}"`)
      .and.contain('nc=00000001')
      .and.contain('qop=auth')
      .and.contain('uri="/snapshot/p1.jpg"');
  });

  it('accepts only whole JPEGs', () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(200, 1),
      Buffer.from([0xff, 0xd9]),
    ]);
    expect(isCompleteJpeg(jpeg)).to.equal(true);
    expect(isCompleteJpeg(Buffer.concat([jpeg, Buffer.from('\r\n')]))).to.equal(true);
    expect(isCompleteJpeg(jpeg.subarray(0, 100))).to.equal(false);
    expect(isCompleteJpeg(Buffer.from('<html>error</html>'))).to.equal(false);
    expect(isCompleteJpeg(Buffer.alloc(0))).to.equal(false);
  });

  it('parses RTSP responses, waiting for the whole body', () => {
    const full = Buffer.from(
      'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\nRTSP/1.0',
    );
    const r = parseRtspResponse(full)!;
    expect(r.res.status).to.equal(200);
    expect(r.res.body).to.equal('v=0\r\n');
    expect(r.rest.toString()).to.equal('RTSP/1.0');
    expect(parseRtspResponse(full.subarray(0, 60))).to.equal(null);
    expect(() => parseRtspResponse(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).to.throw(/not an RTSP response/);
  });

  it('lists identity mismatches only for fields the inventory has', () => {
    expect(
      identityMismatches({ model: 'DS-2CD', firmware: 'V5.7' }, { model: 'DS-2CD', firmware: 'V5.5', serial: 'X' }),
    ).to.deep.equal(['firmware: inventaris "V5.7", kamera "V5.5"']);
    expect(identityMismatches({}, { model: 'a' })).to.deep.equal([]);
  });

  it('maps library errors to stable codes', () => {
    expect(
      onvifFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'reach').code,
    ).to.equal('PANTAU_PROBE_REFUSED');
    expect(onvifFailure(new Error('Network timeout'), 'reach').code).to.equal('PANTAU_PROBE_TIMEOUT');
    expect(onvifFailure(new Error('Sender not Authorized: ter:NotAuthorized'), 'auth').code).to.equal(
      'PANTAU_PROBE_AUTH',
    );
    expect(onvifFailure(new Error('Non-whitespace before first tag.'), 'reach').code).to.equal(
      'PANTAU_PROBE_BAD_RESPONSE',
    );
  });
});
