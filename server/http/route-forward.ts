/**
 * Archive routes on a web server of a cluster (ADR 0902). A route marked `runsOn: 'archive'` reads
 * what only the core keeps (its SQLite). A web server checks the session, the role and the input as
 * usual, then sends the raw input and the session's user to the core; the core runs the SAME
 * handler from the same route table and returns what it answered: JSON, a file (base64), or the
 * HTTP error it threw. The web server replays that answer, so status, body and headers are what
 * `--role all` would have sent. Pure apart from the handler it runs.
 */
import { z } from 'zod';
import type { SessionUser } from '../../core/realtime.js';
import { FileReply, HttpError, type RouteDef } from './route.js';

/** What a web server sends the core: the route (by method and path template), its raw input, the user. */
export const forwardInputSchema = z
  .object({
    method: z.enum(['get', 'post', 'delete']),
    path: z.string().min(1).max(200),
    params: z.record(z.string(), z.string().max(1000)),
    query: z.record(z.string(), z.union([z.string().max(2000), z.array(z.string().max(2000)).max(200)])),
    body: z.unknown().optional(),
    user: z
      .object({
        id: z.number().int(),
        username: z.string().min(1).max(64),
        displayName: z.string().max(200),
        role: z.enum(['admin', 'operator', 'technician', 'viewer']),
        groups: z.array(z.string().max(100)).max(100),
        allAlerts: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();
export type ForwardInput = z.infer<typeof forwardInputSchema>;

const status = z.number().int().min(100).max(599);
const head = { status, contentType: z.string().min(1).max(200), disposition: z.string().max(300).optional() };
/** The core's answer, checked again on the web server (whatever is in Redis is input). */
export const forwardReplySchema = z.union([
  z.object({ ...head, text: z.string() }).strict(),
  z.object({ ...head, base64: z.string() }).strict(),
  z
    .object({
      status,
      error: z.object({
        code: z.string().max(100),
        message: z.string().max(5000),
        issues: z.array(z.unknown()).optional(),
      }),
    })
    .strict(),
]);
export type ForwardReply = z.infer<typeof forwardReplySchema>;

const issueText = (where: string, e: z.ZodError) =>
  e.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`);

/** Validates one part of a request against the route's schema (400 with every problem). Shared with app.ts. */
export function parseRouteInput(where: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown) {
  if (!schema) {
    if (where === 'query' && value && Object.keys(value).length > 0)
      throw new HttpError(400, 'PANTAU_BAD_REQUEST', `query: this route takes no query parameters`);
    return undefined;
  }
  const out = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!out.success) {
    const lines = issueText(where, out.error);
    throw new HttpError(400, 'PANTAU_BAD_REQUEST', lines.join('; '), lines);
  }
  return out.data;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A handler's return value as a reply (what the app would write). */
export function replyOf(route: RouteDef, result: unknown): ForwardReply {
  const status = route.status ?? 200;
  if (result instanceof FileReply)
    return {
      status,
      contentType: result.contentType,
      ...(result.disposition ? { disposition: result.disposition } : {}),
      base64: result.body.toString('base64'),
    };
  return { status, contentType: JSON_TYPE, text: JSON.stringify(result) ?? '' };
}

/**
 * The core's side: runs an archive route for a web server. Errors a handler throws as HttpError
 * come back as a reply with that status; anything else is thrown (the RPC layer reports it, and
 * the web server answers 503 or 500 as the single process would).
 */
export function createRouteRunner(routes: readonly RouteDef[]) {
  const byKey = new Map(routes.filter((r) => r.runsOn === 'archive').map((r) => [`${r.method} ${r.path}`, r]));
  return async (args: unknown, signal?: AbortSignal): Promise<ForwardReply> => {
    const input = forwardInputSchema.safeParse(args);
    if (!input.success)
      return {
        status: 400,
        error: {
          code: 'PANTAU_BAD_REQUEST',
          message: `forwarded request: ${input.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        },
      };
    const { method, path, user } = input.data;
    const route = byKey.get(`${method} ${path}`);
    if (!route)
      return {
        status: 404,
        error: { code: 'PANTAU_NOT_FOUND', message: `no route ${method.toUpperCase()} ${path} on the core` },
      };
    try {
      const params = parseRouteInput('params', route.params, input.data.params);
      const query = parseRouteInput('query', route.query, input.data.query);
      const body = parseRouteInput('body', route.body, input.data.body);
      const result = await route.handler({
        user: user as SessionUser,
        params,
        query,
        body,
        req: undefined,
        res: undefined,
        signal: signal ?? new AbortController().signal,
      } as never);
      return replyOf(route, result);
    } catch (err) {
      if (err instanceof HttpError)
        return {
          status: err.status,
          error: { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) },
        };
      throw err;
    }
  };
}

/** The web server's side: a reply from the core as the HTTP error it carries, or the bytes to send. */
export function unpackReply(raw: unknown): { status: number; contentType: string; disposition?: string; body: Buffer } {
  const parsed = forwardReplySchema.safeParse(raw);
  if (!parsed.success)
    throw new HttpError(502, 'PANTAU_BAD_GATEWAY', 'jawaban inti rusak / malformed answer from the core');
  const reply = parsed.data;
  if ('error' in reply) throw new HttpError(reply.status, reply.error.code, reply.error.message, reply.error.issues);
  return {
    status: reply.status,
    contentType: reply.contentType,
    ...(reply.disposition ? { disposition: reply.disposition } : {}),
    body: 'base64' in reply ? Buffer.from(reply.base64, 'base64') : Buffer.from(reply.text, 'utf8'),
  };
}

/** A web server's way to the core: `input` for the route, the core's reply (throws PANTAU_UNAVAILABLE). */
export type RouteForwarder = (input: ForwardInput) => Promise<ForwardReply>;
