import { connect, type Socket } from 'node:net';
import { digestAuthorization, pickChallenge } from './digest.js';

export interface RtspCheck {
  ok: boolean;
  status: number | null;
  sdp: boolean;
  latencyMs: number | null;
  error?: string;
}

export interface RtspResponse {
  status: number;
  headers: Map<string, string[]>;
  body: string;
}

/** Pure: parses one RTSP response from the buffer; null while incomplete. */
export function parseRtspResponse(buf: Buffer): { res: RtspResponse; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^RTSP\/\d\.\d\s+(\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new Error(`not an RTSP response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  const headers = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    headers.set(k, [...(headers.get(k) ?? []), l.slice(i + 1).trim()]);
  }
  const len = Number(headers.get('content-length')?.[0] ?? 0);
  if (buf.length < end + 4 + len) return null;
  return {
    res: { status: Number(m[1]), headers, body: buf.subarray(end + 4, end + 4 + len).toString('utf8') },
    rest: buf.subarray(end + 4 + len),
  };
}

/**
 * RTSP OPTIONS then DESCRIBE over one raw TCP connection (Digest on a 401). Connection errors
 * are thrown; protocol-level failures come back as `ok: false`.
 */
export async function checkRtsp(
  uri: string,
  cred: { username: string; password: string },
  opts: { signal: AbortSignal },
): Promise<RtspCheck> {
  const url = new URL(uri);
  const clean = `rtsp://${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}${url.search}`;
  const started = performance.now();
  const socket: Socket = connect({ host: url.hostname, port: Number(url.port || 554), signal: opts.signal });
  let buf: Buffer = Buffer.alloc(0);
  let waiter: { resolve: (r: RtspResponse) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const take = () => {
    const w = waiter;
    waiter = null;
    return w;
  };
  const pump = () => {
    if (!waiter) return;
    try {
      const got = parseRtspResponse(buf);
      if (got) {
        buf = got.rest;
        take()?.resolve(got.res);
      }
    } catch (e) {
      take()?.reject(e as Error);
    }
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (buf.length > 256 * 1024) socket.destroy(new Error('RTSP response too large'));
    pump();
  });
  socket.on('error', (e) => {
    failure = e;
    take()?.reject(e);
  });
  socket.on('close', () => {
    take()?.reject(failure ?? new Error('RTSP connection closed'));
  });
  let cseq = 0;
  const send = (method: string, extra: Record<string, string> = {}) =>
    new Promise<RtspResponse>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      waiter = { resolve, reject };
      const hdr = Object.entries({ CSeq: String(++cseq), 'User-Agent': 'pantau', ...extra })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`${method} ${clean} RTSP/1.0\r\n${hdr}\r\n`);
      pump();
    });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const options = await send('OPTIONS');
    let describe = await send('DESCRIBE', { Accept: 'application/sdp' });
    if (describe.status === 401) {
      const ch = pickChallenge(describe.headers.get('www-authenticate') ?? []);
      if (ch)
        describe = await send('DESCRIBE', {
          Accept: 'application/sdp',
          Authorization: digestAuthorization(ch, {
            method: 'DESCRIBE',
            uri: clean,
            username: cred.username,
            password: cred.password,
          }),
        });
    }
    const latencyMs = Math.round(performance.now() - started);
    const sdp =
      /application\/sdp/i.test(describe.headers.get('content-type')?.[0] ?? '') && /^v=0/m.test(describe.body);
    if (options.status !== 200)
      return { ok: false, status: options.status, sdp: false, latencyMs, error: `OPTIONS ${options.status}` };
    if (describe.status !== 200)
      return { ok: false, status: describe.status, sdp, latencyMs, error: `DESCRIBE ${describe.status}` };
    if (!sdp) return { ok: false, status: describe.status, sdp, latencyMs, error: 'DESCRIBE without SDP' };
    return { ok: true, status: 200, sdp, latencyMs };
  } finally {
    socket.destroy();
  }
}
