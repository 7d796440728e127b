/** Words of the availability report, Bahasa Indonesia first. */
import { deviceTypeWords } from '../core/vocabulary/device-types.js';

export type Lang = 'id' | 'en';

export const REPORT_TEXT = {
  id: {
    title: 'Laporan Ketersediaan Jaringan',
    period: 'Periode',
    generated: 'Dibuat',
    summary: 'Ringkasan',
    byType: 'Per jenis perangkat',
    byKecamatan: 'Per kecamatan',
    byDevice: 'Per perangkat',
    maintenance: 'Jendela pemeliharaan (tidak dihitung)',
    level: 'tingkat',
    device: 'Perangkat',
    name: 'Nama',
    type: 'Jenis',
    kecamatan: 'Kecamatan',
    devices: 'Jumlah perangkat',
    availability: 'Ketersediaan (%)',
    outages: 'Gangguan',
    downtime: 'Total waktu padam',
    mttr: 'MTTR',
    longest: 'Gangguan terlama',
    maintenanceTime: 'Pemeliharaan',
    noData: 'Tanpa data',
    start: 'Mulai',
    end: 'Selesai',
    duration: 'Durasi',
    total: 'Seluruh jaringan',
    none: 'tidak ada',
    page: 'Halaman',
    of: 'dari',
    method:
      'Ketersediaan = waktu UP/DEGRADED ÷ (waktu UP/DEGRADED + waktu DOWN/UNREACHABLE). Waktu pemeliharaan dan waktu tanpa data tidak dihitung. MTTR = total waktu padam ÷ jumlah gangguan.',
    chart: 'Ketersediaan per perangkat',
    types: deviceTypeWords((t) => t.report, 'id') as Record<string, string>,
  },
  en: {
    title: 'Network Availability Report',
    period: 'Period',
    generated: 'Generated',
    summary: 'Summary',
    byType: 'By device type',
    byKecamatan: 'By kecamatan',
    byDevice: 'By device',
    maintenance: 'Maintenance windows (excluded)',
    level: 'level',
    device: 'Device',
    name: 'Name',
    type: 'Type',
    kecamatan: 'Kecamatan',
    devices: 'Devices',
    availability: 'Availability (%)',
    outages: 'Outages',
    downtime: 'Total downtime',
    mttr: 'MTTR',
    longest: 'Longest outage',
    maintenanceTime: 'Maintenance',
    noData: 'No data',
    start: 'Start',
    end: 'End',
    duration: 'Duration',
    total: 'Whole network',
    none: 'none',
    page: 'Page',
    of: 'of',
    method:
      'Availability = UP/DEGRADED time ÷ (UP/DEGRADED time + DOWN/UNREACHABLE time). Maintenance and no-data time are excluded. MTTR = total downtime ÷ outages.',
    chart: 'Availability per device',
    types: deviceTypeWords((t) => t.report, 'en') as Record<string, string>,
  },
} as const;

/** `99.95` with two decimals (the report's precision), `—` when nothing was measured. */
export const formatPct = (v: number | null, lang: Lang = 'id'): string =>
  v === null ? '—' : lang === 'id' ? v.toFixed(2).replace('.', ',') : v.toFixed(2);
