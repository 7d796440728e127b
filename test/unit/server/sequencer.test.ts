import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import type { IcmpResult, SnmpResult } from '../../../core/types.js';
import { createSequencer } from '../../../server/realtime/sequencer.js';
import { samplesFromResult } from '../../../server/realtime/samples.js';

describe('server/realtime/sequencer', () => {
  it('numbers status and alert changes in bus order; metric samples stay outside the seq stream, newest per metric', async () => {
    const bus = createInProcessBus();
    const seq = createSequencer(bus);
    bus.publish('device.state', {
      deviceId: 'a',
      from: 'UP',
      to: 'DOWN',
      at: 1,
      status: { deviceId: 'a', state: 'DOWN', since: 1 },
    });
    for (let i = 0; i < 5; i++) bus.publish('metric.sample', { deviceId: 'a', ts: i, name: 'rtt_avg_ms', value: i });
    bus.publish('device.state', {
      deviceId: 'b',
      from: 'UP',
      to: 'UNREACHABLE',
      at: 1,
      status: { deviceId: 'b', state: 'UNREACHABLE', since: 1 },
    });
    await bus.drain();
    expect(seq.seq).to.equal(2);
    const out = seq.drain();
    expect(out.map((d) => [d.seq, d.kind])).to.deep.equal([
      [1, 'status'],
      [2, 'status'],
    ]);
    expect(seq.drain()).to.deep.equal([]);
    const samples = seq.drainSamples();
    expect(samples.get('a')!.map((s) => s.value)).to.deep.equal([4]);
    expect(seq.drainSamples().size).to.equal(0);
    expect(seq.latestOf(['a']).map((s) => s.value)).to.deep.equal([4]);
    seq.stop();
  });

  it('derives live samples from probe results', () => {
    const icmp: IcmpResult = {
      kind: 'icmp',
      deviceId: 'a',
      ts: 5,
      durationMs: 1,
      ok: true,
      sent: 3,
      received: 3,
      lossPct: 0,
      rttMinMs: 1,
      rttAvgMs: 2.5,
      rttMaxMs: 4,
      jitterMs: 1,
    };
    expect(samplesFromResult(icmp).map((s) => [s.name, s.value])).to.deep.equal([
      ['rtt_avg_ms', 2.5],
      ['loss_pct', 0],
    ]);
    const snmp: SnmpResult = {
      kind: 'snmp',
      deviceId: 'a',
      ts: 5,
      durationMs: 1,
      ok: true,
      sysUpTimeS: 1,
      sysName: null,
      sysDescr: null,
      rebooted: false,
      interfaces: [
        {
          ifIndex: 1,
          ifName: 'sfp1',
          adminUp: true,
          operUp: true,
          speedBps: 1e9,
          inBps: 1000,
          outBps: null,
          inErrors: 0,
          outErrors: 0,
          inDiscards: 0,
          outDiscards: 0,
          isUplink: true,
        },
      ],
      metrics: [
        { name: 'optical_rx_dbm', value: -18.2, unit: 'dBm', labels: {} },
        { name: 'temperature_c', value: 40, unit: 'C', labels: {} },
      ],
    };
    expect(samplesFromResult(snmp).map((s) => [s.name, s.value])).to.deep.equal([
      ['in_bps', 1000],
      ['optical_rx_dbm', -18.2],
    ]);
  });
});

describe('server/realtime/sequencer devices', () => {
  it('numbers a devices delta between the status changes around it and drops removed devices from latest', async () => {
    const bus = createInProcessBus();
    const seq = createSequencer(bus);
    bus.publish('device.state', {
      deviceId: 'a',
      from: 'UP',
      to: 'DOWN',
      at: 1,
      status: { deviceId: 'a', state: 'DOWN', since: 1 },
    });
    bus.publish('metric.sample', { deviceId: 'gone', ts: 1, name: 'rtt_avg_ms', value: 1 });
    bus.publish('metric.sample', { deviceId: 'a', ts: 1, name: 'rtt_avg_ms', value: 2 });
    await bus.drain();
    const a = {
      id: 'a',
      name: 'A',
      type: 'fiber' as const,
      role: 'core',
      kecamatan: 'Lengkiti' as const,
      lat: -4,
      lon: 104,
      address: '127.20.0.1',
      parent: null,
      vendor: 'generic',
    };
    seq.pushDevices([a]);
    bus.publish('device.state', {
      deviceId: 'a',
      from: 'DOWN',
      to: 'UP',
      at: 2,
      status: { deviceId: 'a', state: 'UP', since: 2 },
    });
    await bus.drain();
    const out = seq.drain();
    expect(out.map((d) => [d.seq, d.kind])).to.deep.equal([
      [1, 'status'],
      [2, 'devices'],
      [3, 'status'],
    ]);
    expect(seq.latestOf(['a', 'gone']).map((s) => s.deviceId)).to.deep.equal(['a']);
    expect([...seq.drainSamples().keys()]).to.deep.equal(['a']);
    seq.stop();
  });
});

describe('server/realtime/sequencer watched devices', () => {
  it('queues samples only for watched devices but keeps the latest of every device', async () => {
    const bus = createInProcessBus();
    const watched = new Set(['b']);
    const seq = createSequencer(bus, { isWatched: (id) => watched.has(id) });
    bus.publish('metric.sample', { deviceId: 'a', ts: 1, name: 'rtt_avg_ms', value: 1 });
    bus.publish('metric.sample', { deviceId: 'b', ts: 1, name: 'rtt_avg_ms', value: 2 });
    bus.publish('metric.sample', { deviceId: 'b', ts: 2, name: 'loss_pct', value: 0 });
    await bus.drain();
    const out = seq.drainSamples();
    expect([...out.keys()]).to.deep.equal(['b']);
    expect(out.get('b')!.map((s) => s.name)).to.deep.equal(['rtt_avg_ms', 'loss_pct']);
    // a page that starts watching "a" gets its newest values at once
    expect(seq.latestOf(['a']).map((s) => s.value)).to.deep.equal([1]);
    seq.stop();
  });
});
