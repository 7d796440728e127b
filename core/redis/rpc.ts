/**
 * Commands from web servers to the one core over Redis (ADR 0901): a request is pushed onto the
 * list `<prefix>rpc:core` (it waits there while the core restarts), the core pops it, runs it and
 * PUBLISHes the reply on the asking server's own channel. A request carries a deadline: one the
 * core reaches too late is dropped, so an operator's ack that timed out on the page is not applied
 * minutes later behind their back.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isPantauError, PantauError, type PantauErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

export const rpcQueueKey = (prefix: string) => `${prefix}rpc:core`;
const blobKey = (prefix: string, id: string) => `${prefix}rpc:blob:${id}`;

/**
 * A reply larger than this does not travel in the PUBLISH (Redis closes a subscriber whose output
 * buffer passes 32 MB, and a big message holds up every other reply): the core stores it under
 * `<prefix>rpc:blob:<id>` for a minute and publishes only the key; the caller takes it with GETDEL.
 */
export const RPC_INLINE_MAX = 256 * 1024;
/** The largest reply at all (a report PDF of a national inventory fits): above it the caller gets PANTAU_TOO_LARGE. */
export const RPC_REPLY_MAX = 64 * 1024 * 1024;

const requestShape = z
  .object({
    id: z.string().min(1).max(100),
    method: z.string().min(1).max(100),
    args: z.unknown(),
    replyTo: z.string().min(1).max(300),
    deadline: z.number().finite(),
  })
  .strict();
export type RpcRequest = z.infer<typeof requestShape>;

