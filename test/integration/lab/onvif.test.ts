import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { buildInventory } from '../../../core/inventory/topology.js';
import type { Device } from '../../../core/inventory/schema.js';
import { okuInventory, sh, startTestLab, subInventory } from '../../helpers/lab.js';
import { until } from '../../helpers/wait.js';
import { readlinkSync } from 'node:fs';
import { looksLikeJpeg } from '../../../simulator/onvif/jpeg.js';
import type { Lab } from '../../../simulator/lab.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the onvif package's callback API
const onvif = createRequire(import.meta.url)('onvif') as any;
const USER = 'admin';
const PASS = 'pantau-lab-cam';

function rtsp(host: string, port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host);
    let out = '';
    s.setTimeout(5000, () => {
      s.destroy();
      reject(new Error('rtsp timeout'));
    });
    s.on('data', (b) => {
      out += b.toString();
      if (
        /\r\n\r\n/.test(out) &&
        (!/Content-Length: (\d+)/.test(out) ||
          out.split('\r\n\r\n')[1]!.length >= Number(/Content-Length: (\d+)/.exec(out)![1]))
      ) {
        s.end();
        resolve(out);
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`rtsp closed: ${out}`)));
    s.write(request);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function camera(opts: { hostname: string; port: number; password?: string }): Promise<any> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('onvif connect timeout')), 15_000);
    const cam = new onvif.Cam(
      { hostname: opts.hostname, port: opts.port, username: USER, password: opts.password ?? PASS, timeout: 5000 },
      (err: Error | null) => {
        clearTimeout(t);
        if (err) reject(err);
        else resolve(cam);
      },
    );
  });
}
const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

