/**
 * One public application of the lab (a `service` device): an HTTPS (or HTTP) server on the device's
 * address that serves a page naming the application, with certificates from the lab CA, and the
 * service faults: http-status, http-slow, content-changed, cert-expiring/expired/wrong-host, port-closed.
 * `down` (and a fiber cut above it) silences it: iptables DROP, and the responder stays silent too.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import type { DeviceModel } from '../model/device.js';
import { certRequestFor, issueCert, type CertVariant, type LabCa } from './pki.js';

/** Which certificate the faults ask for (pure): expired beats wrong host beats expiring. */
export function certVariantOf(model: Pick<DeviceModel, 'find'>): CertVariant {
  if (model.find('cert-expired')) return { kind: 'expired' };
  if (model.find('cert-wrong-host')) return { kind: 'wrong-host' };
  const e = model.find('cert-expiring');
  return e ? { kind: 'expiring', days: e.days } : { kind: 'ok' };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page a working application serves (names the application: the http check's `contains`). */
export function appPage(name: string, description: string): string {
  return (
    `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${esc(name)} — Pemerintah Kabupaten Ogan Komering Ulu</title></head>` +
    `<body><h1>${esc(name)}</h1><p>${esc(description)}</p><p>Lab pantau: layanan tiruan / simulated service.</p></body></html>`
  );
}
const MAINTENANCE_PAGE =
  '<!doctype html><html><head><title>Welcome</title></head><body><h1>It works!</h1><p>Default web server page.</p></body></html>';

export interface ServiceAppOptions {
  host: string;
  https: boolean;
  port: number;
  ca: LabCa;
  now: () => number;
}

export interface ServiceApp {
  /** Re-reads the faults (port-closed opens/closes the port). */
  changed(): void;
  close(): Promise<void>;
}

export async function startServiceApp(model: DeviceModel, o: ServiceAppOptions): Promise<ServiceApp> {
  const contexts = new Map<string, Promise<SecureContext>>();
  const contextFor = (v: CertVariant): Promise<SecureContext> => {
    // Expiring certificates are issued relative to now: re-issue when asked a day later.
    const key = v.kind === 'expiring' ? `expiring:${v.days}:${Math.floor(o.now() / 86_400_000)}` : v.kind;
    let c = contexts.get(key);
    if (!c) {
      c = issueCert(o.ca, certRequestFor(o.host, v, o.now())).then((cert) =>
        createSecureContext({ cert: cert.certPem, key: cert.keyPem }),
      );
      c.catch(() => contexts.delete(key));
      contexts.set(key, c);
    }
    return c;
  };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (model.silent(o.now())) {
      req.socket.destroy();
      return;
    }
    const delay = (model.find('http-slow')?.ms ?? 0) + model.replyDelayMs();
    const respond = () => {
      const status = model.find('http-status')?.status;
      const body =
        status !== undefined
          ? `<!doctype html><html><body><h1>${status} Error</h1></body></html>`
          : model.find('content-changed')
            ? MAINTENANCE_PAGE
            : appPage(model.device.name, model.device.model ?? '');
      res.writeHead(status ?? 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (delay <= 0) {
      respond();
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) respond();
    }, delay);
    timers.add(t);
  };
  let server: Server | HttpsServer;
  if (o.https) {
    // The default certificate (a client without SNI); SNI clients get the one the faults ask for.
    const first = await issueCert(o.ca, certRequestFor(o.host, { kind: 'ok' }, o.now()));
    // The good certificate is the SNI answer too: no issuing on a client's first handshake.
    contexts.set('ok', Promise.resolve(createSecureContext({ cert: first.certPem, key: first.keyPem })));
    server = createHttpsServer(
      {
        cert: first.certPem,
        key: first.keyPem,
        SNICallback: (_name, cb) => {
          contextFor(certVariantOf(model)).then(
            (ctx) => cb(null, ctx),
            (err: Error) => cb(err, undefined),
          );
        },
      },
      handler,
    );
  } else {
    server = createHttpServer(handler);
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  let listening = false;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, model.device.address, () => {
        server.off('error', reject);
        listening = true;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      listening = false;
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  if (!model.find('port-closed')) await listen();
  let queue: Promise<void> = Promise.resolve();
  return {
    changed() {
      const closed = !!model.find('port-closed');
      if (closed === !listening) return;
      queue = queue.then(() => (closed ? unlisten() : listen())).catch(() => {});
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      await queue;
      if (listening) await unlisten();
    },
  };
}
