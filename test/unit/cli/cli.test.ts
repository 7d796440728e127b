import { expect } from 'chai';
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { main } from '../../../cli/main.js';
import { tempTree } from '../../helpers/tmp.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('cli', () => {
  it('pantau validate prints the OKU summary and exits 0', async () => {
    const r = await run(['validate']);
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal(
      '239 devices: 190 fiber, 20 cctv, 15 wifi, 2 village, 12 service; 13 kecamatan; topology depth 3',
    );
  });

  it('pantau validate prints every problem with file:line and exits 1, without a stack trace', async () => {
    const t = tempTree({
      'pantau.yaml': 'inventory: [inv.yaml]\n',
      'inv.yaml':
        'devices:\n  - id: fo-a\n    name: A\n    type: fiber\n    role: core\n    kecamatan: Lengkiti\n    lat: -4.2\n    lon: 103.9\n    address: 127.0.0.1\n    parent: fo-999\n    probes: {}\n',
    });
    try {
      const r = await run(['validate', '--config', t.path('pantau.yaml')]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/inv\.yaml:10 devices\[0\]\.parent: unknown device "fo-999"/);
      expect(r.stderr).not.to.match(/\bat .*\.ts:\d+/);
    } finally {
      t.cleanup();
    }
  });

  it('pantau --help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).to.equal(0);
    for (const name of ['validate', 'inventory', 'schema']) expect(r.stdout).to.include(name);
  });

  it('inventory import writes YAML that validates together with the OKU inventory', async () => {
    const t = tempTree({});
    try {
      const out = t.path('imported.yaml');
      const r = await run(['inventory', 'import', 'test/fixtures/import/sites-good.csv', '--out', out]);
      expect(r.code, r.stderr).to.equal(0);
      const yaml = readFileSync(out, 'utf8');
      expect(yaml).to.include('id: cctv-90');
      expect(yaml).to.include('credentials: cctv');
    } finally {
      t.cleanup();
    }
  });

  it('inventory import of a CSV with one bad row reports that row and writes nothing', async () => {
    const t = tempTree({});
    try {
      const out = t.path('imported.yaml');
      const r = await run(['inventory', 'import', 'test/fixtures/import/sites-bad-row.csv', '--out', out]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('row 4: lat: Invalid input: not a number');
      expect(r.stderr).not.to.match(/row [23]:/);
      expect(existsSync(out)).to.equal(false);
    } finally {
      t.cleanup();
    }
  });

  it('inventory import reports cross-row problems (duplicate address, unknown parent) by row', async () => {
    const csv = [
      'id,name,type,kecamatan,lat,lon,address,parent',
      'fo-x1,X1,fiber,Lengkiti,-4.2,103.9,127.20.0.1,fo-lengkiti',
      'fo-x2,X2,fiber,Lengkiti,-4.2,103.9,127.20.9.9,fo-nowhere',
    ].join('\n');
    const t = tempTree({ 'sites.csv': csv });
    try {
      const r = await run(['inventory', 'import', t.path('sites.csv')]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/row 2: address: duplicate address 127\.20\.0\.1 \(also "fo-core"\)/);
      expect(r.stderr).to.match(/row 3: parent: unknown device "fo-nowhere"/);
      expect(r.stdout).to.equal('');
    } finally {
      t.cleanup();
    }
  });

  it('schema --check passes on the committed schema', async () => {
    const r = await run(['schema', '--check']);
    expect(r.code, r.stderr).to.equal(0);
  });
});
