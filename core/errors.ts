import type { ProbeErrorCode } from './types.js';

/** Stable error codes: tests, logs and the API match on these, never on messages. */
export type PantauErrorCode =
  | 'PANTAU_CONFIG_INVALID'
  | 'PANTAU_CONFIG_ENV'
  | 'PANTAU_CONFIG_READ'
  | 'PANTAU_INVENTORY_INVALID'
  | 'PANTAU_IMPORT_INVALID'
  | ProbeErrorCode
  | 'PANTAU_STORE'
  | 'PANTAU_SINK'
  | 'PANTAU_NOTIFY'
  | 'PANTAU_NOT_FOUND'
  | 'PANTAU_ALERT_RESOLVED'
  | 'PANTAU_INVALID_INPUT'
  | 'PANTAU_LAB'
  /** Another part of the cluster (the core, Redis) did not answer in time. */
  | 'PANTAU_UNAVAILABLE'
  /** An answer larger than a cluster message may carry (core/redis/rpc.ts RPC_REPLY_MAX). */
  | 'PANTAU_TOO_LARGE';

export class PantauError extends Error {
  readonly code: PantauErrorCode;
  /** Extra lines shown to the operator (e.g. every validation problem). */
  readonly details: readonly string[];

  constructor(code: PantauErrorCode, message: string, opts: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PantauError';
    this.code = code;
    this.details = opts.details ?? [];
  }
}

/** Duck-typed so it holds across module instances (loaders can load this file twice). */
export function isPantauError(err: unknown): err is PantauError {
  if (err instanceof PantauError) return true;
  const e = err as { name?: unknown; code?: unknown; details?: unknown } | null;
  return !!e && e.name === 'PantauError' && typeof e.code === 'string' && Array.isArray(e.details);
}
