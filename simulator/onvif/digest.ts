import { createHash, randomBytes } from 'node:crypto';

/** HTTP Digest (RFC 7616, MD5, qop=auth) for the snapshot endpoint. Pure apart from nonces. */

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export function challenge(realm: string, nonce = randomBytes(16).toString('hex')): string {
  return `Digest realm="${realm}", qop="auth", nonce="${nonce}", algorithm=MD5`;
}

export function parseAuthHeader(h: string | undefined): Record<string, string> | null {
  if (!h || !/^Digest\s/i.test(h)) return null;
  const out: Record<string, string> = {};
  const re = /(\w+)=(?:"([^"]*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(h.slice(7))) !== null) out[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/** True when the Authorization header is a correct digest for this user/password/method. */
export function verifyDigest(
  header: string | undefined,
  method: string,
  user: string,
  password: string,
  realm: string,
): boolean {
  const a = parseAuthHeader(header);
  if (!a || a['username'] !== user || a['realm'] !== realm || !a['nonce'] || !a['uri'] || !a['response']) return false;
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${a['uri']}`);
  const expected = a['qop']
    ? md5(`${ha1}:${a['nonce']}:${a['nc'] ?? ''}:${a['cnonce'] ?? ''}:${a['qop']}:${ha2}`)
    : md5(`${ha1}:${a['nonce']}:${ha2}`);
  return expected === a['response'];
}
