/**
 * The EventBus on Redis Streams (ADR 0900), for pantau split over processes and machines
 * (`pantau start --role collector|core|web`). Same contract as the in-process bus: asynchronous,
 * publish order per topic, a throwing handler is logged and the others still run. On top:
 *
 * - work topics are read through a consumer group and acknowledged only after every handler
 *   finished, so a consumer killed -9 gets its unacknowledged entries again when it restarts
 *   (same consumer name) or another consumer of the group claims them (XAUTOCLAIM);
 * - every entry is validated on receipt (payloads.ts, plus an optional `accept` check such as
 *   "known device"): a bad one is logged, counted, acknowledged and skipped;
 * - work streams are bounded: a full stream refuses the entry, counts it and raises pantau.health;
 * - while Redis cannot be reached, published entries go to a durable spool (when given) and are
 *   replayed in order once it answers.
 */
import type { Redis } from 'ioredis';
import type { EventBus, EventMap, Handler, Topic } from '../bus.js';
import type { Logger } from '../logger.js';
import { decodePayload } from './payloads.js';
import type { Spool } from './spool.js';
import { BOUNDED_XADD, dropsKey, streamKey, trimPoint, WORK_TOPICS, type GroupPosition } from './streams.js';

export interface RedisBusOptions {
  /**
   * A new connection; each blocking reader gets its own. The 'publish' one must fail fast while
   * disconnected (enableOfflineQueue false, maxRetriesPerRequest 0: connectRedis's failFast), so
   * what Redis did not take goes to the spool instead of a hidden queue.
   */
  connect: (use: 'publish' | 'read') => Redis;
  /** Key prefix, e.g. "pantau:". */
  prefix: string;
  /** Bound of each stream (work streams refuse past it; broadcast streams keep the last ~maxLen). */
  maxLen: number;
  /** Consumer group for work topics (the core). Without it every subscription tails the stream. */
  group?: string;
  /** This process's consumer name: stable across restarts, so a restarted core re-reads its pending entries. */
  consumer: string;
  /** Durable buffer for entries published while Redis is away; without it they wait in memory (bounded). */
  spool?: Spool;
  logger: Logger;
  /** A semantic check after the shape check: a string is the reason to skip the entry. */
  accept?: <T extends Topic>(topic: T, payload: EventMap[T]) => string | null;
  /** Pending entries of another consumer idle this long are claimed (its process is gone). */
  claimIdleMs?: number;
  blockMs?: number;
  readCount?: number;
  trimEveryMs?: number;
  /** Entries kept in memory while Redis is away and there is no spool. */
  memoryQueueMax?: number;
  now?: () => number;
  /** Start reading only at `resume()`, once every module subscribed (none misses the first entries). */
  paused?: boolean;
}

export interface RedisBusStats {
  connected: boolean;
  published: Partial<Record<Topic, number>>;
  /** Refused by a full work stream (this publisher's count). */
  refused: Partial<Record<Topic, number>>;
  consumed: Partial<Record<Topic, number>>;
  /** Entries skipped on receipt (malformed or not accepted). */
  skipped: number;
  /** Waiting to reach Redis: in memory plus in the spool. */
  buffered: number;
  /** Lost for the bound of the spool or the memory queue. */
  bufferDropped: number;
  /** The consumer group's lag per work topic (entries not yet delivered), from XINFO GROUPS. */
  lag: Partial<Record<Topic, number>>;
}

export interface RedisBus extends EventBus {
  stats(): RedisBusStats;
  /** Resolves once every published entry so far reached Redis (or the spool while it is away). */
  flushed(): Promise<void>;
  /** Starts the readers of a bus created `paused`. */
  resume(): void;
}

interface Entry {
  id: string;
  fields: string[];
}
interface Pending {
  topic: Topic;
  payload: string;
}

type BoundedRedis = Redis & {
  pantauBoundedXadd(stream: string, drops: string, max: number, payload: string, topic: string): Promise<string | null>;
};

const inc = (rec: Partial<Record<Topic, number>>, t: Topic, n = 1) => {
  rec[t] = (rec[t] ?? 0) + n;
};

function parseEntries(reply: unknown): Entry[] {
  // XREAD/XREADGROUP: [[key, [[id, [f, v, …]], …]]] or null
  if (!Array.isArray(reply) || reply.length === 0) return [];
  // ioredis' generic call() gives one stream as [key, items] and several as [[key, items], …].
  const streams = (typeof reply[0] === 'string' ? [reply] : reply) as Array<[string, Array<[string, string[] | null]>]>;
  const out: Entry[] = [];
  for (const stream of streams) {
    for (const [id, fields] of stream[1] ?? []) out.push({ id, fields: fields ?? [] });
  }
  return out;
}

