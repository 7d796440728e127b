import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this request was answered with. */
  status: number;
  at: number;
}

export interface HttpCapture {
  url: string;
  /** Every request, including the ones answered with an error status. */
  requests: CapturedRequest[];
  /** Requests answered 2xx. */
  accepted(): CapturedRequest[];
  /** Answer the next requests with this status (e.g. 500) until called again with 200. */
  respondWith(status: number, body?: unknown): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server on a random loopback port that records requests: stands in for the
 * Telegram Bot API (answers `{ ok: true, result: {} }`) and for webhook receivers.
 */
export async function startHttpCapture(): Promise<HttpCapture> {
  const requests: CapturedRequest[] = [];
  let status = 200;
  let reply: unknown = { ok: true, result: { message_id: 1 } };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        at: Date.now(),
      });
      const body =
        status >= 200 && status < 300 ? reply : { ok: false, error_code: status, description: 'stand-in failure' };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    respondWith(s, body) {
      status = s;
      if (body !== undefined) reply = body;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
