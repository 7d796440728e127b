import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

/** What a fixture camera gets wrong, switchable while it runs. */
export interface CameraFaults {
  wrongPassword?: boolean;
  driftS?: number;
  snapshot?: 'ok' | 'http500' | 'not-jpeg' | 'truncated';
  rtspDown?: boolean;
  malformedSoap?: boolean;
  /** Accept the TCP connection, never answer. */
  hang?: boolean;
}

export interface FixtureCamera {
  address: string;
  httpPort: number;
  rtspPort: number;
  faults: CameraFaults;
  identity: { manufacturer: string; model: string; firmware: string; serial: string };
  stop(): Promise<void>;
}

const NS =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"';
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${NS}><s:Body>${body}</s:Body></s:Envelope>`;
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** A JPEG-shaped body: SOI, some bytes, EOI. */
export const FAKE_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  randomBytes(2048),
  Buffer.from([0xff, 0xd9]),
]);

/**
 * A small ONVIF Profile S camera (device + media services, Digest snapshot, RTSP OPTIONS/DESCRIBE)
 * on a loopback address, following research/onvif.md: enough for the collector's checks, with faults.
 */
export async function startFixtureCamera(opts: {
  address: string;
  username: string;
  password: string;
}): Promise<FixtureCamera> {
  const faults: CameraFaults = {};
  const identity = { manufacturer: 'PantauCam', model: 'PC-2MP', firmware: 'V1.2.3', serial: 'SN0001' };
  const sockets = new Set<Socket>();
  let httpPort = 0;
  let rtspPort = 0;

  const camNow = () => new Date(Date.now() + (faults.driftS ?? 0) * 1000);
  const wsseOk = (xml: string): boolean => {
    const field = (name: string) => new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([^<]*)<`).exec(xml)?.[1];
    const user = field('Username');
    const digest = field('Password');
    const nonce = field('Nonce');
    const created = field('Created');
    if (!user || !digest || !nonce || !created) return false;
    const pw = faults.wrongPassword ? `${opts.password}-changed` : opts.password;
    const want = createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(pw)]))
      .digest('base64');
    const skew = Math.abs(Date.parse(created) - camNow().getTime());
    return user === opts.username && want === digest && skew < 300_000;
  };
  const reply = (res: ServerResponse, status: number, xml: string) => {
    const body = Buffer.from(xml);
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  };
  const base = () => `http://${opts.address}:${httpPort}`;

  const soap = (action: string, xml: string, res: ServerResponse) => {
    if (faults.malformedSoap) {
      reply(res, 200, '<s:Envelope><s:Body><tds:GetSystemDateAndTimeResponse><tt:UTCDate');
      return;
    }
    const open = ['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetHostname'];
    if (!open.includes(action) && !wsseOk(xml)) {
      reply(
        res,
        400,
        envelope(
          '<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Sender not Authorized</s:Text></s:Reason></s:Fault>',
        ),
      );
      return;
    }
    const t = camNow();
    switch (action) {
      case 'GetSystemDateAndTime':
        return reply(
          res,
          200,
          envelope(
            `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>GMT0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${t.getUTCHours()}</tt:Hour><tt:Minute>${t.getUTCMinutes()}</tt:Minute><tt:Second>${t.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${t.getUTCFullYear()}</tt:Year><tt:Month>${t.getUTCMonth() + 1}</tt:Month><tt:Day>${t.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
          ),
        );
      case 'GetCapabilities':
        return reply(
          res,
          200,
          envelope(
            `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${base()}/onvif/device_service</tt:XAddr></tt:Device><tt:Media><tt:XAddr>${base()}/onvif/media_service</tt:XAddr></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`,
          ),
        );
      case 'GetDeviceInformation':
        return reply(
          res,
          200,
          envelope(
            `<tds:GetDeviceInformationResponse><tds:Manufacturer>${identity.manufacturer}</tds:Manufacturer><tds:Model>${identity.model}</tds:Model><tds:FirmwareVersion>${identity.firmware}</tds:FirmwareVersion><tds:SerialNumber>${identity.serial}</tds:SerialNumber><tds:HardwareId>1</tds:HardwareId></tds:GetDeviceInformationResponse>`,
          ),
        );
      case 'GetProfiles':
        return reply(
          res,
          200,
          envelope(
            '<trt:GetProfilesResponse><trt:Profiles token="Profile_1" fixed="true"><tt:Name>main</tt:Name><tt:VideoSourceConfiguration token="VSC_1"><tt:Name>vsc</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>VS_1</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"/></tt:VideoSourceConfiguration><tt:VideoEncoderConfiguration token="VEC_1"><tt:Name>vec</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264></tt:VideoEncoderConfiguration></trt:Profiles></trt:GetProfilesResponse>',
          ),
        );
      case 'GetSnapshotUri':
        return reply(
          res,
          200,
          envelope(
            `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${base()}/snapshot/Profile_1.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`,
          ),
        );
      case 'GetStreamUri':
        return reply(
          res,
          200,
          envelope(
            `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>rtsp://${opts.address}:${rtspPort}/Profile_1</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`,
          ),
        );
      default:
        return reply(
          res,
          500,
          envelope(
            '<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>ter:ActionNotSupported</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">not supported</s:Text></s:Reason></s:Fault>',
          ),
        );
    }
  };

  const nonce = randomBytes(8).toString('hex');
  const snapshot = (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    const p = Object.fromEntries([...auth.matchAll(/(\w+)="?([^",]+)"?/g)].map((m) => [m[1]!, m[2]!]));
    const pw = faults.wrongPassword ? `${opts.password}-changed` : opts.password;
    const want = md5(
      `${md5(`${opts.username}:cam:${pw}`)}:${nonce}:${p['nc']}:${p['cnonce']}:auth:${md5(`GET:${p['uri']}`)}`,
    );
    if (!auth.startsWith('Digest ') || p['response'] !== want) {
      res.writeHead(401, { 'WWW-Authenticate': `Digest realm="cam", qop="auth", nonce="${nonce}", algorithm=MD5` });
      res.end();
      return;
    }
    if (faults.snapshot === 'http500') {
      res.writeHead(500);
      res.end('error');
      return;
    }
    const body =
      faults.snapshot === 'not-jpeg'
        ? Buffer.from('<html>no image</html>'.repeat(20))
        : faults.snapshot === 'truncated'
          ? FAKE_JPEG.subarray(0, 1000)
          : FAKE_JPEG;
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': body.length });
    res.end(body);
  };

  const http: Server = createServer((req, res) => {
    if (faults.hang) return;
    if (req.method === 'GET' && req.url?.startsWith('/snapshot/')) {
      snapshot(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const xml = Buffer.concat(chunks).toString('utf8');
      const action = /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(xml)?.[1] ?? '';
      soap(action, xml, res);
    });
  });
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const rtsp: TcpServer = createTcpServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    if (faults.rtspDown) {
      sock.destroy();
      return;
    }
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        const cseq = /CSeq:\s*(\d+)/i.exec(head)?.[1] ?? '0';
        if (head.startsWith('OPTIONS'))
          sock.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`);
        else if (head.startsWith('DESCRIBE')) {
          const sdp = `v=0\r\no=- 0 0 IN IP4 ${opts.address}\r\ns=PantauCam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n`;
          sock.write(
            `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`,
          );
        } else sock.write(`RTSP/1.0 405 Method Not Allowed\r\nCSeq: ${cseq}\r\n\r\n`);
      }
    });
  });

  await new Promise<void>((r) => http.listen(0, opts.address, r));
  await new Promise<void>((r) => rtsp.listen(0, opts.address, r));
  httpPort = (http.address() as { port: number }).port;
  rtspPort = (rtsp.address() as { port: number }).port;
  return {
    address: opts.address,
    httpPort,
    rtspPort,
    faults,
    identity,
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => rtsp.close(r))]);
    },
  };
}
