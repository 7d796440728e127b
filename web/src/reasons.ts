import { probeErrorText } from '../../core/probe-error-text.js';
import type { DeviceStatus } from '../../core/types.js';
import { getLang } from './i18n.js';
import { noDataText } from './no-data-text.js';

/**
 * Why a device is in its state, as an operator sentence (id/en). The engine's DeviceStatus.reason
 * keys are translated here; a standing probe failure (DeviceStatus.probeError) is rendered by the
 * engine's own catalogue, core/probe-error-text.ts, so the page and the alert texts say the same.
 */
export const REASON_TEXT: Record<string, { id: string; en: string }> = {
  icmp_loss: { id: 'Tidak menjawab ping', en: 'Not answering ping' },
  trap_link_down: {
    id: 'Uplink putus (trap linkDown dari perangkat)',
    en: 'Uplink down (linkDown trap from the device)',
  },
  snmp_failing: { id: 'Ping normal tetapi SNMP tidak menjawab', en: 'Ping fine but SNMP not answering' },
  onvif_failing: {
    id: 'Ping normal tetapi ONVIF kamera tidak menjawab',
    en: "Ping fine but the camera's ONVIF is not answering",
  },
  camera_media_failing: { id: 'Gambar/stream kamera gagal diambil', en: 'Camera snapshot/stream failing' },
  flapping: { id: 'Tidak stabil: sering putus-sambung', en: 'Unstable: going up and down repeatedly' },
  upstream_down: {
    id: 'Tak terjangkau karena perangkat di atasnya mati',
    en: 'Unreachable because a device above it is down',
  },
  upstream_suspect: { id: 'Perangkat di atasnya sedang diperiksa', en: 'The device above it is being checked' },
  upstream_unverified: { id: 'Menunggu hasil uplink', en: "Waiting for the uplink's result" },
  upstream_recovering: { id: 'Perangkat di atasnya baru pulih', en: 'The device above it is recovering' },
  maintenance: { id: 'Dalam pemeliharaan terjadwal', en: 'In planned maintenance' },
  // Without its time (the status always carries it: see noDataText).
  no_data: { id: 'Tidak ada data', en: 'No data' },
  // Public applications (type service, ADR 0701).
  service_down: { id: 'Aplikasi tidak berfungsi (cek HTTP gagal)', en: 'Application not working (HTTP check failing)' },
  http_slow: {
    id: 'Aplikasi lambat: waktu respons di atas batas',
    en: 'Application slow: response time above its limit',
  },
  http_failing: { id: 'Cek HTTP gagal', en: 'HTTP check failing' },
  tls_failing: { id: 'Sertifikat TLS bermasalah', en: 'TLS certificate problem' },
  dns_failing: {
    id: 'Nama domain tidak terjawab dengan benar oleh DNS',
    en: 'The domain name does not resolve correctly',
  },
  tcp_failing: { id: 'Port layanan tidak menjawab', en: 'Service port not answering' },
};

type StatusLike = Pick<DeviceStatus, 'reason' | 'probeError' | 'noDataSince'>;

/**
 * The sentence for a status, '' when there is nothing to say. A failing SNMP/ONVIF check names
 * its error ("ONVIF: login ditolak: …"), even while the device is still UP; a device that does not
 * answer ping, or is cut off behind another, is explained by its reason.
 */
export function statusReason(st: StatusLike | undefined): string {
  if (!st) return '';
  const lang = getLang();
  // No data: the last probe error is old news; what the operator needs is since when nothing came.
  if (st.reason === 'no_data') return noDataText(st.noDataSince, lang);
  const pe = st.probeError;
  const byReason = st.reason ? REASON_TEXT[st.reason]?.[lang] : undefined;
  if (pe && (pe.kind !== 'icmp' || !byReason)) return capitalize(probeErrorText(pe.code, pe.kind, lang, pe.hint));
  return byReason ?? '';
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
