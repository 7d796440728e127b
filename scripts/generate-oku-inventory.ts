/**
 * Generates config/inventory/oku.yaml, the illustrative OKU inventory (227 devices), deterministically.
 * Run: npx tsx scripts/generate-oku-inventory.ts > config/inventory/oku.yaml
 */
import { stringify } from 'yaml';
import type { z } from 'zod';
import { OKU_KECAMATAN, type deviceSchema } from '../core/inventory/schema.js';

type Kec = (typeof OKU_KECAMATAN)[number];

const CENTRES: Record<Kec, [number, number]> = {
  'Baturaja Timur': [-4.128, 104.182],
  'Baturaja Barat': [-4.142, 104.138],
  Lengkiti: [-4.205, 103.935],
  'Sosoh Buay Rayap': [-4.232, 104.052],
  Pengandonan: [-4.283, 104.004],
  Peninjauan: [-3.985, 104.248],
  'Semidang Aji': [-4.305, 103.884],
  'Ulu Ogan': [-4.385, 103.822],
  'Muara Jaya': [-4.422, 103.905],
  'Lubuk Batang': [-4.035, 104.118],
  'Sinar Peninjauan': [-3.932, 104.302],
  'Kedaton Peninjauan Raya': [-3.955, 104.198],
  'Lubuk Raja': [-4.082, 104.292],
};

// Fiber leaf sites per kecamatan: the capital's two kecamatan hold most offices. Sums to 176.
const LEAVES: Record<Kec, number> = {
  'Baturaja Timur': 40,
  'Baturaja Barat': 22,
  Lengkiti: 11,
  'Sosoh Buay Rayap': 11,
  Pengandonan: 10,
  Peninjauan: 11,
  'Semidang Aji': 10,
  'Ulu Ogan': 10,
  'Muara Jaya': 10,
  'Lubuk Batang': 11,
  'Sinar Peninjauan': 10,
  'Kedaton Peninjauan Raya': 10,
  'Lubuk Raja': 10,
};

const CAPITAL_SITES = [
  'Kantor Bupati OKU',
  'Sekretariat Daerah',
  'Gedung DPRD OKU',
  'Dinas Kominfo',
  'Dinas Kesehatan',
  'Dinas Pendidikan',
  'Bappeda',
  'BPKAD',
  'Dinas PUPR',
  'Dinas Sosial',
  'Dinas Perhubungan',
  'Disdukcapil',
  'DPMPTSP',
  'Inspektorat',
  'Satpol PP',
  'BPBD',
  'RSUD Ibnu Sutowo',
  'Dinas Pertanian',
  'Dinas Lingkungan Hidup',
  'Dinas Perpustakaan',
  'Dinas Pariwisata',
  'Dinas Koperasi dan UKM',
  'Dinas Tenaga Kerja',
  'BKPSDM',
  'Bapenda',
  'Dinas Perdagangan',
  'Dinas Ketahanan Pangan',
  'Dinas PMD',
  'Kesbangpol',
  'Mal Pelayanan Publik',
  'Pasar Baru Baturaja',
  'Terminal Baturaja',
  'Stadion Baturaja',
  'Masjid Agung As-Salam',
  'Taman Kota Baturaja',
  'Alun-alun Baturaja',
  'Gedung Kesenian',
  'Kantor Lurah Kemalaraja',
  'Kantor Lurah Sukaraya',
  'Kantor Lurah Talang Jawa',
  'Kantor Lurah Sekar Jaya',
  'Kantor Lurah Air Gading',
  'Kantor Lurah Baturaja Lama',
  'Kantor Lurah Pasar Baru',
  'Puskesmas Baturaja',
  'Puskesmas Sekar Jaya',
  'Puskesmas Tanjung Baru',
  'SMA Negeri 1 OKU',
  'SMA Negeri 2 OKU',
  'SMA Negeri 3 OKU',
  'SMP Negeri 1 OKU',
  'SMP Negeri 2 OKU',
  'SMP Negeri 3 OKU',
  'SMP Negeri 4 OKU',
  'SMK Negeri 1 OKU',
  'SMK Negeri 2 OKU',
  'Gedung Serbaguna',
  'Rumah Dinas Bupati',
  'Kantor Kemenag OKU',
  'Balai Latihan Kerja',
  'GOR Baturaja',
  'Perpustakaan Daerah',
  'Kantor PDAM Tirta Raja',
];

const RURAL_SITES = [
  'Kantor Camat',
  'Puskesmas',
  'Polsek',
  'Koramil',
  'KUA',
  'UPTD Pendidikan',
  'SMP Negeri 1',
  'SMA Negeri 1',
  'SD Negeri 1',
  'SD Negeri 2',
  'Pustu',
  'Balai Penyuluhan Pertanian',
  'Pasar',
  'Kantor Desa Sukamaju',
  'Kantor Desa Tanjung Agung',
];

