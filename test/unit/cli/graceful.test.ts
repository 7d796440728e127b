import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const graceful = fileURLToPath(new URL('../../../cli/graceful.ts', import.meta.url));

/** Runs a node child (tsx) that imports cli/graceful.ts and then runs `body`; resolves with how it ended. */
function child(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const script = `import * as g from ${JSON.stringify(graceful)};\n${body}`;
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    c.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    c.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    c.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('cli/graceful', function () {
  this.timeout(30_000);

  it('the watchdog thread kills a process whose event loop is blocked past the deadline', async () => {
    // The main thread never yields again: no timer of its own could end it.
    const r = await child(`g.killIfStillAliveAfter(300); console.log('blocking'); for (;;) {}`);
    expect(r.out).to.include('blocking');
    expect(r.signal).to.equal('SIGKILL');
  });

  it('a stop that finishes in time exits normally: the watchdog never keeps the process alive or kills it', async () => {
    const r =
      await child(`await g.stopWithin(async () => { await new Promise((ok) => setTimeout(ok, 50)); }, { onForced: () => console.log('forced'), killAfterMs: 2000 });
console.log('stopped');`);
    expect(r.out).to.include('stopped').and.not.include('forced');
    expect([r.code, r.signal]).to.deep.equal([0, null]);
  });

  it('a stop that overruns its deadline is forced (exit 1) by the deadline timer when the loop is free', async () => {
    // The interval stands for pantau's open sockets: the deadline timer itself is unref'd.
    const r = await child(`setInterval(() => {}, 1000);
await g.stopWithin(() => new Promise(() => {}), { deadlineMs: 200, onForced: (why) => console.log('forced', why), killAfterMs: 5000 });`);
    expect(r.out).to.include('forced deadline');
    expect([r.code, r.signal]).to.deep.equal([1, null]);
  });
});
