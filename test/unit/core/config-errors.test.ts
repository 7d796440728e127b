import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../../core/config/load.js';
import { PantauError } from '../../../core/errors.js';
import { parseYamlSource, readYamlSource } from '../../../core/config/yaml-source.js';
import { tempTree } from '../../helpers/tmp.js';

/** Issue 13 item 4: every config error points at the file, line (and column) where it is. */
const device = (id: string, extra: Record<string, string> = {}) => {
  const f: Record<string, string> = {
    id,
    name: `Perangkat ${id}`,
    type: 'fiber',
    role: 'access',
    kecamatan: 'Lengkiti',
    lat: '-4.2',
    lon: '103.93',
    address: `127.0.0.${id.length + 1}`,
    parent: 'null',
    ...extra,
  };
  return `\n  - ${Object.entries(f)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n    ')}\n    probes: { icmp: { enabled: true } }`;
};

function loadError(files: Record<string, string>): PantauError {
  const t = tempTree(files);
  try {
    loadConfig(t.path('pantau.yaml'), {});
  } catch (err) {
    expect(err).to.be.instanceOf(PantauError);
    return err as PantauError;
  } finally {
    t.cleanup();
  }
  throw new Error('expected loadConfig to fail');
}

describe('core/config errors point at the right place', () => {
  it('a bad flow sequence on line 19 is reported at line 19, not line 1', () => {
    const lines = Array.from({ length: 18 }, (_, i) => `# comment ${i + 1}`);
    const text = [...lines, 'inventory: [a.yaml, b.yaml', 'logLevel: info', ''].join('\n');
    try {
      parseYamlSource(text, 'x.yaml');
      expect.fail('should throw');
    } catch (err) {
      const d = (err as PantauError).details.join('\n');
      expect(d).to.match(/^x\.yaml:(19|20):\d+ /m);
      expect(d).not.to.match(/^x\.yaml:1:/m);
    }
  });

  it('a tab used for indentation is reported at its line and column', () => {
    try {
      parseYamlSource('inventory:\n  - a.yaml\nserver:\n\tport: 3000\n', 'x.yaml');
      expect.fail('should throw');
    } catch (err) {
      expect((err as PantauError).details[0]).to.match(/^x\.yaml:4:1 .*[Tt]ab/);
    }
  });

  it('an unknown key is reported at the key, not at its parent', () => {
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\nserver:\n  host: 127.0.0.1\n  port: 3000\n  prot: 3001\n',
      'inv.yaml': `devices:${device('root')}`,
    });
    expect(err.details).to.deep.equal([`${err.details[0]!.split(':')[0]}:5 server.prot: unknown key "prot"`]);
  });

  it('an alias bomb is refused with the file named, not a bare ReferenceError', () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    const err = loadError({ 'pantau.yaml': `inventory: [inv.yaml]\n`, 'inv.yaml': bomb });
    const text = [err.message, ...err.details].join('\n');
    expect(text).to.include('inv.yaml').and.include('alias');
    expect(text).not.to.include('ReferenceError');
  });

  it('an oversized file is refused with its name and size', () => {
    const t = tempTree({});
    try {
      const f = t.path('big.yaml');
      writeFileSync(f, `devices: []\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
      expect(() => readYamlSource(f, 'big.yaml', { maxBytes: 1024 * 1024 })).to.throw(
        PantauError,
        /big\.yaml: file is 2\.0 MB, larger than the 1 MB limit/,
      );
    } finally {
      t.cleanup();
    }
  });

  it('the same inventory listed twice is said once, at the second entry', () => {
    const err = loadError({
      'pantau.yaml': 'inventory:\n  - inv.yaml\n  - ./inv.yaml\n',
      'inv.yaml': `devices:${device('root')}${device('leaf', { parent: 'root' })}`,
    });
    expect(err.details).to.have.length(1);
    expect(err.details[0]).to.match(
      /pantau\.yaml:3 inventory\[1\]: \.\/inv\.yaml is listed twice \(also inventory\[0\]\)/,
    );
  });

  it('an empty config is an error, not a silent fall back to OKU', () => {
    expect(loadError({ 'pantau.yaml': '' }).message).to.match(/pantau\.yaml: the file is empty/);
    expect(loadError({ 'pantau.yaml': '# only a comment\n' }).message).to.match(/the file is empty/);
    const noInventory = loadError({ 'pantau.yaml': 'logLevel: info\n' });
    expect(noInventory.details.join('\n')).to.match(/pantau\.yaml:1 inventory: required/);
  });
});

describe('core/config vendors are data (ADR 0202)', () => {
  it('an unknown vendor lists the vendors the profiles folder defines', () => {
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\n',
      'inv.yaml': `devices:${device('root', { vendor: 'cisco' })}`,
    });
    expect(err.details).to.have.length(1);
    expect(err.details[0]).to.match(
      /inv\.yaml:\d+ devices\[0\]\.vendor: unknown vendor "cisco": no profile defines it \(available: generic, huawei, mikrotik, ubiquiti, zte;/,
    );
  });

  it('a profile file in the profiles folder defines a vendor the inventory may use', () => {
    const t = tempTree({
      'pantau.yaml': 'inventory: [inv.yaml]\ncollector: { profilesDir: vendors }\n',
      'vendors/cisco.yaml':
        'vendor: cisco\nmetrics:\n  - { name: cpu_load_pct, oid: 1.3.6.1.4.1.9.9.109.1.1.1.1.8.1, unit: "%" }\n',
      'inv.yaml': `devices:${device('root', { vendor: 'cisco' })}`,
    });
    try {
      const loaded = loadConfig(t.path('pantau.yaml'), {});
      expect([...loaded.vendors]).to.deep.equal(['cisco']);
      expect(loaded.inventory.byId.get('root')!.vendor).to.equal('cisco');
    } finally {
      t.cleanup();
    }
  });

  it('a profiles folder that is named but missing is an error at collector.profilesDir', () => {
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\ncollector:\n  profilesDir: nowhere\n',
      'inv.yaml': `devices:${device('root')}`,
    });
    expect(err.details[0]).to.match(
      /pantau\.yaml:3 collector\.profilesDir: cannot read the profiles folder .*nowhere \(ENOENT\)/,
    );
  });
});
