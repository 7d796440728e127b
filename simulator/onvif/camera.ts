import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcp, type Server as TcpServer, type Socket } from 'node:net';
import type { DeviceModel } from '../model/device.js';
import { hash32 } from '../model/traffic.js';
import { challenge, verifyDigest } from './digest.js';
import { snapshotJpeg } from './jpeg.js';
import {
  checkUsernameToken,
  fault,
  envelope,
  operationOf,
  profileTokenOf,
  respond,
  UNAUTHENTICATED,
  type CameraInfo,
} from './soap.js';

export interface CameraOptions {
  onvifPort: number;
  rtspPort: number;
  user: string;
  password: string;
  now: () => number;
}

const REALM = 'pantau-lab';
const MAX_BODY = 64 * 1024;

export function cameraInfo(model: DeviceModel, onvifPort: number, rtspPort: number): CameraInfo {
  const d = model.device;
  const manufacturer = /^DS-/.test(d.model ?? '') ? 'Hikvision' : /^IPC-/.test(d.model ?? '') ? 'Dahua' : 'Generic';
  return {
    id: d.id,
    name: d.name,
    address: d.address,
    onvifPort,
    rtspPort,
    manufacturer,
    model: d.model ?? 'IPC',
    firmware: d.firmware ?? '1.0.0',
    serial: d.serial ?? d.id.toUpperCase(),
  };
}

/**
 * One ONVIF Profile S camera: device + media services (WS-UsernameToken), a Digest-protected
 * JPEG snapshot and an RTSP responder (OPTIONS/DESCRIBE), on the device's own address.
 * Every request consults the device model, so faults take effect on the next request.
 */
export async function startCamera(model: DeviceModel, opts: CameraOptions): Promise<{ close(): Promise<void> }> {
  const info = cameraInfo(model, opts.onvifPort, opts.rtspPort);
  const cameraNow = () => opts.now() + (model.find('clock-drift')?.seconds ?? 0) * 1000;
  // wrong-credentials: the camera's password was changed behind the collector's back.
  const password = () => (model.find('wrong-credentials') ? `${opts.password}-changed` : opts.password);
  const held = new Set<Socket>();
  const hold = (s: Socket) => {
    // Down: never answer; the client times out, as with a dead camera behind a switch.
    held.add(s);
    s.setTimeout(60_000, () => s.destroy());
    s.once('close', () => held.delete(s));
  };
  const later = (fn: () => void) => {
    const ms = model.replyDelayMs();
    if (ms > 0) setTimeout(fn, ms).unref();
    else fn();
  };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: Buffer | string,
    extra: Record<string, string> = {},
  ) => {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    // libonvif needs an explicit Content-Length, headers up front.
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': String(buf.length),
      Connection: 'close',
      ...extra,
    });
    res.end(buf);
  };

  const soap = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const SOAP = 'application/soap+xml; charset=utf-8';
    if (model.find('malformed-soap')) {
      send(res, 200, SOAP, '<?xml version="1.0"?><s:Envelope><s:Body><tds:GetSystemDateAndTimeResponse><tt:UTCDate');
      return;
    }
    const op = operationOf(body);
    if (!op) {
      send(res, 400, SOAP, fault('s:Sender', 'ter:InvalidArgVal', 'no operation in body'));
      return;
    }
    if (!UNAUTHENTICATED.has(op)) {
      const auth = checkUsernameToken(body, opts.user, password(), cameraNow());
      if (auth !== 'ok') {
        send(res, 400, SOAP, fault('s:Sender', 'ter:NotAuthorized', 'Sender not Authorized'));
        return;
      }
    }
    const out = respond(op, info, cameraNow(), profileTokenOf(body));
    if (out === null) {
      send(res, 500, SOAP, fault('s:Receiver', 'ter:ActionNotSupported', `${op} not supported`));
      return;
    }
    send(res, 200, SOAP, envelope(out));
  };

  const snapshot = (req: IncomingMessage, res: ServerResponse) => {
    if (!verifyDigest(req.headers.authorization, req.method ?? 'GET', opts.user, password(), REALM)) {
      send(res, 401, 'text/plain', 'Unauthorized', { 'WWW-Authenticate': challenge(REALM) });
      return;
    }
    const broken = model.find('snapshot');
    if (broken?.mode === 'http500') {
      send(res, 500, 'text/plain', 'encoder error');
      return;
    }
    if (broken?.mode === 'empty') {
      send(res, 200, 'image/jpeg', Buffer.alloc(0));
      return;
    }
    if (broken?.mode === 'not-jpeg') {
      send(res, 200, 'image/jpeg', '<html><body>Camera busy</body></html>');
      return;
    }
    send(res, 200, 'image/jpeg', snapshotJpeg(hash32(info.id) % 64, cameraNow(), info.id));
  };

  const http = createHttp((req, res) => {
    if (model.silent(opts.now())) {
      hold(req.socket);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      later(() => {
        const url = req.url ?? '/';
        if (req.method === 'POST' && /^\/onvif\/(device|media)_service/.test(url))
          soap(req, res, Buffer.concat(chunks).toString('utf8'));
        else if (req.method === 'GET' && /^\/snapshot\/[\w-]+\.jpg$/.test(url)) snapshot(req, res);
        else send(res, 404, 'text/plain', 'not found');
      }),
    );
  });
  http.keepAliveTimeout = 2000;

  const rtsp = createTcp((sock) => {
    if (model.silent(opts.now())) {
      hold(sock);
      return;
    }
    if (model.find('rtsp-down')) {
      sock.destroy();
      return;
    }
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      if (buf.length > MAX_BODY) {
        sock.destroy();
        return;
      }
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        later(() => {
          if (!sock.destroyed) sock.write(rtspReply(head, info, opts.user, password()));
        });
      }
    });
  });

  await listen(http, info.address, opts.onvifPort);
  await listen(rtsp, info.address, opts.rtspPort);
  return {
    async close() {
      for (const s of held) s.destroy();
      http.closeAllConnections();
      await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => rtsp.close(r))]);
    },
  };
}

function listen(server: TcpServer | ReturnType<typeof createHttp>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** One RTSP reply: OPTIONS always, DESCRIBE behind Digest auth with an H.264 SDP. */
export function rtspReply(head: string, c: CameraInfo, user: string, password: string): string {
  const lines = head.split('\r\n');
  const [method = '', uri = ''] = (lines[0] ?? '').split(' ');
  const header = (name: string) =>
    lines
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim();
  const cseq = header('CSeq') ?? '0';
  const base = `CSeq: ${cseq}\r\nServer: pantau-lab RTSP\r\n`;
  if (method === 'OPTIONS') return `RTSP/1.0 200 OK\r\n${base}Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`;
  if (method === 'DESCRIBE') {
    if (!verifyDigest(header('Authorization'), 'DESCRIBE', user, password, REALM)) {
      return `RTSP/1.0 401 Unauthorized\r\n${base}WWW-Authenticate: ${challenge(REALM)}\r\n\r\n`;
    }
    const sdp = `v=0\r\no=- ${Date.now()} 1 IN IP4 ${c.address}\r\ns=${c.id}\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=4D401F\r\na=control:trackID=1\r\n`;
    return `RTSP/1.0 200 OK\r\n${base}Content-Base: ${uri}/\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`;
  }
  return `RTSP/1.0 405 Method Not Allowed\r\n${base}Allow: OPTIONS, DESCRIBE\r\n\r\n`;
}