describe('lab/onvif (onvif package, curl --digest, RTSP)', function () {
  this.timeout(120_000);
  let lab: Lab;
  const full = okuInventory();
  const inv = subInventory(full, ['cctv-01', 'cctv-02']);
  const cam = full.byId.get('cctv-01')!;

  before(async () => {
    // Multicast over loopback in this private namespace, for WS-Discovery.
    await sh('ip', ['link', 'set', 'lo', 'multicast', 'on']);
    await sh('ip', ['route', 'replace', '224.0.0.0/4', 'dev', 'lo']);
    lab = await startTestLab({ inventory: inv });
  });
  after(async () => {
    await lab?.stop();
  });

  it('is discovered over WS-Discovery by the onvif package', async () => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const found = await new Promise<any[]>((resolve, reject) =>
      onvif.Discovery.probe({ timeout: 3000, resolve: false }, (err: Error | null, list: any[]) =>
        err ? reject(err) : resolve(list),
      ),
    );
    /* eslint-enable @typescript-eslint/no-explicit-any */
    const xaddrs = found.map((f) => JSON.stringify(f));
    expect(
      xaddrs.some((x) => x.includes(`http://${cam.address}:80/onvif/device_service`)),
      xaddrs.join('\n'),
    ).to.equal(true);
  });

  it('serves device information, profiles, stream and snapshot URIs to the onvif package', async () => {
    const c = await camera({ hostname: cam.address, port: 80 });
    const info = await call<{ model: string; serialNumber: string }>((cb) => c.getDeviceInformation(cb));
    expect(info.model).to.equal(cam.model);
    expect(info.serialNumber).to.equal(cam.serial);
    expect(c.profiles).to.have.length(1);
    const stream = await call<{ uri: string }>((cb) => c.getStreamUri({ protocol: 'RTSP' }, cb));
    expect(stream.uri).to.equal(`rtsp://${cam.address}:554/Profile_1`);
    const snap = await call<{ uri: string }>((cb) => c.getSnapshotUri({}, cb));
    expect(snap.uri).to.equal(`http://${cam.address}:80/snapshot/Profile_1.jpg`);
    const time = await call<Date>((cb) => c.getSystemDateAndTime(cb));
    expect(Math.abs(new Date(time).getTime() - Date.now())).to.be.lessThan(5000);
  });

  it('refuses wrong credentials with s:Sender / ter:NotAuthorized', async () => {
    const c = await camera({ hostname: cam.address, port: 80, password: 'salah' });
    let err: Error | null = null;
    try {
      await call((cb) => c.getDeviceInformation(cb));
    } catch (e) {
      err = e as Error;
    }
    expect(String(err?.message)).to.match(/NotAuthorized|Sender not Authorized/);
    // The same through raw HTTP: status 400 and the fault codes in the body.
    const nonce = Buffer.from('0123456789abcdef');
    const created = new Date().toISOString();
    const digest = createHash('sha1')
      .update(Buffer.concat([nonce, Buffer.from(created), Buffer.from('salah')]))
      .digest('base64');
    const body = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken><Username>admin</Username><Password Type="PasswordDigest">${digest}</Password><Nonce>${nonce.toString('base64')}</Nonce><Created>${created}</Created></UsernameToken></Security></s:Header><s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`;
    const res = await fetch(`http://${cam.address}/onvif/device_service`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/soap+xml' },
    });
    const text = await res.text();
    expect(res.status).to.equal(400);
    expect(text).to.contain('<s:Value>s:Sender</s:Value>').and.to.contain('ter:NotAuthorized');
  });

  it('curl --digest fetches a valid JPEG; wrong password gets 401', async () => {
    const url = `http://${cam.address}/snapshot/Profile_1.jpg`;
    const ok = await sh('bash', [
      '-c',
      `curl -s --digest -u ${USER}:${PASS} -o /tmp/pantau-lab-snap.jpg -w '%{http_code} %{content_type}\\n' ${url} && od -An -tx1 -N3 /tmp/pantau-lab-snap.jpg && base64 -w0 /tmp/pantau-lab-snap.jpg`,
    ]);
    const [status, hex, b64] = ok.stdout.split('\n');
    expect(status).to.equal('200 image/jpeg');
    expect(hex!.trim()).to.equal('ff d8 ff');
    const jpg = Buffer.from(b64!, 'base64');
    expect(looksLikeJpeg(jpg)).to.equal(true);
    expect(jpg.length).to.be.within(100, 65_536);
    const bad = await sh('curl', [
      '-s',
      '--digest',
      '-u',
      `${USER}:salah`,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      url,
    ]);
    expect(bad.stdout).to.equal('401');
  });

  it('answers RTSP OPTIONS, and DESCRIBE with SDP after Digest auth', async () => {
    const opt = await rtsp(cam.address, 554, `OPTIONS rtsp://${cam.address}:554/Profile_1 RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
    expect(opt)
      .to.match(/^RTSP\/1.0 200 OK/)
      .and.to.contain('CSeq: 1')
      .and.to.contain('DESCRIBE');
    const uri = `rtsp://${cam.address}:554/Profile_1`;
    const first = await rtsp(
      cam.address,
      554,
      `DESCRIBE ${uri} RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n`,
    );
    expect(first).to.match(/^RTSP\/1.0 401/);
    const nonce = /nonce="([^"]+)"/.exec(first)![1]!;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const response = md5(`${md5(`${USER}:pantau-lab:${PASS}`)}:${nonce}:00000001:abc:auth:${md5(`DESCRIBE:${uri}`)}`);
    const auth = `Digest username="${USER}", realm="pantau-lab", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abc", response="${response}"`;
    const second = await rtsp(
      cam.address,
      554,
      `DESCRIBE ${uri} RTSP/1.0\r\nCSeq: 3\r\nAuthorization: ${auth}\r\n\r\n`,
    );
    expect(second)
      .to.match(/^RTSP\/1.0 200 OK/)
      .and.to.contain('Content-Type: application/sdp')
      .and.to.contain('m=video 0 RTP/AVP 96');
  });

  it('camera faults: snapshot http500/not-jpeg/empty, rtsp-down, clock drift', async () => {
    const step = (m: string) => {
      if (process.env['LAB_DEBUG']) console.log(m);
    };
    const url = `http://${cam.address}/snapshot/Profile_1.jpg`;
    const get = async () =>
      (
        await sh('curl', [
          '-s',
          '--digest',
          '-u',
          `${USER}:${PASS}`,
          '-o',
          '/dev/null',
          '-w',
          '%{http_code} %{size_download}',
          url,
        ])
      ).stdout;
    await lab.fault(cam.id, { kind: 'snapshot', mode: 'http500' });
    expect(await get()).to.match(/^500 /);
    await lab.fault(cam.id, { kind: 'snapshot', mode: 'empty' });
    expect(await get()).to.equal('200 0');
    step('rtsp');
    await lab.fault(cam.id, { kind: 'rtsp-down' });
    let rtspErr: unknown = null;
    try {
      await rtsp(cam.address, 554, 'OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n');
    } catch (e) {
      rtspErr = e;
    }
    expect(rtspErr).to.not.equal(null);
    step('drift');
    await lab.fault(cam.id, { kind: 'clock-drift', seconds: 3600 });
    const c = await camera({ hostname: cam.address, port: 80 });
    const time = await call<Date>((cb) => c.getSystemDateAndTime(cb));
    expect(new Date(time).getTime() - Date.now()).to.be.within(3_590_000, 3_610_000);
    step('wrong-credentials');
    await lab.fault(cam.id, { kind: 'wrong-credentials' });
    let authErr: Error | null = null;
    try {
      await call((cb) => c.getDeviceInformation(cb));
    } catch (e) {
      authErr = e as Error;
    }
    expect(String(authErr?.message)).to.match(/NotAuthorized|Sender not Authorized/);
    await lab.fault(cam.id, { kind: 'malformed-soap' });
    const soap = await fetch(`http://${cam.address}/onvif/device_service`, {
      method: 'POST',
      body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime/></s:Body></s:Envelope>',
    });
    const text = await soap.text();
    expect(text).to.not.contain('</s:Envelope>');
    step('clear');
    await lab.clear(cam.id);
    expect(await get()).to.match(/^200 [1-9]/);
  });
});