function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** XINFO GROUPS reply (flat key/value arrays) → objects. */
function parseGroups(reply: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(reply)) return [];
  return reply.map((row) => {
    const o: Record<string, unknown> = {};
    const a = row as unknown[];
    for (let i = 0; i + 1 < a.length; i += 2) o[String(a[i])] = a[i + 1];
    return o;
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createRedisBus(opts: RedisBusOptions): RedisBus {
  const log = opts.logger.child({ module: 'bus/redis' });
  const now = opts.now ?? Date.now;
  const claimIdleMs = opts.claimIdleMs ?? 30_000;
  const blockMs = opts.blockMs ?? 1000;
  const readCount = opts.readCount ?? 200;
  const memoryQueueMax = opts.memoryQueueMax ?? 100_000;
  const drops = dropsKey(opts.prefix);

  // Publishing: commands fail fast while disconnected (no hidden offline queue), so the spool
  // holds what Redis did not take and the order is ours to keep.
  const pub = opts.connect('publish') as BoundedRedis;
  pub.defineCommand('pantauBoundedXadd', { numberOfKeys: 2, lua: BOUNDED_XADD });
  pub.on('error', (err: Error) => log.debug({ err: err.message }, 'redis (publish) error'));

  const handlers = new Map<Topic, Set<Handler<Topic>>>();
  const readers = new Map<Topic, Promise<void>>();
  const readerConns = new Set<Redis>();
  const inflight = new Set<Promise<void>>();
  const queue: Pending[] = [];
  const stats: RedisBusStats = {
    connected: false,
    published: {},
    refused: {},
    consumed: {},
    skipped: 0,
    buffered: 0,
    bufferDropped: 0,
    lag: {},
  };
  let closed = false;
  let offline = false;
  let flushing: Promise<void> | null = null;
  let lastRefusalAt = 0;
  let fullReported = false;
  let trimTimer: NodeJS.Timeout | undefined;
  let paused = opts.paused ?? false;

  pub.on('ready', () => {
    stats.connected = true;
    if (offline) kick();
  });
  pub.on('end', () => {
    stats.connected = false;
  });
  pub.on('close', () => {
    stats.connected = false;
  });

  const health = (status: 'ok' | 'degraded', code: string, message: string) => {
    enqueue('pantau.health', { component: 'bus', status, code, message, at: now() });
  };

  function enqueue<T extends Topic>(topic: T, payload: EventMap[T]) {
    const row = { topic, payload: JSON.stringify(payload) };
    if (offline && opts.spool) {
      const { dropped } = opts.spool.append([row]);
      stats.bufferDropped += dropped;
      return;
    }
    queue.push(row);
    if (queue.length > memoryQueueMax) {
      queue.shift();
      stats.bufferDropped++;
    }
    kick();
  }

  function kick() {
    if (closed && !flushing) return;
    flushing ??= flushLoop().finally(() => {
      flushing = null;
      if (queue.length > 0 && !offline) kick();
    });
  }

  /** Sends rows in order in one pipeline; throws when Redis cannot be reached. */
  async function send(rows: readonly Pending[]): Promise<void> {
    if (pub.status !== 'ready') throw new Error(`redis connection ${pub.status}`);
    const p = pub.pipeline() as ReturnType<Redis['pipeline']> & { pantauBoundedXadd(...a: unknown[]): unknown };
    for (const r of rows) {
      const key = streamKey(opts.prefix, r.topic);
      if (WORK_TOPICS.has(r.topic)) p.pantauBoundedXadd(key, drops, opts.maxLen, r.payload, r.topic);
      else p.xadd(key, 'MAXLEN', '~', opts.maxLen, '*', 'p', r.payload);
    }
    const res = await p.exec();
    if (!res) throw new Error('pipeline discarded');
    let refusedNow = 0;
    res.forEach(([err, value], i) => {
      const row = rows[i]!;
      if (err) throw err;
      if (value === null) {
        inc(stats.refused, row.topic);
        refusedNow++;
      } else inc(stats.published, row.topic);
    });
    if (refusedNow > 0) {
      lastRefusalAt = now();
      if (!fullReported) {
        fullReported = true;
        log.warn(
          { refused: stats.refused, maxLen: opts.maxLen },
          'stream bus penuh: entri ditolak / bus stream full: entries refused (is the core running?)',
        );
        // pantau.health has its own stream, so it still gets through while probe.result is full.
        health(
          'degraded',
          'PANTAU_BUS_STREAM_FULL',
          `stream penuh (${opts.maxLen} entri), ${refusedNow} hasil ditolak / stream full, results refused`,
        );
      }
    } else if (fullReported && now() - lastRefusalAt > 60_000) {
      fullReported = false;
      health('ok', 'PANTAU_BUS_STREAM_FULL', 'stream bus normal kembali / bus stream drains again');
    }
  }

  async function flushLoop(): Promise<void> {
    let backoff = 200;
    while (!closed || queue.length > 0) {
      const spool = opts.spool;
      let rows: Pending[];
      let ids: number[] = [];
      if (spool && spool.size() > 0) {
        // Replay keeps order: whatever waits in memory goes behind the spooled rows first.
        if (queue.length > 0) stats.bufferDropped += spool.append(queue.splice(0)).dropped;
        const peeked = spool.peek(500);
        rows = peeked;
        ids = peeked.map((r) => r.id);
      } else {
        if (queue.length === 0) break;
        rows = queue.slice(0, 500);
      }
      try {
        await send(rows);
        if (ids.length > 0) spool!.remove(ids);
        else queue.splice(0, rows.length);
        if (offline) {
          offline = false;
          log.info(
            { replayed: rows.length },
            'Redis kembali: memutar ulang buffer / Redis is back: replaying the buffer',
          );
        }
        backoff = 200;
      } catch (err) {
        if (!offline) {
          offline = true;
          log.warn(
            { err: (err as Error).message, buffered: queue.length + (spool?.size() ?? 0) },
            'Redis tidak terjangkau: hasil disimpan di buffer / Redis unreachable: buffering results',
          );
        }
        if (spool && ids.length === 0) stats.bufferDropped += spool.append(queue.splice(0)).dropped;
        if (closed) return;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  async function handle(topic: Topic, entry: Entry): Promise<void> {
    const verdict = decodePayload(topic, fieldValue(entry.fields, 'p'));
    let reason = verdict.ok ? null : verdict.reason;
    if (verdict.ok && opts.accept) reason = opts.accept(topic, verdict.payload);
    if (reason !== null || !verdict.ok) {
      stats.skipped++;
      if (stats.skipped <= 100 || stats.skipped % 1000 === 0)
        log.warn({ topic, entry: entry.id, reason, skipped: stats.skipped }, 'entri bus dilewati / bus entry skipped');
      return;
    }
    inc(stats.consumed, topic);
    for (const h of [...(handlers.get(topic) ?? [])]) {
      try {
        await h(verdict.payload);
      } catch (err) {
        log.error({ err, topic }, 'bus handler failed');
      }
    }
  }

  async function processBatch(topic: Topic, entries: readonly Entry[], conn: Redis, durable: boolean): Promise<void> {
    if (entries.length === 0) return;
    const work = (async () => {
      for (const e of entries) await handle(topic, e);
      if (durable) await conn.xack(streamKey(opts.prefix, topic), opts.group!, ...entries.map((e) => e.id));
    })();
    inflight.add(work);
    try {
      await work;
    } finally {
      inflight.delete(work);
    }
  }

  async function readLoop(topic: Topic): Promise<void> {
    const key = streamKey(opts.prefix, topic);
    const durable = opts.group !== undefined && WORK_TOPICS.has(topic);
    const conn = opts.connect('read');
    readerConns.add(conn);
    conn.on('error', (err: Error) => log.debug({ err: err.message, topic }, 'redis (read) error'));
    // A tail starts at the stream's current end, looked up once: re-sending '$' on every call
    // would lose what was added between two calls.
    let cursor = durable ? '0' : '';
    let nextClaim = 0;
    let groupReady = false;
    while (!closed) {
      try {
        if (durable && !groupReady) {
          try {
            // From 0: a core that starts after the collectors reads what they already published.
            await conn.xgroup('CREATE', key, opts.group!, '0', 'MKSTREAM');
          } catch (err) {
            if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
          }
          groupReady = true;
        }
        if (!durable && cursor === '') {
          const last = await conn.xrevrange(key, '+', '-', 'COUNT', 1);
          cursor = last[0]?.[0] ?? '0-0';
        }
        if (durable && now() >= nextClaim) {
          nextClaim = now() + Math.max(1000, Math.floor(claimIdleMs / 3));
          const claimed = (await conn.call(
            'XAUTOCLAIM',
            key,
            opts.group!,
            opts.consumer,
            claimIdleMs,
            '0-0',
            'COUNT',
            readCount,
          )) as [string, Array<[string, string[]]>, string[]?];
          const entries = (claimed?.[1] ?? [])
            .filter((e) => Array.isArray(e))
            .map(([id, fields]) => ({ id, fields: fields ?? [] }));
          if (entries.length > 0)
            log.info(
              { topic, claimed: entries.length },
              'entri tertunda konsumen lain diambil alih / claimed pending entries of a gone consumer',
            );
          await processBatch(topic, entries, conn, true);
        }
        const reply = durable
          ? await conn.call(
              'XREADGROUP',
              'GROUP',
              opts.group!,
              opts.consumer,
              'COUNT',
              readCount,
              'BLOCK',
              blockMs,
              'STREAMS',
              key,
              cursor,
            )
          : await conn.call('XREAD', 'COUNT', readCount, 'BLOCK', blockMs, 'STREAMS', key, cursor);
        const entries = parseEntries(reply);
        if (durable) {
          // First our own pending entries (id cursor), then new ones ('>').
          if (cursor !== '>') cursor = entries.length === 0 ? '>' : entries[entries.length - 1]!.id;
        } else if (entries.length > 0) {
          cursor = entries[entries.length - 1]!.id;
        }
        await processBatch(topic, entries, conn, durable);
      } catch (err) {
        if (closed) break;
        const msg = (err as Error).message ?? String(err);
        if (msg.includes('NOGROUP')) {
          groupReady = false;
          cursor = '0';
        }
        log.debug({ err: msg, topic }, 'bus read failed; retrying');
        await sleep(500);
      }
    }
  }

  /** Trims work streams to what every group has acknowledged, and records our group's lag. */
  async function trimOnce(): Promise<void> {
    for (const topic of readers.keys()) {
      if (!WORK_TOPICS.has(topic) || opts.group === undefined) continue;
      const key = streamKey(opts.prefix, topic);
      const groups = parseGroups(await pub.xinfo('GROUPS', key));
      const positions: GroupPosition[] = [];
      for (const g of groups) {
        const name = String(g['name']);
        const pending = Number(g['pending'] ?? 0);
        let oldestPending: string | null = null;
        if (pending > 0) {
          const summary = (await pub.xpending(key, name)) as [number, string | null, string | null, unknown];
          oldestPending = summary[1] ?? null;
        }
        positions.push({ lastDelivered: String(g['last-delivered-id']), oldestPending });
        if (name === opts.group && g['lag'] !== null && g['lag'] !== undefined) stats.lag[topic] = Number(g['lag']);
      }
      const minId = trimPoint(positions);
      if (minId) await pub.xtrim(key, 'MINID', minId);
    }
  }

  if (opts.group !== undefined) {
    trimTimer = setInterval(() => {
      if (!stats.connected || closed) return;
      trimOnce().catch((err: unknown) => log.debug({ err: (err as Error).message }, 'trim failed'));
    }, opts.trimEveryMs ?? 5000);
    trimTimer.unref();
  }

  const bus: RedisBus = {
    publish(topic, payload) {
      if (closed) return;
      enqueue(topic, payload);
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(handler as Handler<Topic>);
      if (!readers.has(topic) && !closed && !paused) readers.set(topic, readLoop(topic));
      return () => {
        set.delete(handler as Handler<Topic>);
      };
    },
    resume() {
      if (!paused) return;
      paused = false;
      for (const topic of handlers.keys()) if (!readers.has(topic) && !closed) readers.set(topic, readLoop(topic));
    },
    async flushed() {
      while (flushing) await flushing;
    },
    async drain() {
      await bus.flushed();
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
    stats() {
      return {
        ...stats,
        buffered: queue.length + (opts.spool?.size() ?? 0),
        published: { ...stats.published },
        refused: { ...stats.refused },
        consumed: { ...stats.consumed },
        lag: { ...stats.lag },
      };
    },
    async close() {
      if (closed) return;
      // Last chance for what is queued (bounded by the retry loop ending on `closed`).
      await Promise.race([bus.flushed(), sleep(2000)]);
      closed = true;
      if (trimTimer) clearInterval(trimTimer);
      while (inflight.size > 0) await Promise.all([...inflight]);
      for (const c of readerConns) c.disconnect();
      await Promise.allSettled([...readers.values()]);
      if (opts.spool && queue.length > 0) opts.spool.append(queue.splice(0));
      pub.disconnect();
      handlers.clear();
    },
  };
  return bus;
}
