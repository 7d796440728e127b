import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import type { SnmpResult } from '../../../core/types.js';
import { createCollector } from '../../../collector/collector.js';
import { snmp } from '../../../collector/probes/snmp/netsnmp.js';
import type { Lab } from '../../../simulator/lab.js';
import { okuInventory, startTestLab, subInventory } from '../../helpers/lab.js';

/**
 * How many SNMP requests one probe costs, per vendor and role. A MikroTik Wi-Fi point has no
 * mtxrOpticalTable and a Huawei switch no GPON ONT table: those walks end at endOfMibView, and
 * a collector that kept asking sent ~17,000 GetBulks in 5 s to wifi-03, desa-01 and
 * fo-baturaja-barat (their probes always timed out). Separate GetBulks per vendor table made
 * every probe 9 requests where 4 do. Requests are counted by request id, so a retransmission on a
 * busy machine does not count twice.
 */
describe('collector/snmp against the lab: requests per probe', function () {
  this.timeout(120_000);
  const picks = [
    'wifi-03',
    'desa-01',
    'fo-baturaja-barat',
    'fo-baturaja-timur-01',
    'fo-baturaja-timur-02',
    'fo-baturaja-timur-03',
    'fo-baturaja-timur-06',
    'wifi-01',
    'fo-core',
  ];
  const inventory = subInventory(okuInventory(), picks);
  let lab: Lab | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- net-snmp's Session internals, to count requests
  const proto = (snmp as any).Session.prototype;
  const originalSend = proto.send;
  const requests = new Map<string, Set<number>>();

  before(async () => {
    lab = await startTestLab({ inventory, trapTarget: null });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    proto.send = function (this: any, req: any, noWait: boolean) {
      const ids = requests.get(this.target) ?? new Set<number>();
      ids.add(req.message.pdu?.id ?? req.message.msgGlobalData?.msgID ?? -1);
      requests.set(this.target, ids);
      return originalSend.call(this, req, noWait);
    };
  });
  after(async () => {
    proto.send = originalSend;
    await lab?.stop();
  });

  it('every device answers within the default timeout with at most 4 requests (v3: plus one engine discovery)', async () => {
    const loaded = loadConfig('config/pantau.yaml', {});
    const config = {
      ...loaded.config,
      collector: { ...loaded.config.collector, traps: { ...loaded.config.collector.traps, enabled: false } },
    };
    const collector = createCollector({
      config,
      inventory,
      bus: createInProcessBus(),
      logger: silentLogger(),
      configDir: loaded.configDir,
    });
    const results = (await collector.pollOnce()).filter((r): r is SnmpResult => r.kind === 'snmp');
    const polled = inventory.devices.filter((d) => d.probes.snmp);
    expect(results.map((r) => r.deviceId).sort()).to.deep.equal(polled.map((d) => d.id).sort());
    for (const r of results) expect(r.ok, `${r.deviceId} ${JSON.stringify(r.error)}`).to.equal(true);
    for (const d of polled) {
      const v3 = loaded.config.credentials.snmp[d.probes.snmp!.credentials]?.version === 'v3';
      const n = requests.get(d.address)?.size ?? 0;
      expect(n, `${d.id} (${d.vendor} ${d.role}${v3 ? ', v3' : ''}) requests`).to.be.within(1, v3 ? 5 : 4);
    }
    // The Wi-Fi points still report their clients (the vendor walk ended instead of looping).
    for (const id of ['wifi-03', 'desa-01']) {
      expect(
        results.find((r) => r.deviceId === id)!.metrics.map((m) => m.name),
        id,
      ).to.include('wifi_clients');
    }
  });
});
