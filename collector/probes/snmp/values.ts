/** Turns net-snmp varbind values into numbers/strings (Counter64 arrives as a big-endian Buffer). */
export function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (Buffer.isBuffer(v)) {
    if (v.length === 0 || v.length > 9) return null;
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    return n;
  }
  return null;
}

export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (Buffer.isBuffer(v)) {
    // Some firmwares answer numbers as DisplayString ("-24.15"); accept that, reject binary junk.
    const s = v.toString('latin1').trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    return null;
  }
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

export function toText(v: unknown): string | null {
  if (Buffer.isBuffer(v)) return v.toString('utf8').replace(/\0+$/, '');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}
