import { PantauError } from '../core/errors.js';
/**
 * Where points go. `write` either resolves (every point accepted) or throws a SinkWriteError
 * that says whether trying again later can help. Batching, retries and the outbox live above
 * this (writer.ts), so both implementations stay thin.
 */
export interface MetricsSink {
  readonly kind: 'influx1' | 'influx2';
  /** Idempotent: database, retention policies, continuous queries where pantau has the rights. */
  setup(opts: { signal?: AbortSignal }): Promise<void>;
  /** Line protocol (toLine), timestamps in ms. */
  write(lines: readonly string[], opts: { signal?: AbortSignal }): Promise<void>;
  /**
   * Cheap "are you there" (GET /ping, /health) while writes fail with no answer at all: the
   * writer then retries at once instead of waiting out its backoff. Never throws.
   */
  ping?(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A failed write. `retryable`: network error, timeout, 5xx, 429, or a state an operator fixes
 * without losing data (401/403 credentials, 404 database missing): keep the points and retry.
 * Not retryable: the points themselves are wrong (400 field type conflict, parse error).
 */
export class SinkWriteError extends PantauError {
  readonly retryable: boolean;
  readonly status: number | null;
  readonly body: string;
  constructor(message: string, opts: { retryable: boolean; status: number | null; body?: string; cause?: unknown }) {
    super('PANTAU_SINK', message, { cause: opts.cause });
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.body = opts.body ?? '';
  }
}

/** HTTP statuses that say "try again later" rather than "these points are bad". */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408 || status === 401 || status === 403 || status === 404;
}

/** 404 on write means the database/bucket is missing: setup has to run again. */
export function needsSetup(err: unknown): boolean {
  return err instanceof SinkWriteError && err.status === 404;
}