const CAMERA_SITES = [
  'Simpang Tugu Ogan',
  'Jembatan Ogan',
  'Simpang Empat Pasar Baru',
  'Alun-alun Utara',
  'Alun-alun Selatan',
  'Depan Kantor Bupati',
  'Terminal Baturaja',
  'Stasiun Baturaja',
  'Simpang Kemelak',
  'Jalan Dr. M. Hatta',
  'Jalan Jenderal Sudirman',
  'Taman Kota',
  'Pasar Baru Pintu 1',
  'Pasar Baru Pintu 2',
  'Simpang Tiga Sukaraya',
  'RSUD Ibnu Sutowo',
  'Masjid Agung',
  'Stadion Baturaja',
  'Simpang Pusri',
  'Pintu Tol Baturaja',
];

const WIFI_SITES = [
  'Alun-alun Baturaja',
  'Taman Kota Baturaja',
  'Pasar Baru Baturaja',
  'Terminal Baturaja',
  'Mal Pelayanan Publik',
  'Perpustakaan Daerah',
  'GOR Baturaja',
  'Masjid Agung As-Salam',
  'Kantor Camat Lengkiti',
  'Kantor Camat Peninjauan',
  'Kantor Camat Ulu Ogan',
  'Kantor Camat Lubuk Raja',
  'Kantor Camat Semidang Aji',
  'Kantor Camat Muara Jaya',
  'Stadion Baturaja',
];

// Deterministic jitter (mulberry32): the file is stable across runs.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261128);
const near = ([lat, lon]: [number, number], spread: number): { lat: number; lon: number } => ({
  lat: Math.round((lat + (rand() - 0.5) * spread) * 1e5) / 1e5,
  lon: Math.round((lon + (rand() - 0.5) * spread) * 1e5) / 1e5,
});
const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

type Out = z.input<typeof deviceSchema>;
const devices: Out[] = [];
const v2c = (uplinkIfIndex?: number) => ({
  version: 'v2c' as const,
  credentials: 'oku-v2c',
  ...(uplinkIfIndex ? { uplinkIfIndex } : {}),
});
const v3 = (uplinkIfIndex?: number) => ({
  version: 'v3' as const,
  credentials: 'oku-v3',
  ...(uplinkIfIndex ? { uplinkIfIndex } : {}),
});

devices.push({
  id: 'fo-core',
  name: 'Core Diskominfo (Data Center Baturaja)',
  type: 'fiber',
  role: 'core',
  kecamatan: 'Baturaja Timur',
  ...near(CENTRES['Baturaja Timur'], 0.004),
  address: '127.20.0.1',
  parent: null,
  vendor: 'mikrotik',
  model: 'CCR2004-16G-2S+',
  tags: ['core', 'datacenter'],
  probes: { icmp: { enabled: true }, snmp: v3(1) },
});

const leavesByKec = new Map<Kec, string[]>();
OKU_KECAMATAN.forEach((kec, k) => {
  const distId = `fo-${slug(kec)}`;
  const huawei = k % 3 === 1;
  devices.push({
    id: distId,
    name: `Node Distribusi ${kec}`,
    type: 'fiber',
    role: 'distribution',
    kecamatan: kec,
    ...near(CENTRES[kec], 0.01),
    address: `127.20.${k + 1}.1`,
    parent: 'fo-core',
    vendor: huawei ? 'huawei' : 'mikrotik',
    model: huawei ? 'S5735-L24T4S' : 'CRS326-24S+2Q+',
    tags: ['distribution'],
    probes: { icmp: { enabled: true }, snmp: v3(1) },
  });
  const capital = kec.startsWith('Baturaja');
  const names = capital
    ? CAPITAL_SITES.slice(kec === 'Baturaja Timur' ? 0 : 40).slice(0, LEAVES[kec])
    : RURAL_SITES.slice(0, LEAVES[kec]).map((s) => (s.startsWith('Kantor Desa') ? s : `${s} ${kec}`));
  const ids: string[] = [];
  names.forEach((name, n) => {
    const vendorCycle = (['huawei', 'zte', 'mikrotik', 'huawei', 'zte', 'generic'] as const)[(k + n) % 6]!;
    const role = vendorCycle === 'mikrotik' || vendorCycle === 'generic' ? 'access' : 'ont';
    const model = {
      huawei: 'EchoLife HG8245H5',
      zte: 'ZXHN F670L',
      mikrotik: 'hEX RB750Gr3',
      generic: 'Managed switch',
      ubiquiti: '',
    }[vendorCycle];
    const id = `fo-${slug(kec)}-${String(n + 1).padStart(2, '0')}`;
    ids.push(id);
    devices.push({
      id,
      name,
      type: 'fiber',
      role,
      kecamatan: kec,
      ...near(CENTRES[kec], capital ? 0.03 : 0.06),
      address: `127.20.${k + 1}.${n + 10}`,
      parent: distId,
      vendor: vendorCycle,
      model,
      tags: capital ? ['opd'] : ['kecamatan'],
      probes: { icmp: { enabled: true }, snmp: v2c(1) },
    });
  });
  leavesByKec.set(kec, ids);
});

