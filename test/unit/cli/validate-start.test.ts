import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../cli/main.js';

/**
 * Issue 13: `pantau validate` and `pantau start` agree on every broken config in
 * test/fixtures/config-broken/ (same exit code, same messages), and start opens or creates no file
 * for any of them (no store, no outbox, no .pantau folder). Each case folder is one way to get a
 * config wrong; adding a folder adds a case.
 */
const FIXTURES = 'test/fixtures/config-broken';

async function run(args: string[]) {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  const code = await main(args, { stdout: stream, stderr: stream, env: { PANTAU_LOG_LEVEL: 'silent' } });
  return { code, text };
}

describe('cli: validate and start agree on every broken config', function () {
  this.timeout(60_000);
  const cases = readdirSync(FIXTURES).sort();

  it('has the broken cases the issue names', () => {
    for (const c of [
      'missing-profiles-folder',
      'missing-rules-file',
      'broken-profile',
      'broken-rules',
      'unknown-kecamatan',
      'unknown-vendor',
      'yaml-syntax',
      'empty-config',
      'store-not-writable',
      'outbox-not-writable',
      'region-file-missing',
      'inventory-listed-twice',
      'unknown-key',
    ]) {
      expect(cases).to.include(c);
    }
  });

  for (const c of cases) {
    it(`${c}: validate fails, start fails with the same message and creates nothing`, async () => {
      const dir = join(FIXTURES, c);
      const before = readdirSync(dir).sort();
      const v = await run(['validate', '--config', join(dir, 'pantau.yaml')]);
      const s = await run(['start', '--config', join(dir, 'pantau.yaml'), '--port', '0']);
      expect(v.code, v.text).to.equal(1);
      expect(s.code, s.text).to.equal(1);
      expect(v.text).to.match(/^error: /);
      expect(s.text).to.equal(v.text);
      expect(readdirSync(dir).sort()).to.deep.equal(before);
      expect(existsSync(join(dir, '.pantau'))).to.equal(false);
    });
  }
});
