import type { DeviceStatus } from '../../core/types.js';
import { getLang } from './i18n.js';

/**
 * Why a device is in its state, as an operator sentence (id/en). Keys are the engine's
 * DeviceStatus.reason values and the probe error codes (core/errors.ts) it may attach as `code`.
 * The engine side owns the catalogue (issue 11); this table is the page's copy of it.
 */
export const REASON_TEXT: Record<string, { id: string; en: string }> = {
  icmp_loss: { id: 'Tidak menjawab ping', en: 'Not answering ping' },
  trap_link_down: { id: 'Uplink putus (trap linkDown dari perangkat)', en: 'Uplink down (linkDown trap from the device)' },
  snmp_failing: { id: 'Ping normal tetapi SNMP tidak menjawab', en: 'Ping fine but SNMP not answering' },
  onvif_failing: { id: 'Ping normal tetapi ONVIF kamera tidak menjawab', en: 'Ping fine but the camera\'s ONVIF is not answering' },
  camera_media_failing: { id: 'Gambar/stream kamera gagal diambil', en: 'Camera snapshot/stream failing' },
  flapping: { id: 'Tidak stabil: sering putus-sambung', en: 'Unstable: going up and down repeatedly' },
  upstream_down: { id: 'Tak terjangkau karena perangkat di atasnya mati', en: 'Unreachable because a device above it is down' },
  upstream_suspect: { id: 'Perangkat di atasnya sedang diperiksa', en: 'The device above it is being checked' },
  upstream_recovering: { id: 'Perangkat di atasnya baru pulih', en: 'The device above it is recovering' },
  maintenance: { id: 'Dalam pemeliharaan terjadwal', en: 'In planned maintenance' },
  PANTAU_PROBE_TIMEOUT: { id: 'Perangkat tidak menjawab dalam batas waktu', en: 'The device did not answer in time' },
  PANTAU_PROBE_REFUSED: { id: 'Koneksi ditolak perangkat (layanan mati atau port salah)', en: 'Connection refused (service stopped or wrong port)' },
  PANTAU_PROBE_AUTH: { id: 'Login ditolak: nama pengguna/kata sandi di pantau salah', en: 'Login refused: the username/password in pantau is wrong' },
  PANTAU_PROBE_BAD_RESPONSE: { id: 'Jawaban perangkat tidak dapat dibaca', en: 'The device\'s answer could not be read' },
  PANTAU_PROBE_UNREACHABLE: { id: 'Alamat tidak dapat dijangkau dari server pantau', en: 'The address cannot be reached from the pantau server' },
  PANTAU_PROBE_INTERNAL: { id: 'Kesalahan internal pantau saat memeriksa', en: 'pantau internal error while checking' },
};

type StatusLike = Pick<DeviceStatus, 'reason'> & { code?: string; detail?: string };

/** The sentence for a status: its probe error code when it has one, else its reason; '' when neither is known. */
export function statusReason(st: StatusLike | undefined): string {
  if (!st) return '';
  const lang = getLang();
  const byCode = st.code ? REASON_TEXT[st.code] : undefined;
  const byReason = st.reason ? REASON_TEXT[st.reason] : undefined;
  // The code says what failed ("login refused"), the reason which check: both, the code first.
  if (byCode && byReason && st.reason !== 'icmp_loss') return `${byCode[lang]} (${byReason[lang].charAt(0).toLowerCase()}${byReason[lang].slice(1)})`;
  const hit = byCode ?? byReason;
  return hit ? hit[lang] : '';
}
