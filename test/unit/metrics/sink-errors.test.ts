import { expect } from 'chai';
import { isRetryableStatus, needsSetup } from '../../../metrics/sink.js';
import { toSinkError } from '../../../metrics/influx1.js';
import { httpSinkError, networkSinkError } from '../../../metrics/line-post.js';

describe('metrics error classification', () => {
  const table: Array<[number, boolean]> = [
    [400, false],
    [413, false],
    [422, false],
    [401, true],
    [403, true],
    [404, true],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
  ];
  for (const [status, retryable] of table) {
    it(`HTTP ${status} is ${retryable ? 'retried (outbox)' : 'not retried (bisect + quarantine)'}`, () => {
      expect(isRetryableStatus(status)).to.equal(retryable);
      expect(toSinkError({ res: { statusCode: status }, message: 'x' }).retryable).to.equal(retryable);
      expect(httpSinkError('influx1', status, '{"error":"x"}').retryable).to.equal(retryable);
    });
  }

  it('network errors are retryable, and a 404 asks for setup again (database missing)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), { code: 'ECONNREFUSED' });
    expect(toSinkError(refused)).to.include({ retryable: true, status: null });
    expect(networkSinkError('influx2', new TypeError('fetch failed', { cause: refused }))).to.include({
      retryable: true,
      status: null,
      message: 'influx2 unreachable: ECONNREFUSED',
    });
    expect(needsSetup(toSinkError({ res: { statusCode: 404 }, message: 'database not found' }))).to.equal(true);
    expect(needsSetup(toSinkError({ res: { statusCode: 500 }, message: 'x' }))).to.equal(false);
  });

  it('keeps the reason InfluxDB gives (1.x error, 2.x message, plain text)', () => {
    expect(httpSinkError('influx1', 400, '{"error":"partial write: field type conflict"}')).to.include({
      status: 400,
      body: 'partial write: field type conflict',
      retryable: false,
    });
    expect(httpSinkError('influx2', 401, '{"code":"unauthorized","message":"unauthorized access"}')).to.include({
      body: 'unauthorized access',
      retryable: true,
    });
    expect(httpSinkError('influx1', 502, 'Bad Gateway\n').message).to.equal('influx1 answered 502: Bad Gateway');
  });
});
