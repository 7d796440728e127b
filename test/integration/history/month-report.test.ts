/**
 * A month of lab history, by hand: the real alert engine (shipped alerting config, OKU inventory)
 * is fed probe results around known outages and a maintenance window; the state log records what
 * it publishes; the report must equal the availability computed by hand here (to 0.01 %), and
 * the PDF (parsed back with pdf.js) must hold the table.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { createInProcessBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { createAlerting } from '../../../alerting/alerting.js';
import { createStateLog, recordStateChanges } from '../../../history/state-log.js';
import { createReports } from '../../../history/reports.js';
import { createWorld } from '../../unit/alerting/support.js';
import { pdfText } from '../../helpers/pdf.js';

const SHIPPED = fileURLToPath(new URL('../../../config/pantau.yaml', import.meta.url));
const S = 1000,
  M = 60 * S,
  H = 60 * M;
/** Wall time in WIB → epoch ms. */
const wib = (d: number, h: number, m = 0, month = 10) => Date.UTC(2026, month, d, h, m) - 7 * H;

describe('history/report: a lab month computed by hand', function () {
  this.timeout(120_000);

  it('equals the hand computation for outages, a subtree cut, a maintenance window and the month edge', async () => {
    const loaded = loadConfig(SHIPPED, {});
    const { config, inventory, configDir } = loaded;
    expect(config.alerting.downAfter).to.equal(3);
    expect(config.alerting.upAfter).to.equal(2);
    const store = openStore(':memory:');
    const bus = createInProcessBus();
    const clock = createManualClock(wib(31, 23, 0, 9));
    const alerting = createAlerting({
      config,
      inventory,
      store,
      bus,
      clock,
      logger: silentLogger(),
      notifierTransports: {},
      configDir,
    });
    alerting.start();
    const log = createStateLog(store);
    const unsub = recordStateChanges(bus, log, silentLogger());
    const world = createWorld({ inventory, bus, clock, alerting });
    // The collector probes every 10 s; between events nothing changes, so the clock jumps.
    const at = async (t: number, cycles: number) => {
      clock.set(t);
      for (let i = 0; i < cycles; i++) await world.cycle();
    };

    await at(wib(31, 23, 0, 9), 3); // everything UP before the month starts
    expect(alerting.statuses().filter((s) => s.state !== 'UP')).to.deep.equal([]);

    // 1) a leaf fiber point cut from 31 Oct 23:50 to 1 Nov 00:30 WIB: crosses the month start.
    world.cut('fo-baturaja-timur-05');
    await at(wib(31, 23, 50, 9), 4);
    world.repair('fo-baturaja-timur-05');
    await at(wib(1, 0, 30), 3);
    // 2) the same point again on 10 Nov 14:00–15:30.
    world.cut('fo-baturaja-timur-05');
    await at(wib(10, 14, 0), 4);
    world.repair('fo-baturaja-timur-05');
    await at(wib(10, 15, 30), 3);
    // 3) a fiber site with a camera and a Wi-Fi point behind it cut on 5 Nov 08:00–12:00.
    world.cut('fo-baturaja-timur-07');
    await at(wib(5, 8, 0), 6);
    world.repair('fo-baturaja-timur-07');
    await at(wib(5, 12, 0), 3);
    // 4) maintenance on cctv-01, 20 Nov 09:00–11:00 WIB, with the camera off the air inside it.
    const mw = alerting.addMaintenance({
      deviceId: 'cctv-01',
      subtree: false,
      reason: 'ganti kamera',
      createdBy: 'operator',
      startsAt: wib(20, 9, 0),
      endsAt: wib(20, 11, 0),
    });
    world.down.add('cctv-01');
    await at(wib(20, 9, 0), 3);
    world.down.delete('cctv-01'); // repaired inside the window: no outage is counted for it
    await at(wib(20, 10, 30), 3);
    await at(wib(20, 11, 0), 1);
    alerting.removeMaintenance(mw.id);
    clock.set(wib(1, 0, 10, 11)); // 1 Dec 00:10 WIB: the month is over
    await bus.drain();

    // ---- by hand ----
    // DOWN at the 3rd failed probe (downAfter 3: +20 s), UP at the 2nd good one (upAfter 2: +10 s).
    // A cut site's camera and Wi-Fi point become UNREACHABLE in the same probe round as the site
    // goes DOWN (their own probes already fail) and recover in the round it recovers.
    const month = 30 * 24 * H;
    const cut1 = wib(1, 0, 30) + 10 * S - wib(1, 0, 0); // clipped at 1 Nov 00:00
    const cut2 = wib(10, 15, 30) + 10 * S - (wib(10, 14, 0) + 20 * S);
    const cut3 = wib(5, 12, 0) + 10 * S - (wib(5, 8, 0) + 20 * S);
    const maint = 2 * H;
    const pct = (down: number, excluded = 0) => ((month - excluded - down) / (month - excluded)) * 100;

    const reports = createReports({ stateLog: log, inventory: () => inventory, config, now: () => clock.now() });
    const r = reports.compute('2026-11');
    const row = (id: string) => r.devices.find((d) => d.id === id)!;

    const f5 = row('fo-baturaja-timur-05');
    expect(f5.outages).to.equal(2);
    expect(f5.downtimeMs).to.equal(cut1 + cut2);
    expect(f5.longestOutageMs).to.equal(cut2);
    expect(f5.mttrMs).to.equal((cut1 + cut2) / 2);
    expect(f5.availabilityPct!).to.be.closeTo(pct(cut1 + cut2), 0.01);
    for (const id of ['fo-baturaja-timur-07', 'cctv-03', 'wifi-02']) {
      expect(row(id).outages, id).to.equal(1);
      expect(row(id).downtimeMs, id).to.equal(cut3);
      expect(row(id).availabilityPct!, id).to.be.closeTo(pct(cut3), 0.01);
    }
    const c1 = row('cctv-01');
    expect(c1.outages).to.equal(0);
    expect(c1.maintenanceMs).to.equal(maint);
    expect(c1.maintenancePeriods).to.deep.equal([{ start: wib(20, 9, 0), end: wib(20, 11, 0) }]);
    expect(c1.availabilityPct).to.equal(100);
    expect(row('fo-core').availabilityPct).to.equal(100);

    // Type and whole-network figures weight by measured time.
    const fiberDown = cut1 + cut2 + cut3;
    const fibers = inventory.devices.filter((d) => d.type === 'fiber').length;
    const fiber = r.byType.find((g) => g.key === 'fiber')!;
    expect(fiber.outages).to.equal(3);
    expect(fiber.availabilityPct!).to.be.closeTo(((fibers * month - fiberDown) / (fibers * month)) * 100, 0.01);
    const n = inventory.devices.length;
    const totalDown = fiberDown + 2 * cut3;
    expect(r.total.availabilityPct!).to.be.closeTo(((n * month - maint - totalDown) / (n * month - maint)) * 100, 0.01);
    expect(r.total.outages).to.equal(5);

    // ---- CSV, HTML and PDF carry the same figures ----
    const csv = (await reports.render('2026-11', 'csv')).body.toString();
    expect(csv).to.include(`device,fo-baturaja-timur-05,`);
    expect(csv.split('\r\n').find((l) => l.startsWith('device,fo-baturaja-timur-05,'))).to.include(
      `,${pct(cut1 + cut2).toFixed(4)},2,`,
    );
    const html = (await reports.render('2026-11', 'html')).body.toString();
    expect(html).to.include('Laporan Ketersediaan Jaringan').and.include('PEMERINTAH KABUPATEN OGAN KOMERING ULU');
    const pdf = await reports.render('2026-11', 'pdf');
    expect(pdf.body.subarray(0, 5).toString()).to.equal('%PDF-');
    const pages = await pdfText(pdf.body);
    const all = pages.join('\n');
    expect(pages.length).to.be.greaterThan(3);
    expect(pages[0])
      .to.include('PEMERINTAH KABUPATEN OGAN KOMERING ULU')
      .and.include('LAPORAN KETERSEDIAAN JARINGAN')
      .and.include('November 2026');
    expect(pages[pages.length - 1]).to.include(`Halaman ${pages.length} dari ${pages.length}`);
    // The device table holds fo-baturaja-timur-05 with its availability (Indonesian decimal comma) and outage count.
    expect(all).to.match(
      new RegExp(
        `fo-baturaja-timur-05 +Dinas Kesehatan +Baturaja Timur +${pct(cut1 + cut2)
          .toFixed(2)
          .replace('.', ',')} +2 +2 j 00 m`,
      ),
    );
    expect(all).to.include('Ketersediaan per perangkat: Kamera CCTV');

    unsub();
    await alerting.stop();
    store.close();
  });
});
