import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../core/config/load.js';
import { generateDevices } from '../../../simulator/generate.js';
import { labConfigFiles, writeLabConfig } from '../../../simulator/write-config.js';

describe('simulator/write-config (pantau lab --write-config)', () => {
  it('keeps the shipped settings and ${ENV} references, points at the lab inventory and its ports', () => {
    const files = labConfigFiles({
      configText: readFileSync('config/pantau.yaml', 'utf8'),
      configDir: resolve('config'),
      devices: generateDevices({ devices: 40 }),
      ports: { snmp: 16100, onvif: 18080 },
      command: 'pantau lab --generate 40 --write-config x',
    });
    const cfg = parse(files['pantau.yaml']) as Record<string, Record<string, unknown>>;
    expect(cfg['inventory']).to.deep.equal(['inventory.yaml']);
    expect(cfg['collector']!['profilesDir']).to.equal(resolve('config/profiles'));
    expect(cfg['collector']!['intervals']).to.deep.equal({
      icmp: 10,
      snmp: 60,
      onvif: 60,
      http: 30,
      tls: 300,
      dns: 60,
    });
    expect(files['pantau.yaml']).to.include('${PANTAU_SNMP_COMMUNITY:-public}').and.include('pantau lab --generate 40');
    const devices = (
      parse(files['inventory.yaml']) as { devices: Array<{ probes: Record<string, { port?: number }> }> }
    ).devices;
    expect(devices).to.have.length(40);
    expect(devices.filter((d) => d.probes['snmp']).every((d) => d.probes['snmp']!.port === 16100)).to.equal(true);
    expect(devices.filter((d) => d.probes['onvif']).every((d) => d.probes['onvif']!.port === 18080)).to.equal(true);
  });

  it('writes files that `pantau start --config DIR/pantau.yaml` loads with the shipped defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-labcfg-'));
    try {
      const file = writeLabConfig(join(dir, 'scale'), {
        configPath: 'config/pantau.yaml',
        devices: generateDevices({ devices: 300 }),
        ports: { snmp: 161, onvif: 80 },
        command: 'test',
      });
      const loaded = loadConfig(file, {});
      expect(loaded.inventory.devices).to.have.length(300);
      expect(loaded.config.collector.intervals).to.deep.equal({
        icmp: 10,
        snmp: 60,
        onvif: 60,
        http: 30,
        tls: 300,
        dns: 60,
        tcp: 30,
      });
      expect(loaded.config.store.path).to.equal('pantau.db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
