import { expect } from 'chai';
import { loadProfiles, profileFor } from '../../../collector/probes/snmp/profiles.js';
import { missingProfileMetrics } from '../../../collector/probes/snmp/evaluate.js';
import { PROBE_HINT_TEXT, probeErrorText, probeHintFor } from '../../../core/probe-error-text.js';
import { createRenderer } from '../../../alerting/i18n.js';
import { initialMachine, standingProbeError } from '../../../alerting/engine/device.js';
import type { Device } from '../../../core/types.js';

const shipped = loadProfiles(new URL('../../../config/profiles', import.meta.url).pathname);
const missing = (vendor: string, values: Record<string, unknown>) =>
  missingProfileMetrics(profileFor(shipped, vendor), new Map(Object.entries(values)));

describe('snmp failures that say what to check', () => {
  it('missingProfileMetrics names profile metrics the device has no OID for, not those it answered', () => {
    const none = missing('ubiquiti', {});
    expect(none).to.include('wifi_clients').and.include('cpu_load_pct');
    const some = missing('ubiquiti', { '1.3.6.1.4.1.41112.1.6.1.2.1.8.1': 7, '1.3.6.1.2.1.25.3.3.1.2.1': 10 });
    expect(some).not.to.include('wifi_clients');
    expect(some).not.to.include('cpu_load_pct');
    expect(some).to.deep.equal([...some].sort());
  });

  it('a present column whose rows are all filtered out or a sentinel is not "missing"', () => {
    // ENTITY-SENSOR has a temperature row only: optical_rx_dbm's column exists, its filter drops the row.
    const m = missing('generic', {
      '1.3.6.1.2.1.99.1.1.1.1.5': 8,
      '1.3.6.1.2.1.99.1.1.1.3.5': 0,
      '1.3.6.1.2.1.99.1.1.1.4.5': 41,
    });
    expect(m).not.to.include('optical_rx_dbm');
    expect(m).not.to.include('temperature_c');
    expect(missing('huawei', { '1.3.6.1.4.1.2011.6.128.1.1.2.51.1.4.1.0': 2147483647 })).not.to.include(
      'optical_olt_tx_dbm',
    );
  });

  it('hint: only SNMP timing out while ping answers points at the credentials', () => {
    expect(probeHintFor('snmp', 'PANTAU_PROBE_TIMEOUT', true)).to.equal('snmp_credentials');
    expect(probeHintFor('snmp', 'PANTAU_PROBE_TIMEOUT', false)).to.equal(undefined);
    expect(probeHintFor('snmp', 'PANTAU_PROBE_BAD_RESPONSE', true)).to.equal(undefined);
    expect(probeHintFor('onvif', 'PANTAU_PROBE_TIMEOUT', true)).to.equal(undefined);
    expect(probeErrorText('PANTAU_PROBE_TIMEOUT', 'snmp', 'id', 'snmp_credentials'))
      .to.include('community')
      .and.include('SNMPv3')
      .and.include('ping normal');
    expect(probeErrorText('PANTAU_PROBE_TIMEOUT', 'snmp', 'en', 'snmp_credentials'))
      .to.include('community')
      .and.include('keys');
    expect(probeErrorText('PANTAU_PROBE_TIMEOUT', 'snmp', 'id')).to.equal('SNMP: tidak menjawab dalam batas waktu');
    expect(PROBE_HINT_TEXT.id.snmp_credentials).not.to.equal(PROBE_HINT_TEXT.en.snmp_credentials);
  });

  it('the engine marks the standing SNMP timeout with the hint only while ping answers', () => {
    const device = {
      id: 'd1',
      probes: { icmp: { enabled: true }, snmp: { enabled: true, credentials: 'c' } },
    } as unknown as Device;
    const base = initialMachine(0);
    const pingOk = {
      ...base,
      lastReach: true,
      probeErrors: { snmp: { code: 'PANTAU_PROBE_TIMEOUT' as const, since: 5, count: 3 } },
    };
    expect(standingProbeError(pingOk, device)).to.deep.equal({
      kind: 'snmp',
      code: 'PANTAU_PROBE_TIMEOUT',
      since: 5,
      hint: 'snmp_credentials',
    });
    const pingDown = {
      ...pingOk,
      lastReach: false,
      probeErrors: { ...pingOk.probeErrors, icmp: { code: 'PANTAU_PROBE_TIMEOUT' as const, since: 4, count: 3 } },
    };
    expect(standingProbeError(pingDown, device)).to.deep.equal({
      kind: 'icmp',
      code: 'PANTAU_PROBE_TIMEOUT',
      since: 4,
    });
    const refused = {
      ...pingOk,
      probeErrors: { snmp: { code: 'PANTAU_PROBE_BAD_RESPONSE' as const, since: 5, count: 1 } },
    };
    expect(standingProbeError(refused, device)).to.not.have.property('hint');
  });

  it('the degraded alert sentence names the credentials for an SNMP timeout (id and en), not for ONVIF', () => {
    const r = createRenderer([]);
    expect(r.title('alert.snmp_failing', { device: 'OLT-1', code: 'PANTAU_PROBE_TIMEOUT' }, 'id')).to.equal(
      `OLT-1 terganggu: ${PROBE_HINT_TEXT.id.snmp_credentials}`,
    );
    expect(r.title('alert.snmp_failing', { device: 'OLT-1' }, 'en'))
      .to.include('community')
      .and.include('ping is fine');
    expect(r.title('alert.onvif_failing', { device: 'CAM-1', code: 'PANTAU_PROBE_TIMEOUT' }, 'id')).to.equal(
      'CAM-1 terganggu: ping normal tetapi ONVIF tidak menjawab',
    );
  });
});
