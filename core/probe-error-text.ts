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
    PANTAU_PROBE_HTTP_STATUS: 'aplikasi menjawab dengan kode status HTTP yang tidak diharapkan',
    PANTAU_PROBE_HTTP_CONTENT: 'isi halaman tidak seperti yang diharapkan (teks yang dicari tidak ada)',
    PANTAU_PROBE_HTTP_SLOW: 'aplikasi menjawab, tetapi lebih lambat dari batas waktu respons',
    PANTAU_PROBE_HTTP_REDIRECTS: 'terlalu banyak pengalihan (redirect) atau pengalihan tidak sah',
    PANTAU_PROBE_TLS_EXPIRED: 'sertifikat TLS sudah kedaluwarsa: browser warga menolak situs ini',
    PANTAU_PROBE_TLS_NOT_YET_VALID: 'sertifikat TLS belum berlaku (periksa jam server)',
    PANTAU_PROBE_TLS_HOSTNAME: 'sertifikat TLS tidak untuk nama situs ini',
    PANTAU_PROBE_TLS_CHAIN: 'rantai sertifikat TLS tidak dipercaya (CA tidak dikenal atau sertifikat perantara hilang)',
    PANTAU_PROBE_TLS_PROTOCOL: 'versi TLS server terlalu lama atau jabat tangan TLS gagal',
    PANTAU_PROBE_DNS_NXDOMAIN: 'nama domain tidak ditemukan di DNS (NXDOMAIN)',
    PANTAU_PROBE_DNS_MISMATCH: 'DNS menjawab alamat yang tidak diharapkan',
    PANTAU_PROBE_DNS_SERVFAIL: 'server DNS gagal menjawab (SERVFAIL atau ditolak)',
    PANTAU_PROBE_TCP_REFUSED: 'port layanan tertutup (koneksi TCP ditolak)',
  },
  en: {
    PANTAU_PROBE_TIMEOUT: 'no answer within the time limit',
    PANTAU_PROBE_REFUSED: 'connection refused by the device',
    PANTAU_PROBE_AUTH: 'login rejected: wrong user name, password or community',
    PANTAU_PROBE_BAD_RESPONSE: 'the device answered something unreadable',
    PANTAU_PROBE_UNREACHABLE: 'address unreachable (no route)',
    PANTAU_PROBE_SNAPSHOT: 'the camera cannot take a picture (snapshot failed)',
    PANTAU_PROBE_RTSP: "the camera's RTSP video stream fails",
    PANTAU_PROBE_CLOCK_DRIFT: 'the device clock is too far off',
    PANTAU_PROBE_INTERNAL: 'an error inside pantau itself, not on the device',
    PANTAU_PROBE_HTTP_STATUS: 'the application answered with an unexpected HTTP status code',
    PANTAU_PROBE_HTTP_CONTENT: 'the page does not hold the expected content (the text looked for is missing)',
    PANTAU_PROBE_HTTP_SLOW: 'the application answers, but slower than its response time limit',
    PANTAU_PROBE_HTTP_REDIRECTS: 'too many redirects, or an invalid redirect',
    PANTAU_PROBE_TLS_EXPIRED: "the TLS certificate has expired: citizens' browsers refuse the site",
    PANTAU_PROBE_TLS_NOT_YET_VALID: 'the TLS certificate is not valid yet (check the server clock)',
    PANTAU_PROBE_TLS_HOSTNAME: 'the TLS certificate is not for this site name',
    PANTAU_PROBE_TLS_CHAIN: 'the TLS certificate chain is not trusted (unknown CA or missing intermediate)',
    PANTAU_PROBE_TLS_PROTOCOL: "the server's TLS version is too old or the TLS handshake fails",
    PANTAU_PROBE_DNS_NXDOMAIN: 'the domain name does not exist in DNS (NXDOMAIN)',
    PANTAU_PROBE_DNS_MISMATCH: 'DNS answers an unexpected address',
    PANTAU_PROBE_DNS_SERVFAIL: 'the DNS server fails to answer (SERVFAIL or refused)',
    PANTAU_PROBE_TCP_REFUSED: 'the service port is closed (TCP connection refused)',
  },
};

/**
 * What the evidence of several probes points at, beyond one probe's error code. Only the alert
 * engine knows enough to set one: `snmp_credentials` = ping answers now and SNMP times out
 * (Debian snmpd and most agents drop a wrong community or SNMPv3 key without a reply, so a
 * wrong credential looks exactly like a dead agent to the probe itself).
 */
export type ProbeHint = 'snmp_credentials';

export const PROBE_HINT_TEXT: Record<ProbeTextLang, Record<ProbeHint, string>> = {
  id: {
    snmp_credentials:
      'SNMP tidak menjawab padahal ping normal: periksa community / user dan kunci SNMPv3 (agen membuang permintaan dengan kredensial salah tanpa jawaban); jika benar, periksa apakah SNMP aktif dan tidak diblokir di perangkat',
  },
  en: {
    snmp_credentials:
      'SNMP does not answer although ping is fine: check the community / SNMPv3 user and keys (the agent drops requests with wrong credentials without a reply); if those are right, check that SNMP is enabled and not filtered on the device',
  },
};

/** The hint for a standing failure, given whether ping answers now (pure; the engine decides `pingOk`). */
export function probeHintFor(kind: ProbeKind, code: ProbeErrorCode, pingOk: boolean): ProbeHint | undefined {
  return kind === 'snmp' && code === 'PANTAU_PROBE_TIMEOUT' && pingOk ? 'snmp_credentials' : undefined;
}

// Open-ended so a new probe kind needs no entry here: an unlisted kind is shown in capitals.
const KIND_LABEL: Readonly<Record<string, string>> = {
  icmp: 'Ping',
  snmp: 'SNMP',
  onvif: 'ONVIF',
  trap: 'Trap',
  http: 'HTTP',
  tls: 'TLS',
  dns: 'DNS',
  tcp: 'TCP',
};

/** How a probe kind is written in an operator's sentence: "HTTP", "Ping", an unlisted kind in capitals. */
export function probeKindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind.toUpperCase();
}

/** "ONVIF: login ditolak: …" — the probe and the sentence for its code; a hint's sentence replaces both. */
export function probeErrorText(
  code: ProbeErrorCode,
  kind: ProbeKind | undefined,
  lang: ProbeTextLang,
  hint?: ProbeHint,
): string {
  if (hint) return PROBE_HINT_TEXT[lang][hint];
  const sentence = PROBE_ERROR_TEXT[lang][code] ?? code;
  return kind ? `${probeKindLabel(kind)}: ${sentence}` : sentence;
}
