import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

const UNIT = 'deploy/systemd/pantau.service';

function verify(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    execFile('systemd-analyze', ['verify', file], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('systemd-analyze missing: run scripts/install-system-deps.sh (package systemd)'));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('deploy/systemd/pantau.service', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-unit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes `systemd-analyze verify` without a single warning', async () => {
    const file = join(dir, 'pantau.service');
    copyFileSync(UNIT, file);
    const r = await verify(file);
    expect(r.out.trim(), r.out).to.equal('');
    expect(r.code).to.equal(0);
  });

  it('the check is real: a misspelt directive and a missing binary are reported', async () => {
    const text = readFileSync(UNIT, 'utf8');
    const bad = join(dir, 'bad.service');
    copyFileSync(UNIT, bad);
    writeFileSync(
      bad,
      text.replace('TimeoutStopSec=5', 'TimeoutStopSecs=5').replace('/usr/bin/node ', '/usr/bin/no-such-node '),
    );
    const r = await verify(bad);
    expect(r.out).to.include("Unknown key 'TimeoutStopSecs'").and.include('/usr/bin/no-such-node');
  });

  it('runs node on bin/pantau.mjs directly (never npx, which does not forward SIGTERM) and allows the 5 s stop', () => {
    const text = readFileSync(UNIT, 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(text)?.[1] ?? '';
    expect(exec).to.match(/^\/usr\/bin\/node \S*bin\/pantau\.mjs start --config \S+pantau\.yaml$/);
    expect(text).to.not.match(/^Exec\w+=.*\bnpx\b/m);
    expect(/^TimeoutStopSec=(\d+)$/m.exec(text)?.[1]).to.equal('5');
    expect(text).to.match(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  });
});
