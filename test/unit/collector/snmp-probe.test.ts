import { expect } from 'chai';
import type { Device } from '../../../core/types.js';
import type { SnmpCredential } from '../../../core/config/sections/credentials.js';
import { ProbeFailure } from '../../../collector/probe-error.js';
import type { SnmpClient } from '../../../collector/probes/snmp/client.js';
import { loadProfiles } from '../../../collector/probes/snmp/profiles.js';
import { createSnmpProber, OID } from '../../../collector/probes/snmp/probe.js';

const profiles = loadProfiles(new URL('../../../config/profiles', import.meta.url).pathname);
const device = {
  id: 'wifi-03',
  vendor: 'mikrotik',
  address: '127.0.0.1',
  probes: { snmp: { credentials: 'c', uplinkIfIndex: 1 } },
} as unknown as Device;
const cred = { version: 'v2c' } as unknown as SnmpCredential;

/** A fake agent: one interface, a MikroTik Wi-Fi client count, an optional CPU temperature scalar. */
function fakeClient(calls: string[], opts: { refuseUnknownInGet?: boolean } = {}): SnmpClient {
  const data = new Map<string, unknown>([
    [OID.sysDescr, 'RouterOS wAP ac'],
    [OID.sysUpTime, 12345],
    [OID.sysName, 'wifi-03'],
    [OID.ifNumber, 1],
    [`${OID.ifDescr}.1`, 'ether1'],
    [`${OID.ifOperStatus}.1`, 1],
    [`${OID.ifName}.1`, 'ether1'],
    ['1.3.6.1.4.1.14988.1.1.1.3.1.6.2', 13],
    ['1.3.6.1.4.1.14988.1.1.3.6.0', 415],
  ]);
  return {
    version: 'v2c',
    async get(oids) {
      calls.push(`get ${oids.length}`);
      const unknown = oids.filter((o) => !data.has(o));
      if (opts.refuseUnknownInGet && unknown.length > 0) {
        // An agent answering a GET with error-status noSuchName/genErr for the whole PDU.
        throw new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', 'SNMP error', {
          cause: Object.assign(new Error('noSuchName'), { name: 'RequestFailedError', status: 2 }),
        });
      }
      return new Map(oids.filter((o) => data.has(o)).map((o) => [o, data.get(o)]));
    },
    async walk() {
      throw new Error('not used');
    },
    async walkColumns(columns) {
      calls.push(`bulk ${columns.length}`);
      const values = new Map<string, unknown>();
      for (const [k, v] of data) if (columns.some((c) => k.startsWith(`${c}.`))) values.set(k, v);
      return { values, stampedAt: 1 };
    },
    close() {},
  };
}

describe('collector/probes/snmp/probe: requests per poll', () => {
  const settings = { retries: 1, maxRepetitions: 20, timeoutMs: 5000 };

  it('v2c: system + vendor scalars in one GET, ifTable, ifXTable and all vendor columns in one GetBulk each: 4 requests', async () => {
    const calls: string[] = [];
    const prober = createSnmpProber({
      credentials: { c: cred },
      profiles,
      settings,
      now: () => 0,
      openClient: () => fakeClient(calls),
    });
    const r = await prober.run(device, { signal: new AbortController().signal });
    expect(r.ok, JSON.stringify(r.error)).to.equal(true);
    expect(calls.filter((c) => c.startsWith('get'))).to.have.length(1);
    expect(calls.filter((c) => c.startsWith('bulk'))).to.have.length(3);
    expect(r.metrics).to.deep.include({ name: 'wifi_clients', value: 13, unit: 'clients', labels: {} });
    expect(r.metrics).to.deep.include({ name: 'temperature_c', value: 41.5, unit: 'celsius', labels: {} });
  });

  it('an agent that refuses the whole GET for one unknown OID is asked again for the system group; the probe still succeeds', async () => {
    const calls: string[] = [];
    const prober = createSnmpProber({
      credentials: { c: cred },
      profiles,
      settings,
      now: () => 0,
      openClient: () => fakeClient(calls, { refuseUnknownInGet: true }),
    });
    const r = await prober.run(device, { signal: new AbortController().signal });
    expect(r.ok, JSON.stringify(r.error)).to.equal(true);
    expect(r.sysName).to.equal('wifi-03');
    expect(r.metrics.map((m) => m.name)).to.include('wifi_clients');
    expect(calls.filter((c) => c.startsWith('get')).length).to.be.within(2, 3);
  });
});
