import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { until } from '../../helpers/wait.js';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';

function run(args: string[], input?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, ['bin/pantau.mjs', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    p.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    p.on('exit', (code) => res({ code, out }));
    p.stdin.end(input ?? '');
  });
}

describe('cli: pantau start / user', function () {
  this.timeout(120_000);
  let dir: string;
  let config: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-cli-'));
    const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    cfg['inventory'] = [resolve('config/inventory/oku.yaml')] as never;
    cfg['collector'] = { ...cfg['collector'], traps: { enabled: false }, profilesDir: resolve('config/profiles') };
    const rules = cfg['alerting']?.['rulesFile'];
    if (typeof rules === 'string') cfg['alerting'] = { ...cfg['alerting'], rulesFile: resolve('config', rules) };
    cfg['store'] = { path: join(dir, 'pantau.db') };
    cfg['server'] = { ...cfg['server'], port: 0 };
    cfg['logLevel'] = 'warn' as never;
    config = join(dir, 'pantau.yaml');
    writeFileSync(config, stringify(cfg));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('first start explains how to create the admin, serves, and stops cleanly on SIGTERM', async () => {
    const p = spawn(process.execPath, ['bin/pantau.mjs', 'start', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    p.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
    const url = await until(
      () => {
        if (p.exitCode !== null) throw new Error(`exited with ${p.exitCode}, no start hint:\n${out}`);
        return /then open (http:\/\/\S+)/.exec(out)?.[1];
      },
      90_000,
      'the start hint',
      100,
      () => out,
    );
    expect(out).to.include(`npx pantau user add admin --role admin --config ${config}`);
    expect((await fetch(`${url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${url}/api/devices`)).status).to.equal(401);
    expect(await (await fetch(url)).text()).to.include('<div id="app">');
    p.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('user add reads the password from stdin, refuses a bad role and duplicates; user list shows it', async () => {
    const bad = await run(['user', 'add', 'x1', '--role', 'root', '-c', config], 'password123\n');
    expect(bad.code).to.equal(1);
    expect(bad.out).to.match(/role/);
    const ok = await run(['user', 'add', 'admin', '--role', 'admin', '-c', config], 'password123\n');
    expect(ok.code, ok.out).to.equal(0);
    expect(ok.out).to.include('admin (admin)');
    const dup = await run(['user', 'add', 'ADMIN', '--role', 'viewer', '-c', config], 'password123\n');
    expect(dup.code).to.equal(1);
    const short = await run(['user', 'add', 'tek', '--role', 'technician', '-c', config], 'short\n');
    expect(short.code).to.equal(1);
    expect(short.out).to.include('password: at least 8 characters');
    const list = await run(['user', 'list', '-c', config]);
    expect(list.out).to.match(/^admin\tadmin\t$/m);
    expect(list.out).to.not.include('argon2');
  });
});
