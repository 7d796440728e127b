import { request } from 'node:http';
import { ProbeFailure } from '../../probe-error.js';
import { digestAuthorization, isCompleteJpeg, pickChallenge } from './digest.js';

export interface SnapshotCheck {
  ok: boolean;
  status: number | null;
  bytes: number;
  latencyMs: number | null;
  error?: string;
}

const MAX_BYTES = 8 * 1024 * 1024;

function get(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy(new ProbeFailure('PANTAU_PROBE_SNAPSHOT', 'snapshot larger than 8 MiB'));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Fetches a snapshot with our own HTTP Digest client (never Basic: the password would travel in
 * clear) and checks it is a whole JPEG. Network errors are thrown (the caller maps them to
 * refused/timeout); a bad answer is returned as `ok: false`.
 */
export async function fetchSnapshot(
  uri: string,
  cred: { username: string; password: string },
  opts: { signal: AbortSignal; minBytes?: number },
): Promise<SnapshotCheck> {
  const url = new URL(uri);
  const started = performance.now();
  let res = await get(url, {}, opts.signal);
  if (res.status === 401) {
    const raw = res.headers['www-authenticate'];
    const challenge = pickChallenge(Array.isArray(raw) ? raw : raw ? [raw] : []);
    if (!challenge) return { ok: false, status: 401, bytes: 0, latencyMs: null, error: 'no Digest challenge' };
    const authorization = digestAuthorization(challenge, {
      method: 'GET',
      uri: `${url.pathname}${url.search}`,
      username: cred.username,
      password: cred.password,
    });
    res = await get(url, { authorization }, opts.signal);
  }
  const latencyMs = Math.round(performance.now() - started);
  const base = { status: res.status, bytes: res.body.length, latencyMs };
  if (res.status !== 200)
    return { ...base, ok: false, error: res.status === 401 ? 'snapshot authentication failed' : `HTTP ${res.status}` };
  if (res.body.length < (opts.minBytes ?? 100))
    return { ...base, ok: false, error: `snapshot too small (${res.body.length} bytes)` };
  if (!isCompleteJpeg(res.body)) return { ...base, ok: false, error: 'not a complete JPEG (missing FF D8 FF / FF D9)' };
  return { ...base, ok: true };
}
