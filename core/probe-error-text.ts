/**
 * What a probe error code means to an operator, in Bahasa Indonesia and English. Pure and free of
 * Node imports: the NOC page imports it too (tooltip, drawer), and the alert texts use it.
 * A unit test fails when a code in PROBE_ERROR_CODES has no sentence here.
 */
import type { ProbeErrorCode, ProbeKind } from './types.js';

export type ProbeTextLang = 'id' | 'en';

export const PROBE_ERROR_TEXT: Record<ProbeTextLang, Record<ProbeErrorCode, string>> = {
  id: {
    PANTAU_PROBE_TIMEOUT: 'tidak menjawab dalam batas waktu',
    PANTAU_PROBE_REFUSED: 'koneksi ditolak oleh perangkat',
    PANTAU_PROBE_AUTH: 'login ditolak: nama pengguna, kata sandi atau community salah',
    PANTAU_PROBE_BAD_RESPONSE: 'jawaban perangkat tidak dapat dibaca',
    PANTAU_PROBE_UNREACHABLE: 'alamat tidak dapat dijangkau (tidak ada rute)',
    PANTAU_PROBE_SNAPSHOT: 'kamera tidak bisa mengambil gambar (snapshot gagal)',
    PANTAU_PROBE_RTSP: 'aliran video RTSP kamera gagal',
    PANTAU_PROBE_CLOCK_DRIFT: 'jam perangkat menyimpang terlalu jauh',
    PANTAU_PROBE_INTERNAL: 'kesalahan di pantau sendiri, bukan di perangkat',
  },
  en: {
    PANTAU_PROBE_TIMEOUT: 'no answer within the time limit',
    PANTAU_PROBE_REFUSED: 'connection refused by the device',
    PANTAU_PROBE_AUTH: 'login rejected: wrong user name, password or community',
    PANTAU_PROBE_BAD_RESPONSE: 'the device answered something unreadable',
    PANTAU_PROBE_UNREACHABLE: 'address unreachable (no route)',
    PANTAU_PROBE_SNAPSHOT: 'the camera cannot take a picture (snapshot failed)',
    PANTAU_PROBE_RTSP: 'the camera\'s RTSP video stream fails',
    PANTAU_PROBE_CLOCK_DRIFT: 'the device clock is too far off',
    PANTAU_PROBE_INTERNAL: 'an error inside pantau itself, not on the device',
  },
};

const KIND_LABEL: Record<ProbeKind, string> = { icmp: 'Ping', snmp: 'SNMP', onvif: 'ONVIF', trap: 'Trap' };

/** "ONVIF: login ditolak: …" — the probe and the sentence for its code. */
export function probeErrorText(code: ProbeErrorCode, kind: ProbeKind | undefined, lang: ProbeTextLang): string {
  const sentence = PROBE_ERROR_TEXT[lang][code] ?? code;
  return kind ? `${KIND_LABEL[kind]}: ${sentence}` : sentence;
}
