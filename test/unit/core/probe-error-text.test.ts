import { expect } from 'chai';
import { PROBE_ERROR_CODES } from '../../../core/types.js';
import { PROBE_ERROR_TEXT, probeErrorText } from '../../../core/probe-error-text.js';

describe('core/probe-error-text', () => {
  for (const lang of ['id', 'en'] as const) {
    for (const code of PROBE_ERROR_CODES) {
      it(`${code} has its own operator sentence in ${lang}`, () => {
        const text = PROBE_ERROR_TEXT[lang][code];
        expect(text, `${code} (${lang}) has no sentence`).to.be.a('string').and.have.length.greaterThan(10);
        expect(text).not.to.include('PANTAU_');
        const others = PROBE_ERROR_CODES.filter((c) => c !== code).map((c) => PROBE_ERROR_TEXT[lang][c]);
        expect(others, `${code} (${lang}) shares its sentence with another code`).not.to.include(text);
      });
    }
  }
  it('the two languages differ (id is not a copy of en)', () => {
    for (const code of PROBE_ERROR_CODES) expect(PROBE_ERROR_TEXT.id[code]).not.to.equal(PROBE_ERROR_TEXT.en[code]);
  });
  it('has no sentences for codes that do not exist', () => {
    for (const lang of ['id', 'en'] as const)
      expect(Object.keys(PROBE_ERROR_TEXT[lang]).sort()).to.deep.equal([...PROBE_ERROR_CODES].sort());
  });
  it('names the probe', () => {
    expect(probeErrorText('PANTAU_PROBE_AUTH', 'onvif', 'id')).to.equal(
      'ONVIF: login ditolak: nama pengguna, kata sandi atau community salah',
    );
    expect(probeErrorText('PANTAU_PROBE_SNAPSHOT', 'onvif', 'en')).to.equal(
      'ONVIF: the camera cannot take a picture (snapshot failed)',
    );
  });
});
