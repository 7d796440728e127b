import { expect } from 'chai';
import { Writable } from 'node:stream';
import { main } from '../../../cli/main.js';

function capture() {
  let text = '';
  return {
    stream: new Writable({
      write(c, _e, cb) {
        text += String(c);
        cb();
      },
    }),
    text: () => text,
  };
}

describe('cli/commands/poll', () => {
  it('rejects an unknown device with exit code 2 and says so in Indonesian first', async () => {
    const out = capture();
    const err = capture();
    const code = await main(['poll', '--once', '--device', 'tidak-ada'], {
      stdout: out.stream,
      stderr: err.stream,
      env: {},
    });
    expect(code).to.equal(2);
    expect(err.text()).to.contain('perangkat tidak dikenal / unknown device: tidak-ada');
    expect(out.text()).to.equal('');
  });

  it('rejects an unknown --type', async () => {
    const err = capture();
    const code = await main(['poll', '--once', '--type', 'satelit'], {
      stdout: capture().stream,
      stderr: err.stream,
      env: {},
    });
    expect(code).to.equal(2);
    expect(err.text()).to.contain('fiber, cctv, wifi, village');
  });

  it('requires --once (the only mode)', async () => {
    const err = capture();
    const code = await main(['poll'], { stdout: capture().stream, stderr: err.stream, env: {} });
    expect(code).to.not.equal(0);
    expect(err.text()).to.contain('--once');
  });
});
