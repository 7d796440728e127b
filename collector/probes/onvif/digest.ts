import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm: string;
}

/**
 * Pure: parses a `WWW-Authenticate: Digest …` header. Values may be quoted (and contain `=`,
 * `,` — node-onvif broke on nonces with `=`) or bare tokens.
 */
export function parseDigestChallenge(header: string): DigestChallenge | null {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /([a-zA-Z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1]!))) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  if (params['realm'] === undefined || params['nonce'] === undefined) return null;
  return {
    realm: params['realm'],
    nonce: params['nonce'],
    ...(params['qop'] !== undefined ? { qop: params['qop'] } : {}),
    ...(params['opaque'] !== undefined ? { opaque: params['opaque'] } : {}),
    algorithm: params['algorithm'] ?? 'MD5',
  };
}

/** Picks a Digest challenge among several WWW-Authenticate headers (SHA-256 preferred, then MD5). */
export function pickChallenge(headers: readonly string[]): DigestChallenge | null {
  const all = headers.map(parseDigestChallenge).filter((c): c is DigestChallenge => c !== null);
  return all.find((c) => /^SHA-256$/i.test(c.algorithm)) ?? all.find((c) => /^MD5$/i.test(c.algorithm)) ?? null;
}

/** Pure: the Authorization header value (RFC 7616) for one request. */
export function digestAuthorization(
  c: DigestChallenge,
  req: { method: string; uri: string; username: string; password: string; nc?: number; cnonce?: string },
): string {
  const algo = /^SHA-256$/i.test(c.algorithm) ? 'sha256' : 'md5';
  const h = (s: string) => createHash(algo).update(s).digest('hex');
  const ha1 = h(`${req.username}:${c.realm}:${req.password}`);
  const ha2 = h(`${req.method}:${req.uri}`);
  const qop = c.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const nc = (req.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = req.cnonce ?? randomBytes(8).toString('hex');
  const response = qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
  const q = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${q(req.username)}`,
    `realm=${q(c.realm)}`,
    `nonce=${q(c.nonce)}`,
    `uri=${q(req.uri)}`,
    `algorithm=${c.algorithm}`,
    `response=${q(response)}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${q(cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${q(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Pure: is this a complete JPEG (SOI FF D8 FF at the start, EOI FF D9 at the end)? */
export function isCompleteJpeg(buf: Buffer): boolean {
  if (buf.length < 4) return false;
  if (buf[0] !== 0xff || buf[1] !== 0xd8 || buf[2] !== 0xff) return false;
  // Some cameras pad after EOI with a CR/LF or zeros; tolerate a few trailing bytes.
  const tail = buf.subarray(Math.max(0, buf.length - 16));
  for (let i = tail.length - 2; i >= 0; i--) {
    if (tail[i] === 0xff && tail[i + 1] === 0xd9)
      return tail.subarray(i + 2).every((b) => b === 0 || b === 0x0d || b === 0x0a);
  }
  return false;
}
