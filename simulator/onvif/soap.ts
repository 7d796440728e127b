import { createHash } from 'node:crypto';

/** Pure SOAP pieces of the simulated ONVIF camera (shapes from research/onvif.md). */

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
} as const;

export interface CameraInfo {
  id: string;
  name: string;
  address: string;
  onvifPort: number;
  rtspPort: number;
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
}

/** Operations answered without credentials (clients call them before they know the clock offset). */
export const UNAUTHENTICATED = new Set(['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetHostname']);

export function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="${NS.s}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tt="${NS.tt}" xmlns:ter="${NS.ter}"><s:Body>${body}</s:Body></s:Envelope>`;
}

export function fault(code: 's:Sender' | 's:Receiver', subcode: string, reason: string): string {
  return envelope(
    `<s:Fault><s:Code><s:Value>${code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">${esc(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The operation name: the first element inside s:Body, whatever its prefix. */
export function operationOf(xml: string): string | null {
  const body = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]+)[\s/>]/.exec(xml);
  return body ? body[1]! : null;
}

function tag(xml: string, name: string): string | null {
  const m = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${name}>`).exec(xml);
  return m ? m[1]!.trim() : null;
}

export function profileTokenOf(xml: string): string | null {
  return tag(xml, 'ProfileToken');
}

/**
 * WS-UsernameToken check: PasswordDigest == base64(SHA1(nonce ‖ created ‖ password)), Created
 * within ±300 s of the camera's own clock. Repeated nonces are accepted (libonvif reuses one).
 */
export function checkUsernameToken(
  xml: string,
  user: string,
  password: string,
  cameraNow: number,
): 'ok' | 'missing' | 'bad' {
  const username = tag(xml, 'Username');
  const digest = tag(xml, 'Password');
  const nonce = tag(xml, 'Nonce');
  const created = tag(xml, 'Created');
  if (username === null || digest === null) return 'missing';
  if (username !== user) return 'bad';
  if (nonce === null || created === null) {
    // PasswordText: some clients send the password itself.
    return /PasswordText/.test(xml) && digest === password ? 'ok' : 'bad';
  }
  const expect = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(password)]))
    .digest('base64');
  if (expect !== digest) return 'bad';
  const t = Date.parse(created);
  if (!Number.isFinite(t) || Math.abs(t - cameraNow) > 300_000) return 'bad';
  return 'ok';
}

const xaddr = (c: CameraInfo, svc: string) => `http://${c.address}:${c.onvifPort}/onvif/${svc}`;

function dateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `<tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>`
  );
}

const PROFILE = () =>
  `<tt:Name>MainStream</tt:Name><tt:VideoSourceConfiguration token="VSC_1"><tt:Name>VSC_1</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>VS_1</tt:SourceToken><tt:Bounds x="0" y="0" width="1920" height="1080"/></tt:VideoSourceConfiguration>` +
  `<tt:VideoEncoderConfiguration token="VEC_1"><tt:Name>VEC_1</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
  `<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl><tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` +
  `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>`;

function mediaUri(uri: string): string {
  return `<trt:MediaUri><tt:Uri>${esc(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>`;
}

/** The response body of an operation, or null when the camera does not support it. */
export function respond(op: string, c: CameraInfo, cameraNow: number, profileToken: string | null): string | null {
  switch (op) {
    case 'GetSystemDateAndTime':
      return `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>GMT0</tt:TZ></tt:TimeZone>${dateTime(cameraNow)}</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`;
    case 'GetCapabilities':
      return `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${xaddr(c, 'device_service')}</tt:XAddr></tt:Device><tt:Media><tt:XAddr>${xaddr(c, 'media_service')}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>`;
    case 'GetServices': {
      const svc = (ns: string, x: string) =>
        `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${x}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>5</tt:Minor></tds:Version></tds:Service>`;
      return `<tds:GetServicesResponse>${svc(NS.tds, xaddr(c, 'device_service'))}${svc(NS.trt, xaddr(c, 'media_service'))}</tds:GetServicesResponse>`;
    }
    case 'GetDeviceInformation':
      return `<tds:GetDeviceInformationResponse><tds:Manufacturer>${esc(c.manufacturer)}</tds:Manufacturer><tds:Model>${esc(c.model)}</tds:Model><tds:FirmwareVersion>${esc(c.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${esc(c.serial)}</tds:SerialNumber><tds:HardwareId>${esc(c.id)}</tds:HardwareId></tds:GetDeviceInformationResponse>`;
    case 'GetHostname':
      return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${esc(c.id)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`;
    case 'GetProfiles':
      return `<trt:GetProfilesResponse><trt:Profiles token="Profile_1" fixed="true">${PROFILE()}</trt:Profiles></trt:GetProfilesResponse>`;
    case 'GetProfile':
      return `<trt:GetProfileResponse><trt:Profile token="Profile_1" fixed="true">${PROFILE()}</trt:Profile></trt:GetProfileResponse>`;
    case 'GetVideoSources':
      return `<trt:GetVideoSourcesResponse><trt:VideoSources token="VS_1"><tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
    case 'GetStreamUri':
      return `<trt:GetStreamUriResponse>${mediaUri(`rtsp://${c.address}:${c.rtspPort}/${profileToken ?? 'Profile_1'}`)}</trt:GetStreamUriResponse>`;
    case 'GetSnapshotUri':
      return `<trt:GetSnapshotUriResponse>${mediaUri(`http://${c.address}:${c.onvifPort}/snapshot/${profileToken ?? 'Profile_1'}.jpg`)}</trt:GetSnapshotUriResponse>`;
    default:
      return null;
  }
}

/** WS-Discovery ProbeMatches for one camera, answering the Probe with that MessageID. */
export function probeMatch(c: CameraInfo, relatesTo: string, messageId: string, uuid: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.s}" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="${NS.tds}">` +
    `<s:Header><a:MessageID>urn:uuid:${messageId}</a:MessageID><a:RelatesTo>${esc(relatesTo)}</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>` +
    `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:${uuid}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>` +
    `<d:Scopes>onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/${encodeURIComponent(c.id)} onvif://www.onvif.org/hardware/${encodeURIComponent(c.model)} onvif://www.onvif.org/location/OKU</d:Scopes>` +
    `<d:XAddrs>${xaddr(c, 'device_service')}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`
  );
}

/** Whether a Probe asks for cameras: no Types, or NetworkVideoTransmitter / Device. */
export function probeWanted(xml: string): { wanted: boolean; messageId: string | null } {
  if (!/Probe[\s>/]/.test(xml) || /ProbeMatches/.test(xml)) return { wanted: false, messageId: null };
  const messageId = tag(xml, 'MessageID');
  const types = tag(xml, 'Types');
  const wanted = types === null || types === '' || /NetworkVideoTransmitter|Device/.test(types);
  return { wanted, messageId };
}

/** A stable UUID-shaped id for a camera. */
export function cameraUuid(id: string): string {
  const h = createHash('sha1').update(`pantau-lab/${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
