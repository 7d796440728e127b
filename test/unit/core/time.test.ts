import { expect } from 'chai';
import { formatWib, wibMinuteOfDay } from '../../../core/time.js';

describe('core/time', () => {
  it('formats in WIB (UTC+7)', () => {
    expect(formatWib(Date.UTC(2026, 10, 28, 18, 5, 9))).to.equal('29/11/2026 01.05.09 WIB');
    expect(wibMinuteOfDay(Date.UTC(2026, 10, 28, 23, 30))).to.equal(6 * 60 + 30);
  });
});
