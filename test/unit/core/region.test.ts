import { expect } from 'chai';
import { getDistricts, getRegencies } from 'idn-area-data';
import { loadConfig } from '../../../core/config/load.js';
import type { PantauError } from '../../../core/errors.js';
import { regionFromKemendagri, timeZoneOfProvince } from '../../../core/region/init.js';
import { loadDefaultRegion } from '../../../core/region/load.js';
import { formatInZone, minuteOfDayIn } from '../../../core/time.js';
import { tempTree } from '../../helpers/tmp.js';

const makassarRegion = `name: Kota Makassar
shortName: Makassar
code: "73.71"
timeZone: WITA
bounds: { minLat: -5.25, maxLat: -5.0, minLon: 119.3, maxLon: 119.6 }
kecamatan:
  - { id: "73.71.07", name: Tallo }
  - { id: "73.71.13", name: Rappocini }
`;
const dev = (id: string, kec: string, lat: number, lon: number, parent: string | null) => `
  - { id: ${id}, name: ${id}, type: fiber, role: access, kecamatan: ${kec}, lat: ${lat}, lon: ${lon}, address: 127.0.0.${id.length}, parent: ${parent ?? 'null'}, probes: {} }`;

describe('core/region', () => {
  it('OKU is the default region: 16.01, WIB, exactly the 13 kecamatan of the shipped inventory', () => {
    const loaded = loadConfig('config/pantau.yaml', {});
    expect(loaded.region).to.include({ code: '16.01', shortName: 'OKU', timeZone: 'WIB' });
    const used = new Set(loaded.inventory.devices.map((d) => d.kecamatan));
    expect(loaded.region.kecamatan.map((k) => k.name).sort()).to.deep.equal([...used].sort());
    expect(loaded.region.kecamatan).to.have.length(13);
  });

  it("`region init 16.01` from idn-area-data gives exactly OKU's kecamatan names and codes", async () => {
    const r = regionFromKemendagri('16.01', await getRegencies(), await getDistricts());
    const oku = loadDefaultRegion();
    expect(r.kecamatan.map((k) => `${k.id} ${k.name}`)).to.deep.equal(oku.kecamatan.map((k) => `${k.id} ${k.name}`));
    expect(r).to.include({ name: 'Kabupaten Ogan Komering Ulu', timeZone: 'WIB' });
    const mks = regionFromKemendagri('73.71', await getRegencies(), await getDistricts(), [
      { kecamatan: 'Tallo', lat: -5.1, lon: 119.44 },
    ]);
    expect(mks).to.include({ name: 'Kota Makassar', shortName: 'Makassar', timeZone: 'WITA' });
    expect(mks.kecamatan).to.have.length(15);
    expect(mks.kecamatan.find((k) => k.name === 'Tallo')!.centroid).to.deep.equal({ lat: -5.1, lon: 119.44 });
    const regencies = await getRegencies();
    expect(() => regionFromKemendagri('99.99', regencies, [])).to.throw(/no regency with Kemendagri code "99\.99"/);
  });

  it('time zones follow the province: Sumatra WIB, Bali/Sulawesi/East Kalimantan WITA, Papua WIT', () => {
    expect(['16', '31', '61', '62'].map(timeZoneOfProvince)).to.deep.equal(['WIB', 'WIB', 'WIB', 'WIB']);
    expect(['51', '64', '73'].map(timeZoneOfProvince)).to.deep.equal(['WITA', 'WITA', 'WITA']);
    expect(['81', '91', '94'].map(timeZoneOfProvince)).to.deep.equal(['WIT', 'WIT', 'WIT']);
    const t = Date.UTC(2026, 10, 28, 1, 15, 3);
    expect(formatInZone(t, 'WIB')).to.equal('28/11/2026 08.15.03 WIB');
    expect(formatInZone(t, 'WITA')).to.equal('28/11/2026 09.15.03 WITA');
    expect(formatInZone(t, 'WIT', { seconds: false })).to.equal('28/11/2026 10.15 WIT');
    expect(minuteOfDayIn(t, 'WITA')).to.equal(9 * 60 + 15);
  });

  it("a region file makes another regency's kecamatan and coordinates valid, and OKU's invalid", () => {
    const t = tempTree({
      'pantau.yaml': 'inventory: [inv.yaml]\nregion: makassar.yaml\n',
      'makassar.yaml': makassarRegion,
      'inv.yaml': `devices:${dev('core', 'Tallo', -5.1, 119.44, null)}${dev('rap', 'Rappocini', -5.17, 119.44, 'core')}`,
      'bad.yaml': 'inventory: [bad-inv.yaml]\nregion: makassar.yaml\n',
      'bad-inv.yaml': `devices:${dev('core', 'Tallo', -5.1, 119.44, null)}${dev('oku', 'Lengkiti', -4.2, 103.9, 'core')}${dev('typo', 'tallo', -5.1, 119.44, 'core')}`,
    });
    try {
      const loaded = loadConfig(t.path('pantau.yaml'), {});
      expect(loaded.region.timeZone).to.equal('WITA');
      expect(loaded.inventory.devices.map((d) => d.kecamatan)).to.deep.equal(['Tallo', 'Rappocini']);
      let err: PantauError | undefined;
      try {
        loadConfig(t.path('bad.yaml'), {});
      } catch (e) {
        err = e as PantauError;
      }
      const text = err!.details.join('\n');
      expect(text).to.match(
        /bad-inv\.yaml:3 devices\[1\]\.kecamatan: unknown kecamatan "Lengkiti" in Makassar \(one of: Tallo, Rappocini\)/,
      );
      expect(text).to.match(/devices\[1\]\.lat: latitude -4\.2 is outside Makassar \(-5\.25\.\.-5\)/);
      expect(text).to.match(/devices\[2\]\.kecamatan: kecamatan "tallo" is spelled "Tallo" in the region/);
      expect(err!.details).to.have.length(5); // + lon, + the duplicate address of my short ids
    } finally {
      t.cleanup();
    }
  });

  it('the region may be inline in pantau.yaml; its own errors point into pantau.yaml', () => {
    const inline = `inventory: [inv.yaml]\nregion:\n${makassarRegion
      .split('\n')
      .map((l) => (l ? `  ${l}` : l))
      .join('\n')}`;
    const t = tempTree({
      'pantau.yaml': inline,
      'broken.yaml': 'inventory: [inv.yaml]\nregion:\n  name: X\n  shortName: X\n  timeZone: CET\n  kecamatan: []\n',
      'inv.yaml': `devices:${dev('core', 'Tallo', -5.1, 119.44, null)}`,
    });
    try {
      expect(loadConfig(t.path('pantau.yaml'), {}).region.shortName).to.equal('Makassar');
      let err: PantauError | undefined;
      try {
        loadConfig(t.path('broken.yaml'), {});
      } catch (e) {
        err = e as PantauError;
      }
      const text = err!.details.join('\n');
      expect(text).to.match(/broken\.yaml:5 region\.timeZone: /);
      expect(text).to.match(/broken\.yaml:6 region\.kecamatan: /);
    } finally {
      t.cleanup();
    }
  });
});
