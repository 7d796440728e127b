import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfiles, profileFor } from '../../../collector/probes/snmp/profiles.js';
import { evaluateProfile, profileOids } from '../../../collector/probes/snmp/evaluate.js';
import { isPantauError } from '../../../core/errors.js';

const shipped = loadProfiles(new URL('../../../config/profiles', import.meta.url).pathname);
const metric = (vendor: string, values: Record<string, unknown>) =>
  evaluateProfile(profileFor(shipped, vendor), new Map(Object.entries(values)));

describe('collector/probes/snmp/profiles', () => {
  it('ships generic, mikrotik, huawei, zte and ubiquiti; vendors extend generic', () => {
    expect([...shipped.keys()].sort()).to.deep.equal(['generic', 'huawei', 'mikrotik', 'ubiquiti', 'zte']);
    expect(profileFor(shipped, 'zte').metrics.map((m) => m.name))
      .to.include('cpu_load_pct')
      .and.include('optical_rx_dbm');
    expect(profileFor(shipped, 'nosuchvendor').vendor).to.equal('generic');
  });

  it('scales optical power per vendor: MikroTik 1/1000, Huawei 1/100, Huawei OLT offset, ZTE 1/1000', () => {
    expect(
      metric('mikrotik', {
        '1.3.6.1.4.1.14988.1.1.19.1.1.10.1': -21345,
        '1.3.6.1.4.1.14988.1.1.19.1.1.2.1': Buffer.from('sfp1'),
      }),
    ).to.deep.include({ name: 'optical_rx_dbm', value: -21.345, unit: 'dBm', labels: { sfp: '1', ifName: 'sfp1' } });
    expect(metric('huawei', { '1.3.6.1.4.1.2011.5.25.31.1.1.3.1.8.1': -2415 })).to.deep.include({
      name: 'optical_rx_dbm',
      value: -24.15,
      unit: 'dBm',
      labels: { entity: '1' },
    });
    // The row index is the port's entPhysicalIndex: its entPhysicalName becomes ifName (the sink's port tag).
    expect(
      metric('huawei', {
        '1.3.6.1.4.1.2011.5.25.31.1.1.3.1.8.16842753': -2415,
        '1.3.6.1.2.1.47.1.1.1.1.7.16842753': 'XGigabitEthernet0/0/1',
      }),
    ).to.deep.include({
      name: 'optical_rx_dbm',
      value: -24.15,
      unit: 'dBm',
      labels: { entity: '16842753', ifName: 'XGigabitEthernet0/0/1' },
    });
    expect(metric('huawei', { '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.6.1.0': 7435 })[0]).to.include({
      name: 'optical_olt_rx_dbm',
      value: -25.65,
    });
    expect(metric('zte', { '1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2.1': -19500 })[0]).to.include({
      name: 'optical_rx_dbm',
      value: -19.5,
    });
  });

  it('drops "no reading" sentinels instead of reporting a number', () => {
    expect(metric('huawei', { '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.4.1.0': 2147483647 })).to.deep.equal([]);
    expect(metric('zte', { '1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2.1': 65535000 })).to.deep.equal([]);
  });

  it('sums Wi-Fi clients over radios and averages CPU cores', () => {
    expect(
      metric('ubiquiti', { '1.3.6.1.4.1.41112.1.6.1.2.1.8.1': 7, '1.3.6.1.4.1.41112.1.6.1.2.1.8.2': 5 }),
    ).to.deep.include({ name: 'wifi_clients', value: 12, unit: 'clients', labels: {} });
    expect(metric('generic', { '1.3.6.1.2.1.25.3.3.1.2.1': 10, '1.3.6.1.2.1.25.3.3.1.2.2': 30 })).to.deep.equal([
      { name: 'cpu_load_pct', value: 20, unit: 'percent', labels: {} },
    ]);
  });

  it('ENTITY-SENSOR: keeps only dBm rows and applies the per-row precision', () => {
    const m = metric('generic', {
      '1.3.6.1.2.1.99.1.1.1.1.1001': 14,
      '1.3.6.1.2.1.99.1.1.1.3.1001': 2,
      '1.3.6.1.2.1.99.1.1.1.4.1001': -2150,
      '1.3.6.1.2.1.99.1.1.1.1.5': 8,
      '1.3.6.1.2.1.99.1.1.1.3.5': 0,
      '1.3.6.1.2.1.99.1.1.1.4.5': 41,
    });
    expect(m).to.deep.include({ name: 'sensor_dbm', value: -21.5, unit: 'dBm', labels: { entPhysicalIndex: '1001' } });
    expect(m).to.deep.include({ name: 'temperature_c', value: 41, unit: 'celsius', labels: { entPhysicalIndex: '5' } });
    expect(m.filter((x) => x.name === 'sensor_dbm')).to.have.length(1);
  });

  it('ENTITY-SENSOR rx/tx: told apart by entPhysicalName; unnamed rows stay sensor_dbm only', () => {
    const base = {
      '1.3.6.1.2.1.99.1.1.1.1.11': 14,
      '1.3.6.1.2.1.99.1.1.1.3.11': 1,
      '1.3.6.1.2.1.99.1.1.1.4.11': -183,
      '1.3.6.1.2.1.99.1.1.1.1.12': 14,
      '1.3.6.1.2.1.99.1.1.1.3.12': 1,
      '1.3.6.1.2.1.99.1.1.1.4.12': -21,
    };
    const named = metric('generic', {
      ...base,
      '1.3.6.1.2.1.47.1.1.1.1.7.11': Buffer.from('GigabitEthernet0/1 Rx Power'),
      '1.3.6.1.2.1.47.1.1.1.1.7.12': Buffer.from('GigabitEthernet0/1 Tx Power'),
    });
    // The sensor label is the port part of the name: rx and tx of one port become one optical series.
    expect(named).to.deep.include({
      name: 'optical_rx_dbm',
      value: -18.3,
      unit: 'dBm',
      labels: { entPhysicalIndex: '11', sensor: 'GigabitEthernet0/1' },
    });
    expect(named).to.deep.include({
      name: 'optical_tx_dbm',
      value: -2.1,
      unit: 'dBm',
      labels: { entPhysicalIndex: '12', sensor: 'GigabitEthernet0/1' },
    });
    expect(named).to.deep.include({
      name: 'sensor_dbm',
      value: -18.3,
      unit: 'dBm',
      labels: { entPhysicalIndex: '11', sensor: 'GigabitEthernet0/1 Rx Power' },
    });
    const unnamed = metric('generic', base);
    expect(unnamed.map((m) => m.name)).to.deep.equal(['sensor_dbm', 'sensor_dbm']);
    // The lab's names ("SFP1 Rx Power", "SFP1 Tx Power") and the long "Receive"/"Transmit" forms.
    const lab = metric('generic', {
      ...base,
      '1.3.6.1.2.1.47.1.1.1.1.7.11': 'SFP1 Rx Power',
      '1.3.6.1.2.1.47.1.1.1.1.7.12': 'SFP1 Transmit Power',
    });
    expect(
      lab.filter((m) => m.name.startsWith('optical_')).map((m) => [m.name, m.value, m.labels['sensor']]),
    ).to.deep.equal([
      ['optical_rx_dbm', -18.3, 'SFP1'],
      ['optical_tx_dbm', -2.1, 'SFP1'],
    ]);
  });

  it('vendors that read optics from their own MIB replace the generic ENTITY-SENSOR optics (one source per quantity)', () => {
    const entity = {
      '1.3.6.1.2.1.99.1.1.1.1.1001': 14,
      '1.3.6.1.2.1.99.1.1.1.3.1001': 2,
      '1.3.6.1.2.1.99.1.1.1.4.1001': -2075,
      '1.3.6.1.2.1.47.1.1.1.1.7.1001': 'SFP1 Rx Power',
    };
    for (const [vendor, own] of [
      ['mikrotik', { '1.3.6.1.4.1.14988.1.1.19.1.1.10.1': -20750 }],
      ['huawei', { '1.3.6.1.4.1.2011.5.25.31.1.1.3.1.8.1': -2075 }],
      ['zte', { '1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2.1': -20750 }],
    ] as const) {
      const m = metric(vendor, { ...entity, ...own });
      expect(
        m.filter((x) => x.name === 'optical_rx_dbm'),
        vendor,
      ).to.have.length(1);
      expect(m.find((x) => x.name === 'optical_rx_dbm')!.labels, vendor).to.not.have.property('entPhysicalIndex');
      expect(
        m.filter((x) => x.name === 'sensor_dbm'),
        vendor,
      ).to.have.length(1);
    }
    expect(metric('generic', entity).filter((x) => x.name === 'optical_rx_dbm')).to.have.length(1);
  });

  it('asks for label, filter and precision columns as walks', () => {
    const { walks } = profileOids(profileFor(shipped, 'mikrotik'));
    expect(walks).to.include('1.3.6.1.4.1.14988.1.1.19.1.1.2').and.include('1.3.6.1.2.1.99.1.1.1.3');
  });

  it('reports a bad profile as file:line path: message, and unknown extends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-prof-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'vendor: acme\nmetrics:\n  - name: Bad-Name\n    oid: 1.3.6\n    unit: x\n  - name: ok\n    oid: not-an-oid\n    unit: x\n',
    );
    writeFileSync(join(dir, 'b.yaml'), 'vendor: bee\nextends: nothere\n');
    writeFileSync(
      join(dir, 'c.yaml'),
      'vendor: cee\nmetrics:\n  - name: x\n    oid: 1.3.6\n    unit: u\n    walk: true\n    filter: { oid: 1.3.6.1, matches: "(" }\n',
    );
    try {
      loadProfiles(dir);
      expect.fail('should throw');
    } catch (err) {
      expect(isPantauError(err)).to.equal(true);
      const details = (err as { details: string[] }).details.join('\n');
      expect(details).to.match(/a\.yaml:3 metrics\[0\]\.name: metric name/);
      expect(details).to.match(/a\.yaml:7 metrics\[1\]\.oid: OID/);
      expect(details).to.match(/b\.yaml: extends "nothere": no such profile/);
      expect(details).to.match(/c\.yaml:7 metrics\[0\]\.filter.*not a valid regular expression/);
    }
  });
});
