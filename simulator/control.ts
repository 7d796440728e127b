import { createServer, type Server } from 'node:http';
import { PantauError } from '../core/errors.js';
import type { Lab } from './lab.js';
import { checkFault, parseFault } from './model/faults.js';

/** Where `pantau lab fault|clear|status` find the running lab (HTTP on loopback only). */
export const DEFAULT_CONTROL = { host: '127.0.0.1', port: 17161 } as const;

export interface FaultRequest {
  target: string;
  /** Either a CLI-style kind + args (`loss 20`, `fiber-cut`) or a fault object. */
  kind?: string;
  args?: string[];
  fault?: unknown;
  subtree?: boolean;
}

/**
 * The lab's control API: GET /status, POST /fault, POST /clear. JSON in and out; bound to
 * 127.0.0.1 because anyone who can reach it can take the simulated network down.
 */
export async function startControl(
  lab: Lab,
  opts: { host?: string; port?: number; onChange?: (what: string) => void } = {},
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const body = chunks.length
            ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
            : {};
          if (req.method === 'GET' && req.url === '/status') return reply(200, await lab.status());
          if (req.method === 'POST' && req.url === '/fault') {
            const r = body as unknown as FaultRequest;
            if (typeof r.target !== 'string') throw new PantauError('PANTAU_LAB', 'fault: target missing');
            // `subtree:<id>` is the same as --subtree.
            const sub = r.target.startsWith('subtree:');
            if (sub) {
              r.target = r.target.slice('subtree:'.length);
              r.subtree = true;
            }
            const parsed =
              r.fault !== undefined
                ? { fault: checkFault(r.fault), subtree: false }
                : parseFault(String(r.kind ?? ''), r.args ?? []);
            const ids = await lab.fault(r.target, parsed.fault, { subtree: Boolean(r.subtree) || parsed.subtree });
            opts.onChange?.(`${parsed.fault.kind} ${r.target}${ids.length > 1 ? ` (+${ids.length - 1})` : ''}`);
            return reply(200, { ok: true, devices: ids });
          }
          if (req.method === 'POST' && req.url === '/clear') {
            const target = String(body['target'] ?? '');
            if (!target) throw new PantauError('PANTAU_LAB', 'clear: target missing');
            await lab.clear(target);
            opts.onChange?.(`clear ${target}`);
            return reply(200, { ok: true });
          }
          return reply(404, { ok: false, error: 'not found' });
        } catch (err) {
          const e = err as PantauError;
          return reply(400, { ok: false, error: e.message, details: e.details ?? [] });
        }
      })();
    });
  });
  const host = opts.host ?? DEFAULT_CONTROL.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_CONTROL.port, host, () => resolve());
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Client side, for the CLI: one JSON request to the running lab. */
export async function controlRequest(
  path: string,
  body: unknown,
  opts: { host?: string; port?: number; signal?: AbortSignal } = {},
): Promise<Record<string, unknown>> {
  const url = `http://${opts.host ?? DEFAULT_CONTROL.host}:${opts.port ?? DEFAULT_CONTROL.port}${path}`;
  let res: Response;
  try {
    res = await fetch(
      url,
      body === undefined
        ? { signal: opts.signal ?? AbortSignal.timeout(10_000) }
        : {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { 'Content-Type': 'application/json' },
            signal: opts.signal ?? AbortSignal.timeout(30_000),
          },
    );
  } catch (err) {
    throw new PantauError(
      'PANTAU_LAB',
      `lab tidak berjalan / no lab running at ${url} (start it with \`pantau lab\`)`,
      { cause: err },
    );
  }
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok)
    throw new PantauError('PANTAU_LAB', String(json['error'] ?? `HTTP ${res.status}`), {
      details: (json['details'] as string[]) ?? [],
    });
  return json;
}