const baturaja = [...leavesByKec.get('Baturaja Timur')!, ...leavesByKec.get('Baturaja Barat')!];
CAMERA_SITES.forEach((site, n) => {
  const parent = baturaja[(n * 3) % baturaja.length]!;
  const kec: Kec =
    baturaja.indexOf(parent) < leavesByKec.get('Baturaja Timur')!.length ? 'Baturaja Timur' : 'Baturaja Barat';
  const hik = n % 2 === 0;
  devices.push({
    id: `cctv-${String(n + 1).padStart(2, '0')}`,
    name: `CCTV ${site}`,
    type: 'cctv',
    role: 'camera',
    kecamatan: kec,
    ...near(CENTRES[kec], 0.03),
    address: `127.21.0.${n + 10}`,
    parent,
    vendor: 'generic',
    model: hik ? 'DS-2CD2143G2-I' : 'IPC-HFW2431S-S2',
    firmware: hik ? 'V5.7.3' : 'V2.800.0000000.28.R',
    serial: `OKU-CAM-${String(n + 1).padStart(4, '0')}`,
    tags: ['cctv', 'publik'],
    probes: { icmp: { enabled: true }, onvif: { enabled: true, credentials: 'cctv', port: 80 } },
  });
});

const kecByName = (site: string): Kec =>
  OKU_KECAMATAN.find((k) => site.endsWith(k)) ??
  (site.includes('Baturaja') || !site.startsWith('Kantor Camat') ? 'Baturaja Timur' : 'Baturaja Timur');
WIFI_SITES.forEach((site, n) => {
  const kec = kecByName(site);
  const leaves = kec.startsWith('Baturaja') ? baturaja : leavesByKec.get(kec)!;
  const parent = leaves[kec.startsWith('Baturaja') ? (n * 5 + 1) % leaves.length : 0]!;
  const unifi = n % 3 !== 2;
  devices.push({
    id: `wifi-${String(n + 1).padStart(2, '0')}`,
    name: `Wi-Fi Publik ${site}`,
    type: 'wifi',
    role: 'ap',
    kecamatan: kec,
    ...near(CENTRES[kec], 0.02),
    address: `127.22.0.${n + 10}`,
    parent,
    vendor: unifi ? 'ubiquiti' : 'mikrotik',
    model: unifi ? 'UniFi U6 Mesh' : 'wAP ac',
    openingHours: '06:00-22:00',
    tags: ['wifi', 'publik'],
    probes: { icmp: { enabled: true }, snmp: v2c(1) },
  });
});

(['Lengkiti', 'Ulu Ogan'] as const).forEach((kec, n) => {
  const village = ['Desa Gunung Meraksa', 'Desa Ulak Lebar'][n]!;
  devices.push({
    id: `desa-${String(n + 1).padStart(2, '0')}`,
    name: `Internet Desa ${village}`,
    type: 'village',
    role: 'ap',
    kecamatan: kec,
    ...near(CENTRES[kec], 0.05),
    address: `127.23.0.${n + 10}`,
    parent: leavesByKec.get(kec)![1]!,
    vendor: 'mikrotik',
    model: 'hAP ac2',
    tags: ['internet-desa'],
    probes: { icmp: { enabled: true }, snmp: v2c(1) },
  });
});

const header = `# Inventaris jaringan smart city Kabupaten Ogan Komering Ulu (OKU) — ${devices.length} perangkat.
# The OKU inventory for pantau. ILLUSTRATIVE: names, addresses and coordinates are NOT the real
# network. Addresses are in 127.0.0.0/8 so the network lab can stand in for every device on one
# machine; replace them with the real management addresses when deploying.
# Topology: core (Diskominfo data centre) → one distribution node per kecamatan → fiber sites →
# CCTV cameras, public Wi-Fi points and Internet Desa hang off fiber sites.
# Generated by scripts/generate-oku-inventory.ts; edit that script, not this file.
`;
process.stdout.write(header + stringify({ devices }, { lineWidth: 0 }));
