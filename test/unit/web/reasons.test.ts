import { expect } from 'chai';

// web/src/i18n.ts reads the saved language from localStorage when loaded: a store that has none.
(globalThis as { localStorage?: unknown }).localStorage ??= { getItem: () => null, setItem: () => undefined };

describe('web/reasons (the sentence in the tooltip and the drawer)', () => {
  it('a device with no data says since when, in WIB, even with an old probe error standing (ADR 0406)', async () => {
    const { statusReason } = await import('../../../web/src/reasons.js');
    const text = statusReason({
      reason: 'no_data',
      noDataSince: Date.UTC(2026, 10, 30, 7, 5),
      probeError: { kind: 'snmp', code: 'PANTAU_PROBE_TIMEOUT', since: Date.UTC(2026, 10, 30, 6) },
    });
    expect(text).to.equal('Tidak ada data sejak 30/11/2026 14.05 WIB: hasil pemeriksaan tidak lagi masuk');
  });
});
