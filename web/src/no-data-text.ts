import { fmtTime } from './clock.js';

/**
 * A device with no data (state UNKNOWN, reason 'no_data', ADR 0406): since when nothing came, in the
 * region's zone. Pure (no DOM, no storage) so a unit test reads exactly what the page shows.
 */
export function noDataText(since: number | undefined, lang: 'id' | 'en'): string {
  const at = since === undefined ? '?' : fmtTime(since, { seconds: false });
  return lang === 'id'
    ? `Tidak ada data sejak ${at}: hasil pemeriksaan tidak lagi masuk`
    : `No data since ${at}: probe results stopped arriving`;
}
