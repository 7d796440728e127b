import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createInProcessBus } from '../../../core/bus.js';
import { loadInventory } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import type { Device, ProbeResult, SnmpResult } from '../../../core/types.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import { watchInventory } from '../../../collector/inventory-watch.js';
import { startSnmpd, type SnmpdHandle } from '../../helpers/snmpd.js';
import { testConfig, testDevice } from './helpers.js';
import { until } from '../../helpers/wait.js';

const configDir = new URL('../../../config', import.meta.url).pathname;

describe('collector runtime: scheduler, inventory reload, stop', function () {
  this.timeout(60_000);
  let snmpd: SnmpdHandle;
  let dir: string;
  let collector: Collector | undefined;
  before(async () => {
    snmpd = await startSnmpd();
    dir = mkdtempSync(join(tmpdir(), 'pantau-inv-'));
  });
  after(async () => {
    await collector?.stop();
    await snmpd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const known = { snmpCredentials: new Set(['v2']), onvifCredentials: new Set<string>() };
  const writeInventory = (file: string, devices: Device[]) => writeFileSync(file, stringify({ devices }));

  it('polls on its own, reloads the inventory when the file changes, and stops cleanly', async () => {
    const file = join(dir, 'inv.yaml');
    const a = testDevice('dev-a', snmpd.address, {
      icmp: { enabled: true, intervalS: 1 },
      snmp: { enabled: true, version: 'v2c', credentials: 'v2', port: snmpd.port, intervalS: 2 },
    });
    const b = testDevice('dev-b', '127.0.0.1', { icmp: { enabled: true, intervalS: 1 } });
    writeInventory(file, [a]);
    const seen: ProbeResult[] = [];
    const changes: string[][] = [];
    const bus = createInProcessBus();
    bus.subscribe('probe.result', (r) => {
      seen.push(r);
    });
    bus.subscribe('inventory.changed', (c) => {
      changes.push(c.deviceIds);
    });
    const config = testConfig({
      credentials: { snmp: { v2: { version: 'v2c', community: 'public' } } },
      collector: { traps: { enabled: false } },
    });
    collector = createCollector({
      // No reloadInventory: the collector reloads the files itself (as `pantau start` wires it).
      config,
      inventory: loadInventory([file], known),
      bus,
      logger: silentLogger(),
      configDir,
      inventoryFiles: [file],
    });
    await collector.start();

    // Two SNMP polls 2 s apart on the device's own schedule: the second has rates.
    const withRates = await until(
      () => seen.find((r): r is SnmpResult => r.kind === 'snmp' && r.ok && r.interfaces.some((i) => i.inBps !== null)),
      15_000,
      'scheduled SNMP poll with rates',
    );
    expect(withRates.deviceId).to.equal('dev-a');
    expect(seen.filter((r) => r.kind === 'icmp' && r.deviceId === 'dev-a').length).to.be.at.least(2);

    writeInventory(file, [a, b]);
    await until(
      () => seen.find((r) => r.deviceId === 'dev-b' && r.kind === 'icmp' && r.ok),
      10_000,
      'dev-b after the file changed',
    );
    expect(changes).to.deep.include(['dev-b']);

    // An invalid file keeps the previous inventory.
    writeFileSync(file, 'devices: [ { id: "BAD" } ]\n');
    const mark = seen.length;
    await until(
      () => (seen.slice(mark).some((r) => r.deviceId === 'dev-b') ? true : undefined),
      10_000,
      'dev-b still polled after a bad edit',
    );

    writeInventory(file, [b]);
    await until(() => changes.some((ids) => ids.includes('dev-a')), 10_000, 'the reload that removes dev-a');
    const cutAt = Date.now();
    // Three dev-b pings started after the reload: dev-a (same 1 s interval) was due in that time, so no
    // poll of it may have started in it (results already in flight may still land).
    await until(
      () => seen.filter((r) => r.deviceId === 'dev-b' && r.kind === 'icmp' && r.ts >= cutAt).length >= 3,
      10_000,
      'three dev-b pings after the reload',
    );
    expect(seen.filter((r) => r.deviceId === 'dev-a' && r.ts >= cutAt)).to.deep.equal([]);

    const t0 = Date.now();
    await collector.stop();
    collector = undefined;
    expect(Date.now() - t0).to.be.lessThan(5000);
    await bus.drain();
    const end = seen.length;
    // Measurement window: longer than the 1 s interval, so a poll still scheduled after stop() would land in it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.length).to.equal(end);
  });

  it('SIGHUP reloads the inventory', async () => {
    let reloads = 0;
    const applied: number[] = [];
    const stop = watchInventory({
      files: [],
      logger: silentLogger(),
      debounceMs: 10,
      reload: () => {
        reloads++;
        return loadInventory([], known);
      },
      apply: (inv) => applied.push(inv.devices.length),
    });
    try {
      process.kill(process.pid, 'SIGHUP');
      await until(() => (applied.length > 0 ? true : undefined), 3000, 'reload on SIGHUP');
      expect(reloads).to.equal(1);
    } finally {
      stop();
    }
  });
});
