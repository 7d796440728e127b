import { expect } from 'chai';
import { loadConfig } from '../../../core/config/load.js';
import { PantauError } from '../../../core/errors.js';
import type { Secret } from '../../../core/secret.js';
import { summarizeInventory } from '../../../core/inventory/summary.js';
import { tempTree } from '../../helpers/tmp.js';

const device = (id: string, address: string, parent: string | null, extra = '') => `
  - id: ${id}
    name: Perangkat ${id}
    type: fiber
    role: access
    kecamatan: Lengkiti
    lat: -4.2
    lon: 103.93
    address: ${address}
    parent: ${parent === null ? 'null' : parent}
    probes:
      icmp: { enabled: true }${extra}
`;

function loadError(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): PantauError {
  const t = tempTree(files);
  try {
    loadConfig(t.path('pantau.yaml'), env);
  } catch (err) {
    expect(err).to.be.instanceOf(PantauError);
    return err as PantauError;
  } finally {
    t.cleanup();
  }
  throw new Error('expected loadConfig to fail');
}

describe('core/config', () => {
  it('loads the shipped OKU config: 239 devices (12 public applications on the core), 13 kecamatan, depth 3', () => {
    const loaded = loadConfig('config/pantau.yaml', {});
    expect(summarizeInventory(loaded.inventory)).to.equal(
      '239 devices: 190 fiber, 20 cctv, 15 wifi, 2 village, 12 service; 13 kecamatan; topology depth 3',
    );
    expect(
      loaded.inventory
        .children('fo-core')
        .filter((d) => d.type === 'service')
        .map((d) => d.name),
    ).to.deep.equal([
      'mSimpebaja',
      'SIP',
      'E-office',
      'SAKIP Kabupaten',
      'OKU Menyapa',
      'E-KIR',
      'APeDE',
      'OKU Cinde',
      'PINDANG GABUS',
      'OKU GO',
      'REMIK',
      'SIDARLING',
    ]);
    expect(Object.isFrozen(loaded.config)).to.equal(true);
  });

  it('reports a cycle, a duplicate address and an unknown parent, each with file and line', () => {
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\n',
      'inv.yaml': `devices:${device('root', '127.0.0.1', null)}${device('dev-a', '127.0.0.2', 'dev-b')}${device('dev-b', '127.0.0.3', 'dev-a')}${device('dev-c', '127.0.0.2', 'root')}${device('dev-d', '127.0.0.4', 'fo-999')}`,
    });
    expect(err.code).to.equal('PANTAU_INVENTORY_INVALID');
    expect(err.details).to.have.length(3);
    const text = err.details.join('\n');
    expect(text).to.match(
      /inv\.yaml:\d+ devices\[\d\]\.parent: cycle in topology: (dev-a → dev-b → dev-a|dev-b → dev-a → dev-b)/,
    );
    expect(text).to.match(/inv\.yaml:45 devices\[3\]\.address: duplicate address 127\.0\.0\.2 \(also "dev-a"\)/);
    expect(text).to.match(/inv\.yaml:58 devices\[4\]\.parent: unknown device "fo-999"/);
  });

  it('rejects duplicate ids and coordinates outside the regency', () => {
    const bad = device('dev-x', '127.0.0.9', 'root').replace('lat: -4.2', 'lat: -6.2');
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\n',
      'inv.yaml': `devices:${device('root', '127.0.0.1', null)}${device('root', '127.0.0.5', null)}${bad}`,
    });
    const text = err.details.join('\n');
    expect(text).to.include('duplicate id "root"');
    expect(text).to.include('latitude -6.2 is outside OKU');
  });

  it('names the variable when ${ENV_VAR} is unset', () => {
    const err = loadError({
      'pantau.yaml':
        'inventory: [inv.yaml]\ncredentials:\n  snmp:\n    main:\n      version: v2c\n      community: ${OKU_COMMUNITY}\n',
      'inv.yaml': `devices:${device('root', '127.0.0.1', null)}`,
    });
    expect(err.code).to.equal('PANTAU_CONFIG_ENV');
    expect(err.details.join('\n')).to.match(
      /pantau\.yaml:6 credentials\.snmp\.main\.community: environment variable OKU_COMMUNITY is not set/,
    );
  });

  it('reads secrets from NAME_FILE and keeps them out of JSON and logs', () => {
    const t = tempTree({
      'pantau.yaml':
        'inventory: [inv.yaml]\ncredentials:\n  snmp:\n    main:\n      version: v2c\n      community: ${OKU_COMMUNITY}\n',
      'inv.yaml': `devices:${device('root', '127.0.0.1', null, '\n      snmp: { version: v2c, credentials: main }')}`,
      'secret.txt': 's3cr3t-community\n',
    });
    try {
      const { config } = loadConfig(t.path('pantau.yaml'), { OKU_COMMUNITY_FILE: t.path('secret.txt') });
      const cred = config.credentials.snmp['main'];
      expect(cred?.version).to.equal('v2c');
      const community = (cred as { community: Secret }).community;
      expect(community.reveal()).to.equal('s3cr3t-community');
      expect(JSON.stringify(config)).not.to.include('s3cr3t');
      expect(String(community)).to.equal('[REDACTED]');
    } finally {
      t.cleanup();
    }
  });

  it('rejects a device that names unknown SNMP credentials, and a bad field with its line', () => {
    const err = loadError({
      'pantau.yaml': 'inventory: [inv.yaml]\n',
      'inv.yaml': `devices:${device('root', '127.0.0.1', null, '\n      snmp: { version: v2c, credentials: nope }')}${device('dev-b', '127.0.0.300', 'root')}`,
    });
    const text = err.details.join('\n');
    expect(text).to.match(/inv\.yaml:\d+ devices\[1\]\.address: not an IPv4 address/);
  });

  it('combines several inventory files into one tree', () => {
    const t = tempTree({
      'pantau.yaml': 'inventory: [a.yaml, b.yaml]\n',
      'a.yaml': `devices:${device('root', '127.0.0.1', null)}`,
      'b.yaml': `devices:${device('leaf', '127.0.0.2', 'root')}`,
    });
    try {
      const { inventory } = loadConfig(t.path('pantau.yaml'), {});
      expect(inventory.children('root').map((d) => d.id)).to.deep.equal(['leaf']);
      expect(inventory.maxDepth()).to.equal(1);
    } finally {
      t.cleanup();
    }
  });

  it('reports invalid YAML with its line and column', () => {
    const err = loadError({ 'pantau.yaml': 'inventory: [inv.yaml]\nserver:\n  port: [1,\n' });
    expect(err.details.join('\n')).to.match(/pantau\.yaml:\d+:\d+ /);
  });
});
