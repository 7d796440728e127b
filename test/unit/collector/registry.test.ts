import { expect } from 'chai';
import { collectorSection } from '../../../core/config/sections/collector.js';
import { deviceSchema } from '../../../core/inventory/schema.js';
import { internalResult } from '../../../collector/internal-result.js';
import { POLLED_KINDS, PROBE_SCHEMAS, PROBES, probeOf } from '../../../collector/probes/list.js';
import { MEASUREMENTS } from '../../../metrics/points.js';
import { ROLLUPS } from '../../../metrics/retention.js';

describe('collector/probes/list (registry, ADR 0700)', () => {
  it('lists each kind once, with its schema part and definition in the same order', () => {
    expect(POLLED_KINDS).to.deep.equal(['icmp', 'snmp', 'onvif', 'http', 'tls', 'dns', 'tcp']);
    expect(PROBE_SCHEMAS.map((s) => s.kind)).to.deep.equal(POLLED_KINDS);
    expect(PROBES.map((p) => p.schema.kind)).to.deep.equal(POLLED_KINDS);
    expect(() => probeOf('ftp')).to.throw(/unknown probe kind/);
  });

  it('derives the config defaults per kind from the list (same values as before the registry)', () => {
    const c = collectorSection.parse({});
    expect(c.intervals).to.deep.equal({ icmp: 10, snmp: 60, onvif: 60, http: 30, tls: 300, dns: 60, tcp: 30 });
    expect(c.timeoutsMs).to.deep.equal({
      icmp: 3000,
      snmp: 5000,
      onvif: 8000,
      http: 10000,
      tls: 8000,
      dns: 5000,
      tcp: 5000,
    });
    expect(c.recheckMs).to.deep.equal({
      icmp: 500,
      snmp: 5000,
      onvif: 10000,
      http: 2000,
      tls: 10000,
      dns: 5000,
      tcp: 2000,
    });
    expect(c.onvif).to.deep.equal({ maxClockDriftS: 5 });
    // HTTP answers slower than 3 s are DEGRADED (ADR 0701); the timeout (10 s) leaves room to see them.
    expect(c.http.maxLatencyMs).to.equal(3000);
    expect(c.tls.minProtocol).to.equal('TLSv1.2');
  });

  it('derives the inventory probes object: an unknown kind is rejected, icmp defaults on', () => {
    const base = {
      id: 'd-1',
      name: 'D',
      type: 'fiber',
      role: 'core',
      kecamatan: 'Baturaja Timur',
      lat: -4.1,
      lon: 104.1,
      address: '127.0.0.1',
      parent: null,
    };
    expect(deviceSchema.parse({ ...base, probes: {} }).probes).to.deep.equal({ icmp: { enabled: true } });
    expect(deviceSchema.safeParse({ ...base, probes: { ftp: {} } }).success).to.equal(false);
  });

  it('every kind has a failed shape (PANTAU_PROBE_INTERNAL) and its measurements are rolled up', () => {
    for (const kind of POLLED_KINDS) {
      const r = internalResult(kind, 'd-1', 1000, 5, new Error('boom'));
      expect(r).to.include({ kind, deviceId: 'd-1', ok: false });
      expect(r.error).to.deep.equal({ code: 'PANTAU_PROBE_INTERNAL', message: 'boom' });
      for (const m of Object.keys(probeOf(kind).measurements)) {
        expect(MEASUREMENTS).to.include(m);
        expect(ROLLUPS).to.have.property(m);
      }
    }
  });
});
