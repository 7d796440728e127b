import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { tempTree } from '../../helpers/tmp.js';

/**
 * `pantau poll --once` as a script sees it (issue 13): exit 0 when every probe answered, 1 when any
 * failed, 2 for a usage or config error; the last line says how many failed. Real fping on loopback;
 * the SNMP probe asks a loopback port where nothing listens, so it fails for real.
 */
function pantau(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/pantau.mjs', ...args],
      { timeout: 60_000, env: { ...process.env, PANTAU_LOG_LEVEL: 'error' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const device = (id: string, address: string, probes: string) => `  - id: ${id}
    name: ${id}
    type: fiber
    role: access
    kecamatan: Lengkiti
    lat: -4.1
    lon: 104.1
    address: ${address}
    parent: null
    probes: ${probes}
`;

// The shipped vendor profiles: a config in a temp folder names them explicitly.
const profiles = `collector: { profilesDir: ${JSON.stringify(resolve('config/profiles'))} }\n`;

describe('pantau poll --once exit codes', function () {
  this.timeout(90_000);
  const t = tempTree({
    'ok.yaml': `inventory: [ok-inv.yaml]\n${profiles}`,
    'ok-inv.yaml': `devices:\n${device('fo-ok', '127.0.0.1', '{ icmp: { enabled: true } }')}`,
    'mixed.yaml': `inventory: [mixed-inv.yaml]\ncredentials: { snmp: { lab: { version: v2c, community: public } } }\n${profiles}`,
    // Port 9 (discard) on loopback: nothing answers SNMP there.
    'mixed-inv.yaml': `devices:\n${device('fo-mixed', '127.0.0.1', '{ icmp: { enabled: true }, snmp: { credentials: lab, port: 9 } }')}`,
    'broken.yaml': 'inventory: [nowhere.yaml]\n',
  });
  after(() => t.cleanup());

  it('exits 0 and says "0 gagal" when every probe answered', async () => {
    const r = await pantau(['poll', '--once', '--config', t.path('ok.yaml')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n').at(-1)).to.equal('1 dari 1 probe berhasil, 0 gagal');
  });

  it('exits 1 and counts the failures in the last line when a probe failed', async () => {
    const r = await pantau(['poll', '--once', '--lang', 'en', '--config', t.path('mixed.yaml')]);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout.trim().split('\n').at(-1)).to.equal('1 of 2 probes succeeded, 1 failed');
  });

  it('--json keeps stdout JSON lines and puts the count last on stderr', async () => {
    const r = await pantau(['poll', '--once', '--json', '--config', t.path('mixed.yaml')]);
    expect(r.code).to.equal(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean });
    expect(lines.map((l) => l.ok).sort()).to.deep.equal([false, true]);
    expect(r.stderr.trim().split('\n').at(-1)).to.equal('1 dari 2 probe berhasil, 1 gagal');
  });

  it('exits 2 for a config that does not load, an unknown device and an unknown option', async () => {
    const broken = await pantau(['poll', '--once', '--config', t.path('broken.yaml')]);
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.include('nowhere.yaml');
    expect((await pantau(['poll', '--once', '--device', 'fo-none', '--config', t.path('ok.yaml')])).code).to.equal(2);
    expect((await pantau(['poll', '--once', '--bogus'])).code).to.equal(2);
  });
});
