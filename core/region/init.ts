import type { Region, RegionBounds, TimeZoneName } from './schema.js';

/** Kemendagri province code → time zone (Indonesia's three zones follow province lines). */
const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT_PROVINCES = new Set(['81', '82', '91', '92', '93', '94', '95', '96', '97']);

export function timeZoneOfProvince(provinceCode: string): TimeZoneName {
  if (WIT_PROVINCES.has(provinceCode)) return 'WIT';
  if (WITA_PROVINCES.has(provinceCode)) return 'WITA';
  return 'WIB';
}

/** "KABUPATEN OGAN KOMERING ULU" → "Kabupaten Ogan Komering Ulu". */
export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

export interface AreaRow {
  code: string;
  name: string;
}
export interface DevicePoint {
  kecamatan: string;
  lat: number;
  lon: number;
}

/**
 * A region from the official list (npm idn-area-data): name and kecamatan from Kemendagri, the
 * zone from the province. Coordinates are not in that list: with devices, the bounds (plus a margin),
 * home view and kecamatan centroids come from them; without, the operator adds them.
 */
export function regionFromKemendagri(
  code: string,
  regencies: readonly AreaRow[],
  districts: readonly (AreaRow & { regency_code: string })[],
  devices: readonly DevicePoint[] = [],
): Region {
  const regency = regencies.find((r) => r.code === code);
  if (!regency)
    throw new Error(
      `no regency with Kemendagri code "${code}" (e.g. 16.01 = Ogan Komering Ulu, 73.71 = Kota Makassar)`,
    );
  const name = titleCase(regency.name);
  const kec = districts.filter((d) => d.regency_code === code).sort((a, b) => a.code.localeCompare(b.code));
  const centroid = (kname: string) => {
    const pts = devices.filter((d) => d.kecamatan.toLowerCase() === kname.toLowerCase());
    if (pts.length === 0) return undefined;
    return {
      lat: round(pts.reduce((s, p) => s + p.lat, 0) / pts.length),
      lon: round(pts.reduce((s, p) => s + p.lon, 0) / pts.length),
    };
  };
  const bounds = boundsOf(devices, 0.05);
  return {
    code,
    name,
    shortName: name.replace(/^(Kabupaten|Kota)\s+/, ''),
    timeZone: timeZoneOfProvince(code.slice(0, 2)),
    ...(bounds
      ? {
          bounds,
          home: {
            lat: round((bounds.minLat + bounds.maxLat) / 2),
            lon: round((bounds.minLon + bounds.maxLon) / 2),
            zoom: 11,
          },
        }
      : {}),
    kecamatan: kec.map((d) => {
      const c = centroid(d.name);
      return { id: d.code, name: d.name, ...(c ? { centroid: c } : {}) };
    }),
  };
}

/** The devices' box grown by `marginDeg` on each side; undefined without devices. */
export function boundsOf(points: readonly { lat: number; lon: number }[], marginDeg: number): RegionBounds | undefined {
  if (points.length === 0) return undefined;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  return {
    minLat: round(Math.min(...lats) - marginDeg),
    maxLat: round(Math.max(...lats) + marginDeg),
    minLon: round(Math.min(...lons) - marginDeg),
    maxLon: round(Math.max(...lons) + marginDeg),
  };
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
