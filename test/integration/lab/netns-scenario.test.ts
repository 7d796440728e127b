import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { okuInventory, sh, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';

// As root, `pantau lab` creates a named namespace that any tool joins with `ip netns exec`, plays a
// scenario in it, and removes the namespace (and its iptables rules with it) on exit.
describe('lab/netns: named namespace, scenario timeline, clean exit', function () {
  this.timeout(120_000);
  const ns = `pantau-lab-it${process.pid}`;
  let lab: ChildProcess;
  let dir: string;
  let out = '';
  const inns = (...cmd: string[]) => sh('ip', ['netns', 'exec', ns, ...cmd]);
  const alive = async (addr: string) => (await inns('fping', '-c1', '-t300', '-q', addr)).code === 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-lab-'));
    const inv = subInventory(okuInventory(), ['fo-lengkiti'], { withDescendants: true });
    writeFileSync(join(dir, 'inv.yaml'), stringify({ devices: inv.devices }));
    writeFileSync(
      join(dir, 'scenario.yaml'),
      'name: uji\nsteps:\n  - { at: 3s, target: fo-lengkiti-01, fault: down }\n  - { at: 8s, clear: fo-lengkiti-01 }\n',
    );
    const control = String(17_000 + Math.floor(Math.random() * 900));
    lab = spawn(
      process.execPath,
      [
        'bin/pantau.mjs',
        'lab',
        '--netns',
        ns,
        '--inventory',
        join(dir, 'inv.yaml'),
        '--scenario',
        join(dir, 'scenario.yaml'),
        '--control',
        control,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    lab.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    lab.stderr!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    await until(
      () => out.includes('kontrol / control'),
      60_000,
      "the lab's control line",
      200,
      () => out,
    );
  });
  after(async () => {
    if (lab && lab.exitCode === null) {
      lab.kill('SIGKILL');
      await sh('ip', ['netns', 'del', ns]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves SNMP inside the namespace only', async () => {
    expect((await sh('ip', ['netns', 'list'])).stdout).to.contain(ns);
    const inside = await inns(
      'snmpget',
      '-v2c',
      '-c',
      'public',
      '-t',
      '1',
      '-r',
      '0',
      '127.20.0.1',
      '1.3.6.1.2.1.1.5.0',
    );
    expect(inside.stdout).to.contain('fo-core');
    const outside = await sh('snmpget', [
      '-v2c',
      '-c',
      'public',
      '-t',
      '0.5',
      '-r',
      '0',
      '127.20.0.1',
      '1.3.6.1.2.1.1.5.0',
    ]);
    expect(outside.code).to.not.equal(0);
  });

  it('plays the scenario: fo-lengkiti-01 goes dark, then comes back', async () => {
    const addr = '127.20.3.10';
    await until(async () => !(await alive(addr)), 20_000, `${addr} silent`, 200);
    expect(await alive('127.20.3.1')).to.equal(true);
    await until(() => alive(addr), 20_000, `${addr} answering again`, 200);
    expect(out).to.contain('skenario / scenario: uji');
  });

  it('removes the namespace on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((r) => lab.once('exit', (code) => r(code)));
    lab.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect((await sh('ip', ['netns', 'list'])).stdout).to.not.contain(ns);
  });
});
