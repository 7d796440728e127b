/** Bahasa Indonesia first; English one switch away. Keys are shared with alert messageKeys. */
import { deviceTypeWords } from '../../core/vocabulary/device-types.js';
import { ALERT_MESSAGES, fillTemplate } from '../../core/vocabulary/alert-messages.js';

export type Lang = 'id' | 'en';

const id = {
  title: 'Pusat Pemantauan Jaringan OKU',
  login: 'Masuk', logout: 'Keluar', username: 'Nama pengguna', password: 'Kata sandi',
  loginFailed: 'Nama pengguna atau kata sandi salah', loginLimited: 'Terlalu banyak percobaan. Coba lagi nanti.',
  live: 'Langsung', reconnecting: 'Menyambung ulang…', offline: 'Terputus',
  alerts: 'Alarm', myAlerts: 'Alarm saya', noAlerts: 'Tidak ada alarm aktif', all: 'Semua',
  search: 'Cari perangkat, IP, kecamatan…', type: 'Jenis', kecamatan: 'Kecamatan', state: 'Status',
  ack: 'Tangani', ackAgain: 'Tambah catatan', acked: 'Ditangani', ackTitle: 'Tandai alarm ditangani', comment: 'Komentar (mis. teknisi menuju lokasi)',
  cancel: 'Batal', save: 'Simpan', close: 'Tutup', details: 'Detail', navigate: 'Navigasi ke lokasi',
  ackBy: 'oleh', since: 'sejak', opened: 'dibuka', affected: 'perangkat terdampak', availabilityToday: 'ketersediaan hari ini',
  kiosk: 'Mode layar dinding', exitKiosk: 'Keluar mode layar dinding', language: 'English',
  tilesOffline: 'Peta dasar tidak tersedia — menampilkan jaringan tanpa latar peta',
  viewerCannotAck: 'Peran Anda hanya dapat melihat', parent: 'Uplink', children: 'perangkat di bawahnya', address: 'Alamat IP',
  vendor: 'Vendor', latency: 'Latensi (ms)', loss: 'Paket hilang (%)', traffic: 'Trafik (Mbps)', optical: 'Daya optik (dBm)', clients: 'Klien Wi-Fi',
  noData: 'belum ada data', lastHour: '1 jam terakhir', legend: 'Legenda', devices: 'perangkat', rootCause: 'Akar masalah',
  openAlerts: 'alarm terbuka', critical: 'kritis', warning: 'peringatan', info: 'info', resolved: 'Pulih', map: 'Peta', list: 'Daftar',
  maintenanceReason: 'Pemeliharaan terjadwal dari halaman NOC', maintenanceSet: 'Pemeliharaan dijadwalkan', withSubtree: 'dengan perangkat di bawahnya', schedule: 'Mulai sekarang',
  wholeNetwork: 'Seluruh jaringan', location: 'Lokasi', min: 'mnt', hr: 'jam', day: 'hari',
  soundOn: 'Suara aktif', soundOff: 'Suara mati', filtersClear: 'Hapus filter', showing: 'ditampilkan',
  noReply: 'tidak menjawab', why: 'Penyebab', impacted: 'perangkat terdampak',
  allAlertsBanner: 'Belum ada aturan routing untuk grup Anda: menampilkan SEMUA alarm.',
  skipToAlerts: 'Lompat ke daftar alarm', themeLight: 'Tema terang', themeDark: 'Tema gelap',
  scheduleBehind: 'Jadwal {kinds} tertinggal',
  clusterNoCore: 'Inti (core) tidak berjalan', clusterCollectorMissing: 'Kolektor hilang: {names}',
  clusterZoneOrphan: 'Zona tanpa kolektor: {zones}',
  // states
  UP: 'Normal', DEGRADED: 'Terganggu', DOWN: 'Mati', UNREACHABLE: 'Tak terjangkau', MAINTENANCE: 'Pemeliharaan', UNKNOWN: 'Belum diketahui',
  // roles
  'role.core': 'inti', 'role.distribution': 'distribusi', 'role.access': 'akses', 'role.ont': 'ONT', 'role.camera': 'kamera', 'role.ap': 'access point',
  // types
  ...deviceTypeWords((t) => t.page, 'id'),
  // the built-in alert messages, shared with the engine (unknown keys fall back to the alert's own Indonesian title)
  ...ALERT_MESSAGES.id,
};
type Dict = typeof id;

