import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { generateInventory } from '../../../simulator/generate.js';
import type { Lab } from '../../../simulator/lab.js';
import { okuInventory, sh, snmpGet, startTestLab, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';

// Several worker processes: every device of a generated 2,000-device inventory answers ICMP, and a
// sample spread over all workers answers SNMP. (10,000 devices: bench/lab-startup.ts.)
describe('lab/scale: 2,000 generated devices over 3 workers', function () {
  this.timeout(120_000);
  let lab: Lab;
  const inv = generateInventory({ devices: 2000 });

  before(async () => {
    lab = await startTestLab({ inventory: inv, workers: 3 });
  });
  after(async () => {
    await lab?.stop();
  });

  it('every device is up and SNMP answers across workers; the lab reports its CPU', async () => {
    const st = await lab.status();
    expect(st.workers).to.equal(3);
    expect(st.devices).to.equal(2000);
    expect(st.cpuMs).to.be.greaterThan(0);
    const snmp = inv.devices.filter((d) => d.type !== 'cctv');
    for (let i = 0; i < snmp.length; i += 97) {
      expect(await snmpGet(snmp[i]!.address, '1.3.6.1.2.1.1.5.0'), snmp[i]!.id).to.equal(`STRING: "${snmp[i]!.id}"`);
    }
  });

  it('a subtree fault spans workers', async () => {
    const ids = await lab.fault('gen-d03', { kind: 'down' }, { subtree: true });
    expect(ids.length).to.be.greaterThan(100);
    const r = await sh('fping', ['-c1', '-t400', '-q', ...ids.map((id) => inv.byId.get(id)!.address)]);
    expect((r.stdout + r.stderr).match(/1\/0\/100%/g)?.length).to.equal(ids.length);
    await lab.clear('gen-d03');
    const back = await sh('fping', ['-c1', '-t400', '-q', ...ids.slice(0, 50).map((id) => inv.byId.get(id)!.address)]);
    expect(back.code).to.equal(0);
  });
});

// Without root the lab still runs: high ports, the current namespace, and it says ICMP faults are off.
describe('lab/non-root: `pantau lab` as nobody', function () {
  this.timeout(60_000);
  let lab: ChildProcess;
  let dir: string;
  let out = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-lab-nr-'));
    chmodSync(dir, 0o755);
    const inv = subInventory(okuInventory(), ['cctv-01', 'fo-lengkiti-01']);
    writeFileSync(join(dir, 'inv.yaml'), stringify({ devices: inv.devices }));
    const control = String(17_000 + Math.floor(Math.random() * 900));
    lab = spawn(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        'HOME=/tmp',
        process.execPath,
        'bin/pantau.mjs',
        'lab',
        '--inventory',
        join(dir, 'inv.yaml'),
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
      45_000,
      "the lab's control line",
      200,
      () => out,
    );
  });
  after(async () => {
    if (lab && lab.exitCode === null) {
      const gone = new Promise((r) => lab.once('exit', r));
      lab.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers SNMP on 16100 and ONVIF on 18080, and says once that ICMP faults are unavailable', async () => {
    expect(await snmpGet('127.20.0.1', '1.3.6.1.2.1.1.5.0', undefined, 16100)).to.equal('STRING: "fo-core"');
    const body =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime/></s:Body></s:Envelope>';
    const r = await fetch('http://127.21.0.10:18080/onvif/device_service', { method: 'POST', body });
    expect(r.status).to.equal(200);
    expect(out.match(/ICMP faults unavailable/g)).to.have.length(1);
    expect(out).to.contain('ICMP faults OFF');
  });
});
