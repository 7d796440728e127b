import type { ProbeError, ProbeErrorCode } from '../core/types.js';

/** A probe failure with a stable code; probes throw it internally and turn it into a result. */
export class ProbeFailure extends Error {
  readonly code: ProbeErrorCode;
  constructor(code: ProbeErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProbeFailure';
    this.code = code;
  }
}

const NODE_CODES: Record<string, ProbeErrorCode> = {
  ECONNREFUSED: 'PANTAU_PROBE_REFUSED',
  ECONNRESET: 'PANTAU_PROBE_REFUSED',
  ETIMEDOUT: 'PANTAU_PROBE_TIMEOUT',
  ESOCKETTIMEDOUT: 'PANTAU_PROBE_TIMEOUT',
  EHOSTUNREACH: 'PANTAU_PROBE_UNREACHABLE',
  ENETUNREACH: 'PANTAU_PROBE_UNREACHABLE',
  EADDRNOTAVAIL: 'PANTAU_PROBE_UNREACHABLE',
  ENOTFOUND: 'PANTAU_PROBE_UNREACHABLE',
};

/** Maps anything thrown by I/O to a stable probe error (message kept short, never secrets). */
export function toProbeError(err: unknown, fallback: ProbeErrorCode = 'PANTAU_PROBE_BAD_RESPONSE'): ProbeError {
  if (err instanceof ProbeFailure) return { code: err.code, message: err.message };
  const e = err as { name?: string; code?: unknown; message?: string } | undefined;
  const message = String(e?.message ?? err).slice(0, 300);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return { code: 'PANTAU_PROBE_TIMEOUT', message: message || 'timeout' };
  if (typeof e?.code === 'string' && NODE_CODES[e.code]) return { code: NODE_CODES[e.code]!, message };
  return { code: fallback, message };
}

/** Rejects as soon as `signal` aborts, even if `work` never settles (some libraries never call back). */
export function withSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The work was already started with the same signal and will reject with it too: nobody
    // awaits it any more, so its rejection must not surface as an unhandled one (that crashed a
    // stopping 10,000-device pantau with "collector stopping" from the RTSP check).
    work.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The scheduler's timeout signal aborts with a TimeoutError; a shutdown aborts with AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  return new ProbeFailure('PANTAU_PROBE_TIMEOUT', 'aborted');
}
