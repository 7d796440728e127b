import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger.js';
import { Secret } from '../../../core/secret.js';

describe('core/logger', () => {
  it('redacts secrets by field name and Secret values', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger({ destination: sink, level: 'info' });
    log.info(
      { cred: { community: 'public-secret', authKey: 'k3y' }, token: 'bot123', s: new Secret('hidden') },
      'hello',
    );
    expect(out).to.include('hello');
    for (const secret of ['public-secret', 'k3y', 'bot123', 'hidden']) expect(out).not.to.include(secret);
  });
});
