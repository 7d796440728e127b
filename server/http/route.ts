import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Permission } from '../auth/roles.js';
import type { SessionUser } from '../../core/realtime.js';

/**
 * One API route: its schemas drive validation, the role check and the OpenAPI document, so the
 * three cannot drift apart (and the tests walk this table to hit every route).
 */
export interface RouteDef {
  method: 'get' | 'post' | 'delete';
  /** Express path, e.g. /api/alerts/:id */
  path: string;
  summary: string;
  tag: string;
  /** 'public' needs no session; 'session' any logged-in user; else a permission. */
  access: 'public' | 'session' | Permission;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /**
   * 'archive': the handler reads what only the core keeps (its SQLite: alert history, state log,
   * reports, notification channels). A web server of a cluster checks the session and the input,
   * then runs the handler on the core over Redis (server/http/route-forward.ts, ADR 0902). Such a
   * handler answers with its return value only (JSON or a FileReply), never by writing to `res`.
   */
  runsOn?: 'archive';
  handler(ctx: RouteCtx): unknown;
}

/** A download (CSV, HTML, PDF) a handler returns instead of JSON; the app writes it. */
export class FileReply {
  constructor(
    readonly contentType: string,
    readonly body: Buffer,
    /** e.g. `attachment; filename="x.pdf"` */
    readonly disposition?: string,
  ) {}
}

export interface RouteCtx {
  user: SessionUser;
  /** Present only when access is 'public' and nobody is logged in. */
  params: never;
  query: never;
  body: never;
  req: Request;
  res: Response;
  signal: AbortSignal;
}

/** Typed helper: infers the parsed shapes of params, query and body for the handler. */
export function defineRoute<
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
>(
  def: Omit<RouteDef, 'handler' | 'params' | 'query' | 'body'> & {
    params?: P;
    query?: Q;
    body?: B;
    handler(
      ctx: Omit<RouteCtx, 'params' | 'query' | 'body'> & { params: z.output<P>; query: z.output<Q>; body: z.output<B> },
    ): unknown;
  },
): RouteDef {
  return def as unknown as RouteDef;
}

/** An HTTP error with a stable code the page and tests match on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: unknown[],
  ) {
    super(message);
  }
}

// ---- query helpers: query strings arrive as strings or arrays of strings ----

/** `a,b` or `?x=a&x=b` → ['a','b'], validated against `item`. */
export function listParam<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => {
    if (typeof v === 'string')
      return v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (Array.isArray(v))
      return v.flatMap((x) =>
        typeof x === 'string'
          ? x
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : [x],
      );
    return v;
  }, z.array(item).min(1).max(200));
}

export const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Epoch ms or an ISO 8601 date-time. */
export const timeParam = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(n) || n < 0 || n > 8.64e15) {
      ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time' });
      return z.NEVER;
    }
    return n;
  });

export const idParam = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._:-]+$/, 'bad id'),
  })
  .strict();
