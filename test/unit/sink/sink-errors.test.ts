import { expect } from 'chai';
import { HttpError } from '@influxdata/influxdb-client';
import { isRetryableStatus, needsSetup } from '../../../collector/sink/sink.js';
import { toSinkError } from '../../../collector/sink/influx1.js';
import { toSinkError2 } from '../../../collector/sink/influx2.js';

describe('collector/sink error classification', () => {
  const table: Array<[number, boolean]> = [[400, false], [413, false], [422, false], [401, true], [403, true], [404, true], [408, true], [429, true], [500, true], [503, true]];
  for (const [status, retryable] of table) {
    it(`HTTP ${status} is ${retryable ? 'retried (outbox)' : 'not retried (bisect + quarantine)'}`, () => {
      expect(isRetryableStatus(status)).to.equal(retryable);
      expect(toSinkError({ res: { statusCode: status }, message: 'x' }).retryable).to.equal(retryable);
      expect(toSinkError2(new HttpError(status, 'x', '{"error":"x"}')).retryable).to.equal(retryable);
    });
  }

  it('network errors are retryable, and a 404 asks for setup again (database missing)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), { code: 'ECONNREFUSED' });
    expect(toSinkError(refused)).to.include({ retryable: true, status: null });
    expect(toSinkError2(refused)).to.include({ retryable: true, status: null });
    expect(needsSetup(toSinkError({ res: { statusCode: 404 }, message: 'database not found' }))).to.equal(true);
    expect(needsSetup(toSinkError({ res: { statusCode: 500 }, message: 'x' }))).to.equal(false);
  });
});
