import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import type { Inventory } from '../../../core/inventory/topology.js';
import { okuInventory, pingable, sh, snmpGet, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';

/** Which of the addresses answer one ping (one fping run for all). */
async function alive(addresses: string[]): Promise<Set<string>> {
  const r = await sh('fping', ['-c1', '-t400', '-q', ...addresses]);
  const up = new Set<string>();
  for (const line of (r.stdout + r.stderr).split('\n')) {
    const m = /^(\S+)\s*: xmt\/rcv\/%loss = 1\/1/.exec(line);
    if (m) up.add(m[1]!);
  }
  return up;
}

function tcpOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    const t = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.destroy();
      resolve(true);
    });
    s.once('error', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}

/** ONVIF alive = an unauthenticated GetSystemDateAndTime answers 200 within the timeout. */
async function onvifAnswers(host: string): Promise<boolean> {
  if (!(await tcpOpen(host, 80))) return false;
  const body =
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
  try {
    const r = await fetch(`http://${host}/onvif/device_service`, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(1500),
    });
    return r.status === 200;
  } catch {
    return false;
  }
}

// The acceptance path: a foreground `pantau lab` driven by `pantau lab fault|clear` over its control API.
describe('lab/cli: pantau lab fault/clear, ICMP and fiber cut', function () {
  this.timeout(150_000);
  let lab: ChildProcess;
  let dir: string;
  let inv: Inventory;
  const control = String(17_000 + Math.floor(Math.random() * 900));
  const cli = (...args: string[]) =>
    sh(process.execPath, ['bin/pantau.mjs', 'lab', ...args, '--control', control], 30_000);

  before(async () => {
    const full = okuInventory();
    inv = subInventory(full, ['fo-baturaja-barat', 'fo-lengkiti', 'cctv-01'], { withDescendants: true });
    dir = mkdtempSync(join(tmpdir(), 'pantau-lab-'));
    const file = join(dir, 'inventory.yaml');
    writeFileSync(file, stringify({ devices: inv.devices }));
    lab = spawn(
      process.execPath,
      ['bin/pantau.mjs', 'lab', '--netns', 'none', '--inventory', file, '--control', control],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
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
      const gone = new Promise((r) => lab.once('exit', r));
      lab.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    // The lab removes its chain on exit: nothing of it may stay behind.
    const rules = await sh('iptables', ['-S']);
    expect(rules.stdout).to.not.contain('PANTAU-LAB');
  });

  it('fping: alive, dead after `pantau lab fault <id> down`, alive after `pantau lab clear <id>`', async () => {
    const addr = inv.byId.get('fo-lengkiti-01')!.address;
    expect(await pingable(addr)).to.equal(true);
    const f = await cli('fault', 'fo-lengkiti-01', 'down');
    expect(f.code, f.stderr).to.equal(0);
    expect(await pingable(addr)).to.equal(false);
    expect(await snmpGet(addr, '1.3.6.1.2.1.1.3.0')).to.equal(null);
    const c = await cli('clear', 'fo-lengkiti-01');
    expect(c.code, c.stderr).to.equal(0);
    await until(() => pingable(addr), 5000, `${addr} answering ping`, 200);
  });

  it('a fiber cut on a distribution node silences everything below it over ICMP, SNMP and ONVIF, and nothing else', async () => {
    const cut = 'fo-baturaja-barat';
    const below = new Set([cut, ...inv.descendants(cut).map((d) => d.id)]);
    const all = inv.devices;
    expect(all.filter((d) => below.has(d.id) && d.type === 'cctv').length).to.be.greaterThan(0);
    expect((await alive(all.map((d) => d.address))).size).to.equal(all.length);

    const f = await cli('fault', cut, 'fiber-cut');
    expect(f.code, f.stderr).to.equal(0);
    const up = await alive(all.map((d) => d.address));
    for (const d of all) expect(up.has(d.address), `${d.id} ICMP`).to.equal(!below.has(d.id));
    // All devices at once: a silent one costs a full timeout, so sequential checks would take minutes.
    const answers = await Promise.all(
      all.map(
        async (d) =>
          [
            d,
            d.type === 'cctv'
              ? await onvifAnswers(d.address)
              : (await snmpGet(d.address, '1.3.6.1.2.1.1.5.0')) !== null,
          ] as const,
      ),
    );
    for (const [d, ok] of answers)
      expect(ok, `${d.id} ${d.type === 'cctv' ? 'ONVIF' : 'SNMP'}`).to.equal(!below.has(d.id));
    const st = JSON.parse((await cli('status')).stdout) as { faults: unknown[] };
    expect(st.faults).to.have.length(below.size);

    const c = await cli('clear', cut);
    expect(c.code, c.stderr).to.equal(0);
    await until(
      async () => (await alive(all.map((d) => d.address))).size === all.length,
      10_000,
      'every device answering ping',
      200,
    );
    const back = await Promise.all(
      all
        .filter((x) => below.has(x.id))
        .map(
          async (d) =>
            [
              d,
              d.type === 'cctv'
                ? await onvifAnswers(d.address)
                : (await snmpGet(d.address, '1.3.6.1.2.1.1.5.0')) === `STRING: "${d.id}"`,
            ] as const,
        ),
    );
    for (const [d, ok] of back) expect(ok, `${d.id} back`).to.equal(true);
  });

  it('accepts subtree:<id> as a target', async () => {
    const f = await cli('fault', 'subtree:fo-lengkiti', 'down');
    expect(f.code, f.stderr).to.equal(0);
    expect(await pingable(inv.byId.get('fo-lengkiti-01')!.address)).to.equal(false);
    expect((await cli('clear', 'fo-lengkiti')).code).to.equal(0);
    await until(() => pingable(inv.byId.get('fo-lengkiti-01')!.address), 5000, 'fo-lengkiti-01 answering ping', 200);
  });

  it('rejects an unknown fault and an unknown device with a clear message', async () => {
    const a = await cli('fault', 'fo-lengkiti-01', 'meteor');
    expect(a.code).to.equal(1);
    expect(a.stderr).to.contain('unknown fault');
    const b = await cli('fault', 'tidak-ada', 'down');
    expect(b.code).to.equal(1);
    expect(b.stderr).to.contain('unknown device');
  });
});
