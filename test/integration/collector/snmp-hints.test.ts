import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device } from '../../../core/types.js';
import { loadProfiles } from '../../../collector/probes/snmp/profiles.js';
import { createSnmpProber } from '../../../collector/probes/snmp/probe.js';
import { snmpProbe } from '../../../collector/probes/snmp/index.js';
import { startSnmpd, type SnmpdHandle } from '../../helpers/snmpd.js';
import { testConfig } from './helpers.js';

/*
 * Issue 13 item 9 against a real Debian snmpd: a wrong community and a wrong SNMPv3 priv key are
 * dropped silently by the agent, so the probe's timeout detail must name the credentials; a profile
 * OID the agent lacks is reported (result + one callback per device), not silently skipped.
 */
describe('SNMP failures that say what to check (real snmpd)', function () {
  this.timeout(60_000);
  let snmpd: SnmpdHandle;
  let dir: string;
  before(async () => {
    snmpd = await startSnmpd();
    dir = mkdtempSync(join(tmpdir(), 'pantau-hint-prof-'));
    // ifNumber exists on every snmpd; the other two are a typo'd scalar and an enterprise column snmpd has not.
    writeFileSync(
      join(dir, 'acme.yaml'),
      [
        'vendor: acme',
        'metrics:',
        '  - name: if_count',
        '    oid: 1.3.6.1.2.1.2.1.0',
        '    unit: x',
        '  - name: typo_scalar',
        '    oid: 1.3.6.1.2.1.1.77.0',
        '    unit: x',
        '  - name: typo_column',
        '    oid: 1.3.6.1.4.1.99999.1.2',
        '    walk: true',
        '    unit: x',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await snmpd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Through the config schema, as users write them (secrets become Secret values).
  const credentials = () =>
    testConfig({
      credentials: {
        snmp: {
          v2: { version: 'v2c', community: 'public' },
          wrongCommunity: { version: 'v2c', community: 'not-public' },
          v3badPriv: {
            version: 'v3',
            user: snmpd.v3.user,
            level: 'authPriv',
            authProtocol: 'sha',
            authKey: snmpd.v3.authKey,
            privProtocol: 'aes',
            privKey: 'not-the-priv-key-1',
          },
        },
      },
    }).credentials.snmp;

  function run(credential: string, vendor = 'generic', onMissingMetrics?: (d: Device, m: readonly string[]) => void) {
    const profiles = new Map([
      ...loadProfiles(new URL('../../../config/profiles', import.meta.url).pathname),
      ...loadProfiles(dir),
    ]);
    // Shipped timeout (2500 ms) and retries (1): the point is what a real timeout says.
    const prober = createSnmpProber({
      credentials: credentials(),
      profiles,
      settings: { retries: 1, maxRepetitions: 20, timeoutMs: 2500 },
      now: Date.now,
      ...(onMissingMetrics ? { onMissingMetrics } : {}),
    });
    const device = {
      id: 'snmpd',
      name: 'snmpd',
      vendor,
      address: snmpd.address,
      probes: {
        icmp: { enabled: true },
        snmp: { enabled: true, version: 'v2c', credentials: credential, port: snmpd.port },
      },
    } as unknown as Device;
    return { prober, device };
  }

  for (const cred of ['wrongCommunity', 'v3badPriv']) {
    it(`${cred}: the agent stays silent and the timeout detail names the community / SNMPv3 keys`, async () => {
      const { prober, device } = run(cred);
      const r = await prober.run(device, { signal: AbortSignal.timeout(10_000) });
      expect(r.ok).to.equal(false);
      expect(r.error?.code).to.equal('PANTAU_PROBE_TIMEOUT');
      expect(r.error?.message).to.include('community').and.include('SNMPv3').and.include('credentials');
      // The secrets themselves never appear in the detail.
      expect(r.error?.message).not.to.include('not-public').and.not.include('not-the-priv-key-1');
    });
  }

  it('the right community still works (the failures above are the credentials, not the agent)', async () => {
    const { prober, device } = run('v2');
    const r = await prober.run(device, { signal: AbortSignal.timeout(10_000) });
    expect(r.ok, JSON.stringify(r.error)).to.equal(true);
  });

  it('a profile OID snmpd lacks is reported in the result, in the poll summary, and once per device', async () => {
    const calls: string[][] = [];
    const { prober, device } = run('v2', 'acme', (_d, m) => calls.push([...m]));
    const first = await prober.run(device, { signal: AbortSignal.timeout(10_000) });
    expect(first.ok, JSON.stringify(first.error)).to.equal(true);
    expect(first.metrics.map((m) => m.name)).to.deep.equal(['if_count']);
    expect(first.missingMetrics).to.deep.equal(['typo_column', 'typo_scalar']);
    expect(snmpProbe.summary!(first, 'id')).to.include('tanpa OID profil: typo_column, typo_scalar');
    expect(snmpProbe.summary!(first, 'en')).to.include('profile OIDs missing: typo_column, typo_scalar');
    const second = await prober.run(device, { signal: AbortSignal.timeout(10_000) });
    expect(second.missingMetrics).to.deep.equal(['typo_column', 'typo_scalar']);
    expect(calls).to.deep.equal([['typo_column', 'typo_scalar']]);
  });
});
