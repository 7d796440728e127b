/**
 * A pass-through HTTP proxy in front of a real influxd that keeps every line-protocol write it
 * forwards, with influxd's answer and whether that answer reached the writer. InfluxDB overwrites a
 * point written twice with the same series and time, so an InfluxQL count cannot see a duplicate
 * write; this tap can: a point in two writes that were both answered 2xx to the writer was written
 * twice (a retry after a failed or unanswered write is not).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TappedWrite {
  /** The request's query string (db, precision…). */
  search: string;
  lines: string[];
  status: number;
  /** influxd's answer was written out to the writer in full (it had not given up on the request). */
  delivered: boolean;
  at: number;
}

export interface InfluxWriteTap {
  /** What the writer is given as its InfluxDB URL. */
  url: string;
  writes: TappedWrite[];
  /** Writes influxd took (2xx) and whose answer reached the writer. */
  acknowledged(): TappedWrite[];
  close(): Promise<void>;
}

export async function startInfluxWriteTap(target: string): Promise<InfluxWriteTap> {
  const writes: TappedWrite[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', target);
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'authorization', 'accept'])
        if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      const isWrite = url.pathname === '/write';
      void fetch(url, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      })
        .then(async (r) => {
          const answer = Buffer.from(await r.arrayBuffer());
          const rec: TappedWrite | undefined = isWrite
            ? {
                search: url.search,
                lines: body.toString('utf8').split('\n').filter(Boolean),
                status: r.status,
                delivered: false,
                at: Date.now(),
              }
            : undefined;
          if (rec) {
            writes.push(rec);
            res.once('finish', () => {
              rec.delivered = true;
            });
          }
          const out: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding')
              out[k] = v;
          });
          res.writeHead(r.status, out);
          res.end(answer);
        })
        .catch((err: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`tap: ${err.message}`);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    writes,
    acknowledged: () => writes.filter((w) => w.delivered && w.status >= 200 && w.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The `measurement` points in line protocol as "tagset time" keys (the series and its timestamp:
 * what InfluxDB treats as the same point). Escaped commas and spaces in tags are kept as written.
 */
export function pointKeys(lines: readonly string[], measurement: string): { key: string; tags: string; ts: string }[] {
  const out: { key: string; tags: string; ts: string }[] = [];
  for (const line of lines) {
    if (!line.startsWith(`${measurement},`) && !line.startsWith(`${measurement} `)) continue;
    // measurement[,tags] fields [timestamp]: the tag set ends at the first unescaped space.
    const m = /^((?:[^ \\]|\\.)*) (?:[^ \\"]|\\.|"(?:[^"\\]|\\.)*")* (\d+)$/.exec(line);
    if (!m) throw new Error(`tap: a ${measurement} line without a timestamp: ${line.slice(0, 200)}`);
    out.push({ key: `${m[1]} ${m[2]}`, tags: m[1]!, ts: m[2]! });
  }
  return out;
}
