import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createInProcessBus } from '../../../core/bus.js';
import { configSchema } from '../../../core/config/schema.js';
import { buildInventory } from '../../../core/inventory/topology.js';
import { createLogger } from '../../../core/logger.js';
import { createManualClock } from '../../../core/time.js';
import type { Device, ProbeResult } from '../../../core/types.js';
import { changedDeviceIds, createCollector } from '../../../collector/collector.js';
import type { IcmpEngine } from '../../../collector/probes/icmp/client.js';
import { formatResultsTable, formatUptime } from '../../../collector/format.js';

const configDir = new URL('../../../config', import.meta.url).pathname;
const dev = (id: string, address = '127.0.0.1'): Device => ({
  id,
  name: id,
  type: 'fiber',
  role: 'access',
  kecamatan: 'Lengkiti',
  lat: -4.1,
  lon: 104.1,
  address,
  parent: null,
  vendor: 'generic',
  tags: [],
  probes: { icmp: { enabled: true } },
});

describe('collector/collector', () => {
  it('an exception escaping a probe becomes PANTAU_PROBE_INTERNAL, logged once per device', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'error',
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }),
    });
    // A buggy engine: resolves with something that is not a Map, so the batch code throws.
    const broken: IcmpEngine = { name: 'fping', sweep: async () => null as unknown as Map<string, never> };
    const bus = createInProcessBus();
    const published: ProbeResult[] = [];
    bus.subscribe('probe.result', (r) => {
      published.push(r);
    });
    const config = configSchema.parse({ inventory: ['x.yaml'], collector: { traps: { enabled: false } } });
    const c = createCollector({
      config,
      inventory: buildInventory([dev('a'), dev('b', '127.0.0.2')]),
      bus,
      logger,
      configDir,
      icmpEngine: broken,
      clock: createManualClock(),
    });
    for (let i = 0; i < 2; i++) {
      const rs = await c.pollOnce();
      expect(rs.map((r) => [r.deviceId, r.ok, r.error?.code])).to.deep.equal([
        ['a', false, 'PANTAU_PROBE_INTERNAL'],
        ['b', false, 'PANTAU_PROBE_INTERNAL'],
      ]);
    }
    await bus.drain();
    expect(published).to.have.length(4);
    const errors = lines
      .map((l) => JSON.parse(l) as { device?: string; msg: string })
      .filter((l) => /exception/.test(l.msg));
    expect(errors.map((e) => e.device).sort()).to.deep.equal(['a', 'b']);
  });

  it('never runs the same probe on one device twice at once, even with overlapping pollOnce calls', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: IcmpEngine = {
      name: 'fping',
      sweep: async (hosts) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return new Map(
          hosts.map((h) => [
            h,
            { sent: 1, received: 1, lossPct: 0, rttMinMs: 1, rttAvgMs: 1, rttMaxMs: 1, jitterMs: 0 },
          ]),
        );
      },
    };
    const config = configSchema.parse({ inventory: ['x.yaml'], collector: { traps: { enabled: false } } });
    const c = createCollector({
      config,
      inventory: buildInventory([dev('a')]),
      bus: createInProcessBus(),
      logger: createLogger({ level: 'silent' }),
      configDir,
      icmpEngine: slow,
    });
    const all = await Promise.all([c.pollOnce(), c.pollOnce(), c.pollOnce()]);
    expect(all.map((rs) => rs.length)).to.deep.equal([1, 1, 1]);
    expect(maxInFlight).to.equal(1);
  });

  it('changedDeviceIds lists added, removed and edited devices', () => {
    const a = dev('a');
    const before = buildInventory([a, dev('b')]);
    const after = buildInventory([{ ...a, name: 'renamed' }, dev('c')]);
    expect(changedDeviceIds(before, after)).to.deep.equal(['a', 'b', 'c']);
    expect(changedDeviceIds(before, before)).to.deep.equal([]);
  });

  it('formats uptime in days and hours', () => {
    expect(formatUptime(3393450, 'id')).to.equal('39 hari 6 jam');
    expect(formatUptime(3393450, 'en')).to.equal('39 d 6 h');
    expect(formatUptime(4000, 'id')).to.equal('1 jam 6 mnt');
    expect(formatUptime(null, 'id')).to.equal('?');
  });

  it('prints an Indonesian table by default, English on request', () => {
    const r: ProbeResult[] = [
      {
        kind: 'icmp',
        deviceId: 'fo-core',
        ts: 0,
        durationMs: 12,
        ok: true,
        sent: 3,
        received: 3,
        lossPct: 0,
        rttMinMs: 0.1,
        rttAvgMs: 0.2,
        rttMaxMs: 0.3,
        jitterMs: 0.1,
      },
      {
        kind: 'snmp',
        deviceId: 'fo-core',
        ts: 0,
        durationMs: 5000,
        ok: false,
        error: { code: 'PANTAU_PROBE_TIMEOUT', message: 'no SNMP response' },
        sysUpTimeS: null,
        sysName: null,
        sysDescr: null,
        rebooted: false,
        interfaces: [],
        metrics: [],
      },
    ];
    const inv = buildInventory([dev('fo-core')]);
    const id = formatResultsTable(r, inv);
    expect(id).to.match(/^PERANGKAT\s+PROBE\s+STATUS\s+WAKTU\s+RINCIAN/);
    expect(id)
      .to.contain('hilang 0%')
      .and.contain('GAGAL')
      .and.contain('PANTAU_PROBE_TIMEOUT')
      .and.contain('1 dari 2 probe berhasil, 1 gagal');
    expect(formatResultsTable(r, inv, 'en'))
      .to.contain('1 of 2 probes succeeded, 1 failed')
      .and.contain('FAIL');
  });
});
