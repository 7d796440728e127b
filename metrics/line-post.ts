/**
 * Line protocol over HTTP with Node's own fetch (undici): one keep-alive connection pool per
 * sink, the body is the batch's lines joined by '\n' exactly as the writer holds them. Used by
 * both the 1.x (/write) and the 2.x (/api/v2/write) sink: ADR 0302.
 */
import { SinkWriteError, isRetryableStatus } from './sink.js';

export interface LinePoster {
  /** POSTs the lines; resolves on 2xx, throws a SinkWriteError otherwise. */
  post(lines: readonly string[], signal?: AbortSignal): Promise<void>;
  /** true when the server answers its ping/health URL (any 2xx). Never throws. */
  ping(): Promise<boolean>;
}

export interface LinePosterOptions {
  /** 'influx1' or 'influx2', for messages. */
  name: string;
  writeUrl: URL;
  pingUrl: URL;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** A non-2xx answer → SinkWriteError. InfluxDB puts the reason in {"error": "..."} (1.x) or {"message": "..."} (2.x). */
export function httpSinkError(name: string, status: number, text: string): SinkWriteError {
  let reason = text.trim();
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof j.error === 'string') reason = j.error;
    else if (typeof j.message === 'string') reason = j.message;
  } catch { /* not JSON: keep the text */ }
  reason = reason.slice(0, 2000);
  return new SinkWriteError(`${name} answered ${status}${reason ? `: ${reason}` : ''}`, { retryable: isRetryableStatus(status), status, body: reason });
}

/** A request that got no HTTP answer (refused, reset, timeout, DNS) → retryable, status null. */
export function networkSinkError(name: string, err: unknown): SinkWriteError {
  const e = err as { message?: string; name?: string; cause?: { code?: string; message?: string } };
  const detail = e?.name === 'TimeoutError' ? 'request timed out' : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err));
  return new SinkWriteError(`${name} unreachable: ${detail}`, { retryable: true, status: null, cause: err });
}

export function createLinePoster(o: LinePosterOptions): LinePoster {
  const headers = { 'content-type': 'text/plain; charset=utf-8', ...o.headers };
  const writeUrl = o.writeUrl.toString();
  const pingUrl = o.pingUrl.toString();
  return {
    async post(lines, signal) {
      if (lines.length === 0) return;
      const timeout = AbortSignal.timeout(o.timeoutMs);
      let res: Response;
      try {
        res = await fetch(writeUrl, { method: 'POST', headers, body: lines.join('\n'), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      } catch (err) {
        throw networkSinkError(o.name, err);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        throw networkSinkError(o.name, err);
      }
      if (res.status < 200 || res.status > 299) throw httpSinkError(o.name, res.status, text);
    },
    async ping() {
      try {
        const res = await fetch(pingUrl, { headers: o.headers, signal: AbortSignal.timeout(Math.min(o.timeoutMs, 2000)) });
        await res.arrayBuffer();
        return res.status >= 200 && res.status <= 299;
      } catch {
        return false;
      }
    },
  };
}
