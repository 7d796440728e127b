import { expect } from 'chai';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { main } from '../../../cli/main.js';
import { tempTree } from '../../helpers/tmp.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(c, _e, cb) {
        f(String(c));
        cb();
      },
    });
  const code = await main(args, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    env: {},
  });
  return { code, stdout, stderr };
}

describe('cli: --role needs redis:', () => {
  it('pantau validate --role collector without a redis: section says so and exits 1', async () => {
    const r = await run(['validate', '--role', 'collector']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('--role collector needs a redis: section');
  });
  it('pantau start --role core without redis: refuses before starting anything', async () => {
    const r = await run(['start', '--role', 'core']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('--role core needs a redis: section');
  });
  it('pantau validate --role core with a redis: section passes and names the Redis', async () => {
    const shipped = readFileSync('config/pantau.yaml', 'utf8')
      .replace('  - inventory/oku.yaml', `  - ${resolve('config/inventory/oku.yaml')}`)
      .replace('  - inventory/oku-services.yaml', `  - ${resolve('config/inventory/oku-services.yaml')}`)
      .replace('rulesFile: rules/default.yaml', `rulesFile: ${resolve('config/rules/default.yaml')}`);
    const t = tempTree({
      'pantau.yaml': `${shipped}\nredis:\n  url: redis://10.1.2.3:6379\n  password: \${PANTAU_REDIS_PASSWORD:-x}\n`,
    });
    try {
      const r = await run(['validate', '--role', 'core', '--config', t.path('pantau.yaml')]);
      expect(r.stderr).to.equal('');
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('redis: redis://10.1.2.3:6379');
    } finally {
      t.cleanup();
    }
  });
});
