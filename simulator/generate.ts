import { stringify } from 'yaml';
import { deviceSchema, OKU_BOUNDS, OKU_KECAMATAN, type Device } from '../core/inventory/schema.js';
import type { Region } from '../core/region/schema.js';
import { buildInventory, type Inventory } from '../core/inventory/topology.js';
import { unit } from './model/traffic.js';

/**
 * A generated inventory for scale tests: one core, one distribution node per kecamatan, access
 * sites under those (about 1 per 25 devices), and leaves under the sites: mostly ONTs, 5 %
 * cameras, 5 % Wi-Fi points. Addresses 127.30+.b.c (c = 1…250), deterministic for a given n.
 */
export interface GenerateOptions {
  devices: number;
  firstOctet?: number;
  /** Kecamatan and bounds to spread devices over (default OKU's). */
  region?: Pick<Region, 'kecamatan' | 'bounds'>;
  /** Credential names are `<prefix>-v2c`, `<prefix>-v3` (default "oku"). */
  credentialPrefix?: string;
}

export function generateDevices(opts: GenerateOptions): Device[] {
  const n = Math.max(15, Math.floor(opts.devices));
  const KECAMATAN: readonly string[] = opts.region ? opts.region.kecamatan.map((k) => k.name) : OKU_KECAMATAN;
  const B = opts.region?.bounds ?? OKU_BOUNDS;
  // OKU keeps its 0.1° inset (generated OKU inventories stay identical); a small city gets a tenth of its box.
  const span = (lo: number, hi: number) => (opts.region ? Math.min(0.1, (hi - lo) / 10) : 0.1);
  const cp = opts.credentialPrefix ?? 'oku';
  const base = opts.firstOctet ?? 30;
  const addr = (i: number) => {
    const a = Math.floor(i / 250);
    return `127.${base + Math.floor(a / 250)}.${a % 250}.${(i % 250) + 1}`;
  };
  const out: Device[] = [];
  const at = (i: number) => ({
    lat: B.minLat + span(B.minLat, B.maxLat) + (B.maxLat - B.minLat - 2 * span(B.minLat, B.maxLat)) * unit(`g${i}/lat`),
    lon: B.minLon + span(B.minLon, B.maxLon) + (B.maxLon - B.minLon - 2 * span(B.minLon, B.maxLon)) * unit(`g${i}/lon`),
  });
  const push = (d: Record<string, unknown>) =>
    out.push(deviceSchema.parse({ ...at(out.length), address: addr(out.length), ...d }));
  const v2c = { icmp: { enabled: true }, snmp: { version: 'v2c', credentials: `${cp}-v2c`, uplinkIfIndex: 1 } };
  push({
    id: 'gen-core',
    name: 'Core (generated)',
    type: 'fiber',
    role: 'core',
    kecamatan: KECAMATAN[0]!,
    parent: null,
    vendor: 'mikrotik',
    model: 'CCR2116-12G-4S+',
    probes: { icmp: { enabled: true }, snmp: { version: 'v3', credentials: `${cp}-v3`, uplinkIfIndex: 1 } },
  });
  const dists = KECAMATAN.map((k, i) => {
    const id = `gen-d${String(i + 1).padStart(2, '0')}`;
    push({
      id,
      name: `Distribusi ${k}`,
      type: 'fiber',
      role: 'distribution',
      kecamatan: k,
      parent: 'gen-core',
      vendor: 'mikrotik',
      model: 'CRS326-24S+2Q+',
      probes: v2c,
    });
    return { id, k };
  });
  const sitesWanted = Math.max(1, Math.floor((n - out.length) / 25));
  const sites: Array<{ id: string; k: Device['kecamatan'] }> = [];
  for (let s = 0; s < sitesWanted && out.length < n; s++) {
    const dist = dists[s % dists.length]!;
    const id = `gen-s${s + 1}`;
    push({
      id,
      name: `Site ${s + 1}`,
      type: 'fiber',
      role: 'access',
      kecamatan: dist.k,
      parent: dist.id,
      vendor: s % 3 === 0 ? 'huawei' : s % 3 === 1 ? 'zte' : 'mikrotik',
      model: 'Access switch',
      probes: v2c,
    });
    sites.push({ id, k: dist.k });
  }
  const vendors: Device['vendor'][] = ['huawei', 'zte', 'huawei', 'zte', 'mikrotik', 'generic'];
  for (let j = 0; out.length < n; j++) {
    const site = sites[j % sites.length]!;
    const r = j % 20;
    if (r === 0) {
      push({
        id: `gen-cam${j}`,
        name: `CCTV ${j}`,
        type: 'cctv',
        role: 'camera',
        kecamatan: site.k,
        parent: site.id,
        vendor: 'generic',
        model: 'DS-2CD2143G2-I',
        firmware: 'V5.7.3',
        serial: `GEN-CAM-${j}`,
        probes: { icmp: { enabled: true }, onvif: { credentials: 'cctv', port: 80 } },
      });
    } else if (r === 10) {
      push({
        id: `gen-ap${j}`,
        name: `Wi-Fi ${j}`,
        type: 'wifi',
        role: 'ap',
        kecamatan: site.k,
        parent: site.id,
        vendor: 'ubiquiti',
        model: 'UniFi U6 Lite',
        openingHours: '06:00-22:00',
        probes: { icmp: { enabled: true }, snmp: { version: 'v2c', credentials: `${cp}-v2c` } },
      });
    } else {
      push({
        id: `gen-ont${j}`,
        name: `ONT ${j}`,
        type: 'fiber',
        role: 'ont',
        kecamatan: site.k,
        parent: site.id,
        vendor: vendors[j % vendors.length]!,
        model: 'ONT',
        probes: v2c,
      });
    }
  }
  return out;
}

export function generateInventory(opts: GenerateOptions): Inventory {
  return buildInventory(generateDevices(opts));
}

/** The inventory as YAML, loadable with `pantau lab --inventory` or an `inventory:` entry. */
export function generatedInventoryYaml(opts: GenerateOptions): string {
  return `# Generated by simulator/generate.ts (${opts.devices} devices) for scale tests; not a real network.\n${stringify({ devices: generateDevices(opts) })}`;
}