const en: Dict = {
  title: 'OKU Network Operations Centre',
  login: 'Log in', logout: 'Log out', username: 'Username', password: 'Password',
  loginFailed: 'Wrong username or password', loginLimited: 'Too many attempts. Try again later.',
  live: 'Live', reconnecting: 'Reconnecting…', offline: 'Disconnected',
  alerts: 'Alerts', myAlerts: 'My alerts', noAlerts: 'No active alerts', all: 'All',
  search: 'Search device, IP, district…', type: 'Type', kecamatan: 'District', state: 'State',
  ack: 'Acknowledge', ackAgain: 'Add a note', acked: 'Acknowledged', ackTitle: 'Acknowledge alert', comment: 'Comment (e.g. technician on the way)',
  cancel: 'Cancel', save: 'Save', close: 'Close', details: 'Details', navigate: 'Navigate to site',
  ackBy: 'by', since: 'since', opened: 'opened', affected: 'devices affected', availabilityToday: 'availability today',
  kiosk: 'Wall-screen mode', exitKiosk: 'Leave wall-screen mode', language: 'Bahasa Indonesia',
  tilesOffline: 'Base map unavailable — showing the network without map tiles',
  viewerCannotAck: 'Your role is read-only', parent: 'Uplink', children: 'devices below', address: 'IP address',
  vendor: 'Vendor', latency: 'Latency (ms)', loss: 'Packet loss (%)', traffic: 'Traffic (Mbps)', optical: 'Optical power (dBm)', clients: 'Wi-Fi clients',
  noData: 'no data yet', lastHour: 'last hour', legend: 'Legend', devices: 'devices', rootCause: 'Root cause',
  openAlerts: 'open alerts', critical: 'critical', warning: 'warning', info: 'info', resolved: 'Recovered', map: 'Map', list: 'List',
  maintenanceReason: 'Planned maintenance from the NOC page', maintenanceSet: 'Maintenance scheduled', withSubtree: 'with the devices below', schedule: 'Start now',
  wholeNetwork: 'Whole network', location: 'Location', min: 'min', hr: 'h', day: 'd',
  soundOn: 'Sound on', soundOff: 'Sound off', filtersClear: 'Clear filters', showing: 'shown',
  noReply: 'not answering', why: 'Cause', impacted: 'devices affected',
  allAlertsBanner: 'No alert routing names your group yet: showing ALL alerts.',
  skipToAlerts: 'Skip to the alert list', themeLight: 'Light theme', themeDark: 'Dark theme',
  scheduleBehind: '{kinds} behind schedule',
  clusterNoCore: 'No core running', clusterCollectorMissing: 'Collector missing: {names}',
  clusterZoneOrphan: 'Zone without a collector: {zones}',
  UP: 'Up', DEGRADED: 'Degraded', DOWN: 'Down', UNREACHABLE: 'Unreachable', MAINTENANCE: 'Maintenance', UNKNOWN: 'Unknown',
  'role.core': 'core', 'role.distribution': 'distribution', 'role.access': 'access', 'role.ont': 'ONT', 'role.camera': 'camera', 'role.ap': 'access point',
  ...deviceTypeWords((t) => t.page, 'en'),
  ...ALERT_MESSAGES.en,
};

const dicts: Record<Lang, Dict> = { id, en };
export type Key = keyof Dict;

let lang: Lang = (localStorage.getItem('pantau.lang') as Lang | null) ?? 'id';
const listeners = new Set<() => void>();

export const getLang = () => lang;
export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('pantau.lang', l);
  document.documentElement.lang = l;
  for (const f of listeners) f();
}
export const onLangChange = (f: () => void) => { listeners.add(f); };

export function t(key: Key | string, params: Record<string, string | number> = {}): string {
  const d = dicts[lang] as Record<string, string>;
  const s = d[key] ?? (id as Record<string, string>)[key] ?? key;
  return fillTemplate(s, params);
}

export function hasKey(key: string): boolean {
  return key in id;
}