const replyShape = z.union([
  z.object({ id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.string(), ok: z.literal(true), blob: z.string().min(1).max(400) }),
  z.object({ id: z.string(), ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type RpcReply = z.infer<typeof replyShape>;

export interface RpcClient {
  call<T>(method: string, args?: unknown, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * `pub` sends requests (a normal connection: it queues while reconnecting), `sub` is a connection
 * of its own put into subscriber mode for the replies.
 */
export function createRpcClient(deps: {
  pub: Redis;
  sub: Redis;
  prefix: string;
  name: string;
  timeoutMs?: number;
  now?: () => number;
}): RpcClient {
  const now = deps.now ?? Date.now;
  const channel = `${deps.prefix}rpc:reply:${deps.name}:${randomUUID()}`;
  const pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  const subscribed = deps.sub.subscribe(channel);
  deps.sub.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let reply: RpcReply;
    try {
      reply = replyShape.parse(JSON.parse(raw));
    } catch {
      return;
    }
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    clearTimeout(p.timer);
    if (!reply.ok) p.reject(new PantauError(reply.code as PantauErrorCode, reply.message));
    else if ('blob' in reply) {
      // Only a key of our own prefix: a reply names what we read.
      if (!reply.blob.startsWith(blobKey(deps.prefix, '')))
        return p.reject(new PantauError('PANTAU_UNAVAILABLE', 'bad reply from the core'));
      deps.pub
        .getdel(reply.blob)
        .then((raw) => {
          if (raw === null) throw new PantauError('PANTAU_UNAVAILABLE', 'reply expired in Redis');
          p.resolve(JSON.parse(raw));
        })
        .catch((err: unknown) =>
          p.reject(
            isPantauError(err) ? err : new PantauError('PANTAU_UNAVAILABLE', `Redis: ${(err as Error).message}`),
          ),
        );
    } else p.resolve(reply.result);
  });
  return {
    async call<T>(method: string, args?: unknown, timeoutMs = deps.timeoutMs ?? 10_000): Promise<T> {
      await subscribed;
      const id = randomUUID();
      const req: RpcRequest = { id, method, args: args ?? null, replyTo: channel, deadline: now() + timeoutMs };
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new PantauError(
              'PANTAU_UNAVAILABLE',
              `inti tidak menjawab dalam ${Math.round(timeoutMs / 1000)} detik / the core did not answer within ${Math.round(timeoutMs / 1000)} s (${method})`,
            ),
          );
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        deps.pub.lpush(rpcQueueKey(deps.prefix), JSON.stringify(req)).catch((err: unknown) => {
          pending.delete(id);
          clearTimeout(timer);
          reject(new PantauError('PANTAU_UNAVAILABLE', `Redis: ${(err as Error).message}`));
        });
      });
    },
    async close() {
      for (const [, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new PantauError('PANTAU_UNAVAILABLE', 'stopping'));
      }
      pending.clear();
      await deps.sub.unsubscribe(channel).catch(() => undefined);
    },
  };
}

export type RpcHandlers = Record<string, (args: unknown) => unknown>;

export interface RpcServer {
  stop(): Promise<void>;
  readonly served: number;
  readonly expired: number;
}

/** `conn` blocks in BRPOP (its own connection); `pub` publishes the replies. */
export function createRpcServer(deps: {
  conn: Redis;
  pub: Redis;
  prefix: string;
  handlers: RpcHandlers;
  logger: Logger;
  now?: () => number;
  blockS?: number;
  /** Commands run at once at most (a report being rendered must not hold up an ack). Default 8. */
  concurrency?: number;
  /** Largest reply in bytes of JSON (default RPC_REPLY_MAX). */
  replyMax?: number;
  /** Largest reply sent inside the PUBLISH (default RPC_INLINE_MAX; larger ones go through a key). */
  inlineMax?: number;
}): RpcServer {
  const replyMax = deps.replyMax ?? RPC_REPLY_MAX;
  const inlineMax = deps.inlineMax ?? RPC_INLINE_MAX;
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'rpc' });
  const key = rpcQueueKey(deps.prefix);
  let stopped = false;
  let served = 0;
  let expired = 0;
  const send = async (to: string, r: RpcReply) => {
    if (r.ok && 'result' in r) {
      const body = JSON.stringify(r.result ?? null);
      if (body.length > replyMax) {
        const tooLarge: RpcReply = {
          id: r.id,
          ok: false,
          code: 'PANTAU_TOO_LARGE',
          message: `jawaban inti terlalu besar (${(body.length / 1048576).toFixed(1)} MB > ${(replyMax / 1048576).toFixed(1)} MB) / the core's answer is too large to pass through Redis`,
        };
        await deps.pub.publish(to, JSON.stringify(tooLarge));
        return;
      }
      if (body.length > inlineMax) {
        const blob = blobKey(deps.prefix, r.id);
        await deps.pub.set(blob, body, 'PX', 60_000);
        await deps.pub.publish(to, JSON.stringify({ id: r.id, ok: true, blob } satisfies RpcReply));
        return;
      }
    }
    await deps.pub.publish(to, JSON.stringify(r));
  };
  const reply = (to: string, r: RpcReply) =>
    send(to, r).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'rpc reply not sent'));

  async function serve(raw: string): Promise<void> {
    let req: RpcRequest;
    try {
      req = requestShape.parse(JSON.parse(raw));
    } catch {
      log.warn('perintah rusak dilewati / malformed command skipped');
      return;
    }
    if (req.deadline < now()) {
      expired++;
      log.warn({ method: req.method }, 'perintah kedaluwarsa dilewati / expired command skipped');
      return;
    }
    const h = Object.hasOwn(deps.handlers, req.method) ? deps.handlers[req.method] : undefined;
    if (!h) {
      await reply(req.replyTo, {
        id: req.id,
        ok: false,
        code: 'PANTAU_INVALID_INPUT',
        message: `unknown command ${req.method}`,
      });
      return;
    }
    try {
      const result = await h(req.args);
      served++;
      await reply(req.replyTo, { id: req.id, ok: true, result: result ?? null });
    } catch (err) {
      if (!isPantauError(err)) log.error({ err, method: req.method }, 'command failed');
      await reply(
        req.replyTo,
        isPantauError(err)
          ? { id: req.id, ok: false, code: err.code, message: err.message }
          : { id: req.id, ok: false, code: 'PANTAU_INTERNAL', message: 'internal error' },
      );
    }
  }

  const running = new Set<Promise<void>>();
  const limit = Math.max(1, deps.concurrency ?? 8);
  const loop = (async () => {
    while (!stopped) {
      try {
        if (running.size >= limit) {
          await Promise.race(running);
          continue;
        }
        const got = await deps.conn.brpop(key, deps.blockS ?? 1);
        if (got) {
          const p: Promise<void> = serve(got[1]).finally(() => running.delete(p));
          running.add(p);
        }
      } catch (err) {
        if (stopped) break;
        log.debug({ err: (err as Error).message }, 'rpc read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    get served() {
      return served;
    },
    get expired() {
      return expired;
    },
    async stop() {
      stopped = true;
      deps.conn.disconnect();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}