// libonvif disables multicast loopback: onvif-util only sees cameras in ANOTHER namespace, and the
// address it logs in to must be the one in the camera's XAddr. So: a veth pair between this
// namespace (the lab, camera on 10.231.0.1) and a second one (onvif-util, 10.231.0.2).
describe('lab/onvif with onvif-util (libonvif) from a second namespace over a veth pair', function () {
  this.timeout(120_000);
  let lab: Lab;
  let holder: ChildProcess;
  const nsx = (pid: number, ...cmd: string[]) => sh('nsenter', ['-t', String(pid), '-n', ...cmd]);

  before(async () => {
    const { spawn } = await import('node:child_process');
    holder = spawn('unshare', ['-n', 'sleep', '600'], { stdio: 'ignore' });
    const pid = holder.pid!;
    // The holder has its own network namespace once unshare has exec'd sleep.
    const ownNs = readlinkSync('/proc/self/ns/net');
    await until(
      () => {
        try {
          return readlinkSync(`/proc/${pid}/ns/net`) !== ownNs;
        } catch {
          return false;
        }
      },
      5000,
      "the holder's network namespace",
    );
    for (const cmd of [
      ['ip', 'link', 'add', 'plab0', 'type', 'veth', 'peer', 'name', 'pcli0', 'netns', String(pid)],
      ['ip', 'addr', 'add', '10.231.0.1/24', 'dev', 'plab0'],
      ['ip', 'link', 'set', 'plab0', 'up'],
    ]) {
      const r = await sh(cmd[0]!, cmd.slice(1));
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).to.equal(0);
    }
    for (const cmd of [
      ['ip', 'link', 'set', 'lo', 'up'],
      ['ip', 'addr', 'add', '10.231.0.2/24', 'dev', 'pcli0'],
      ['ip', 'link', 'set', 'pcli0', 'up'],
      ['ip', 'route', 'add', '224.0.0.0/4', 'dev', 'pcli0'],
    ]) {
      const r = await nsx(pid, ...cmd);
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).to.equal(0);
    }
    const base = okuInventory().byId.get('cctv-01')!;
    const device: Device = { ...base, id: 'cctv-veth', parent: null, role: 'camera', address: '10.231.0.1' } as Device;
    lab = await startTestLab({ inventory: buildInventory([device]), ports: { snmp: null } });
  });
  after(async () => {
    await lab?.stop();
    await sh('ip', ['link', 'del', 'plab0']);
    holder?.kill();
  });

  const util = (...lines: string[]) =>
    nsx(
      holder.pid!,
      'bash',
      '-c',
      `printf '${lines.join('\\n')}\\nquit\\n' | timeout 20 onvif-util -u ${USER} -p ${PASS} 10.231.0.1`,
    );

  it('discovers the camera (onvif-util -a)', async () => {
    const r = await nsx(holder.pid!, 'timeout', '20', 'onvif-util', '-a');
    expect(r.stdout + r.stderr).to.contain('10.231.0.1');
  });

  it('reads profiles, RTSP URI and time', async () => {
    const r = await util('get profiles', 'get rtsp', 'get time');
    const out = r.stdout + r.stderr;
    expect(out).to.contain('Profile_1');
    expect(out).to.contain('rtsp://10.231.0.1:554/Profile_1');
    expect(out).to.contain('Time Offset: 0 seconds');
  });
});
