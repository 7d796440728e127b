import { expect } from 'chai';
import { alertToPoints, stateToPoints, toPoints, type Point } from '../../../metrics/points.js';
import { toLine } from '../../../metrics/point.js';
import type { Alert, DeviceState, ProbeResult } from '../../../core/types.js';
import { icmpResult, onvifResult, snmpResult } from '../../helpers/metrics-fixtures.js';

const dev = { id: 'fo-lengkiti-02', type: 'fiber' as const, kecamatan: 'Lengkiti' as const };
const TS = Date.UTC(2026, 10, 28, 1, 2, 3, 456);
const base = { device: 'fo-lengkiti-02', type: 'fiber', kecamatan: 'Lengkiti' };

describe('metrics/points', () => {
  const cases: Array<{ name: string; result: ProbeResult; expect: Point[] }> = [
    {
      name: 'icmp reply: rtt fields, loss and up=1',
      result: icmpResult(dev.id, TS, true, 2),
      expect: [
        {
          measurement: 'icmp',
          tags: base,
          ts: TS,
          fields: { rtt_min_ms: 1.5, rtt_avg_ms: 2, rtt_max_ms: 2.5, jitter_ms: 0.2, loss_pct: 0, up: 1 },
        },
      ],
    },
    {
      name: 'icmp without reply: no rtt fields, loss 100, up=0',
      result: icmpResult(dev.id, TS, false),
      expect: [{ measurement: 'icmp', tags: base, ts: TS, fields: { loss_pct: 100, up: 0 } }],
    },
    {
      name: 'trap: no points',
      result: {
        kind: 'trap',
        deviceId: dev.id,
        ts: TS,
        durationMs: 0,
        ok: true,
        trap: 'linkDown',
        trapOid: '1.3.6.1.6.3.1.1.5.3',
        source: '127.0.0.1',
      },
      expect: [],
    },
    {
      name: 'onvif: camera with snapshot and rtsp',
      result: onvifResult(dev.id, TS),
      expect: [
        {
          measurement: 'camera',
          tags: base,
          ts: TS,
          fields: {
            reachable: 1,
            authenticated: 1,
            clock_drift_s: 1.5,
            snapshot_ok: 1,
            snapshot_latency_ms: 85,
            snapshot_bytes: 20480,
            rtsp_ok: 1,
            rtsp_latency_ms: 12,
          },
        },
      ],
    },
    {
      name: 'onvif unreachable: reachable=0, no snapshot/rtsp fields',
      result: {
        ...onvifResult(dev.id, TS),
        ok: false,
        reachable: false,
        authenticated: false,
        clockDriftS: null,
        snapshot: null,
        rtsp: null,
      },
      expect: [{ measurement: 'camera', tags: base, ts: TS, fields: { reachable: 0, authenticated: 0 } }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(toPoints(c.result, dev)).to.deep.equal(c.expect);
    });
  }

  it('snmp: one interface point per interface (tags if_name, uplink), null rates left out', () => {
    const r = snmpResult(dev.id, TS, { interfaces: 2 });
    r.interfaces[1]!.inBps = null;
    r.interfaces[1]!.outBps = null;
    const ifs = toPoints(r, dev).filter((p) => p.measurement === 'interface');
    expect(ifs).to.deep.equal([
      {
        measurement: 'interface',
        tags: { ...base, if_name: 'ether1', uplink: 'true' },
        ts: TS,
        fields: {
          in_bps: 1000,
          out_bps: 500,
          in_errors: 0,
          out_errors: 0,
          in_discards: 0,
          out_discards: 0,
          oper_up: 1,
          admin_up: 1,
          speed_bps: 1e9,
        },
      },
      {
        measurement: 'interface',
        tags: { ...base, if_name: 'ether2', uplink: 'false' },
        ts: TS,
        fields: {
          in_errors: 0,
          out_errors: 0,
          in_discards: 0,
          out_discards: 0,
          oper_up: 0,
          admin_up: 1,
          speed_bps: 1e9,
        },
      },
    ]);
  });

  it('snmp: optical per port, system, wifi clients summed per device', () => {
    const r = snmpResult(dev.id, TS, { interfaces: 1, optical: true, wifi: true, temperature: true });
    r.metrics.push({ name: 'optical_rx_dbm', value: -21, unit: 'dBm', labels: { sensor: 'ont' } });
    r.metrics.push({ name: 'temperature_c', value: 55, unit: 'C', labels: { sensor: 'psu' } });
    r.rebooted = true;
    const pts = toPoints(r, dev).filter((p) => p.measurement !== 'interface');
    expect(pts).to.deep.equal([
      { measurement: 'optical', tags: { ...base, port: 'sfp1' }, ts: TS, fields: { rx_dbm: -18.2, tx_dbm: 2.1 } },
      { measurement: 'optical', tags: { ...base, port: 'ont' }, ts: TS, fields: { rx_dbm: -21 } },
      {
        measurement: 'system',
        tags: base,
        ts: TS,
        fields: { uptime_s: 3600, cpu_load_pct: 12, temperature_c: 55, rebooted: 1, snmp_ok: 1 },
      },
      { measurement: 'wifi', tags: base, ts: TS, fields: { clients: 10 } },
    ]);
  });

  it('snmp failure: only system with snmp_ok=0; optical without labels goes to port "0"', () => {
    const failed = { ...snmpResult(dev.id, TS, { interfaces: 0 }), ok: false, sysUpTimeS: null, metrics: [] };
    expect(toPoints(failed, dev)).to.deep.equal([
      { measurement: 'system', tags: base, ts: TS, fields: { rebooted: 0, snmp_ok: 0 } },
    ]);
    const bare = {
      ...snmpResult(dev.id, TS, { interfaces: 0 }),
      metrics: [{ name: 'optical_rx_dbm', value: -7, unit: 'dBm', labels: {} }],
    };
    expect(toPoints(bare, dev)[0]).to.deep.include({ measurement: 'optical', tags: { ...base, port: '0' } });
  });

  it('never writes NaN or Infinity, and every number is a float in line protocol', () => {
    const r = icmpResult(dev.id, TS, true, 2);
    r.jitterMs = Number.NaN;
    r.rttMaxMs = Number.POSITIVE_INFINITY;
    const [p] = toPoints(r, dev);
    expect(p!.fields).to.not.have.any.keys('jitter_ms', 'rtt_max_ms');
    expect(toLine(p!)).to.not.match(/\di[ ,]/);
    expect(toLine(p!)).to.equal(
      `icmp,device=fo-lengkiti-02,kecamatan=Lengkiti,type=fiber loss_pct=0,rtt_avg_ms=2,rtt_min_ms=1.5,up=1 ${TS}`,
    );
  });

  const states: Array<[DeviceState, number, number | undefined]> = [
    ['UP', 0, 1],
    ['DEGRADED', 1, 1],
    ['DOWN', 2, 0],
    ['UNREACHABLE', 3, 0],
    ['MAINTENANCE', 4, undefined],
    ['UNKNOWN', 5, undefined],
  ];
  for (const [state, code, up] of states) {
    it(`device_state ${state}: state_code ${code}, up ${up ?? 'absent'}`, () => {
      const [p] = stateToPoints(
        { deviceId: dev.id, from: 'UNKNOWN', to: state, at: TS, status: { deviceId: dev.id, state, since: TS } },
        dev,
      );
      expect(p).to.deep.equal({
        measurement: 'device_state',
        tags: base,
        ts: TS,
        fields: { state, state_code: code, ...(up === undefined ? {} : { up }) },
      });
    });
  }

  it('alert: annotation tags and text, stamped when its status changed', () => {
    const a: Alert = {
      id: 'a1',
      key: 'device_down:fo-lengkiti',
      rule: 'device_down',
      deviceId: 'fo-lengkiti',
      deviceType: 'fiber',
      kecamatan: 'Lengkiti',
      severity: 'critical',
      status: 'acknowledged',
      messageKey: 'device_down',
      params: {},
      title: 'Perangkat fo-lengkiti mati',
      affected: ['x', 'y'],
      openedAt: TS - 60_000,
      acknowledgedAt: TS,
      acknowledgedBy: 'budi',
      ackComment: 'tim berangkat',
      updatedAt: TS,
    };
    expect(alertToPoints(a)).to.deep.equal([
      {
        measurement: 'alert',
        ts: TS,
        tags: {
          device: 'fo-lengkiti',
          type: 'fiber',
          kecamatan: 'Lengkiti',
          severity: 'critical',
          rule: 'device_down',
          status: 'acknowledged',
        },
        fields: {
          title: 'Perangkat fo-lengkiti mati',
          text: 'Status: diakui; terdampak: 2 perangkat; diakui oleh budi (tim berangkat)',
        },
      },
    ]);
    expect(alertToPoints({ ...a, status: 'open' })[0]!.ts).to.equal(TS - 60_000);
  });
});

describe('metrics/point line protocol', () => {
  it('escapes spaces, commas and equals in tags and quotes in strings', () => {
    const line = toLine({
      measurement: 'alert',
      tags: { kecamatan: 'Baturaja Timur', rule: 'a,b=c', empty: '' },
      fields: { title: 'say "hi"\\', n: 1 },
      ts: 5,
    });
    expect(line).to.equal('alert,kecamatan=Baturaja\\ Timur,rule=a\\,b\\=c n=1,title="say \\"hi\\"\\\\" 5');
  });
});
