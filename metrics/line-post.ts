/**
 * Line protocol over HTTP with node:http(s): one keep-alive agent per sink, the body is the
 * batch's lines joined by '\n' and handed to the socket as that one string (no copy into a JS
 * buffer; fetch copied it twice, ADR 0304). Used by both the 1.x (/write) and the 2.x
 * (/api/v2/write) sink: ADR 0302.
 */
import http from 'node:http';
import https from 'node:https';
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
  } catch {
    /* not JSON: keep the text */
  }
  reason = reason.slice(0, 2000);
  return new SinkWriteError(`${name} answered ${status}${reason ? `: ${reason}` : ''}`, {
    retryable: isRetryableStatus(status),
    status,
    body: reason,
  });
}

/** A request that got no HTTP answer (refused, reset, timeout, DNS) → retryable, status null. */
export function networkSinkError(name: string, err: unknown): SinkWriteError {
  const e = err as { message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = (e as { code?: string })?.code;
  const detail =
    e?.name === 'TimeoutError'
      ? 'request timed out'
      : (e?.cause?.code ??
        (code && code !== 'ABORT_ERR' ? code : undefined) ??
        e?.cause?.message ??
        e?.message ??
        String(err));
  return new SinkWriteError(`${name} unreachable: ${detail}`, { retryable: true, status: null, cause: err });
}

interface Answer {
  status: number;
  text: string;
}

/** One HTTP request; resolves with any status, rejects when there is no answer (refused, reset, timeout, aborted). */
function request(
  url: URL,
  agent: http.Agent,
  o: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const headers =
      o.body === undefined ? o.headers : { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) };
    const req = mod.request(url, { method: o.method, headers, agent, ...(o.signal ? { signal: o.signal } : {}) });
    // A deadline for the whole exchange (a socket timeout would only count idle time).
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('request timed out'), { name: 'TimeoutError' })),
      o.timeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => {
        if (text.length < 65_536) text += chunk;
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.end(o.body);
  });
}

export function createLinePoster(o: LinePosterOptions): LinePoster {
  const headers = { 'content-type': 'text/plain; charset=utf-8', ...o.headers };
  const agent = new (o.writeUrl.protocol === 'https:' ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 32 });
  return {
    async post(lines, signal) {
      if (lines.length === 0) return;
      let res: Answer;
      try {
        res = await request(o.writeUrl, agent, {
          method: 'POST',
          headers,
          body: lines.join('\n'),
          timeoutMs: o.timeoutMs,
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        throw networkSinkError(o.name, err);
      }
      if (res.status < 200 || res.status > 299) throw httpSinkError(o.name, res.status, res.text);
    },
    async ping() {
      try {
        const res = await request(o.pingUrl, agent, {
          method: 'GET',
          headers: o.headers,
          timeoutMs: Math.min(o.timeoutMs, 2000),
        });
        return res.status >= 200 && res.status <= 299;
      } catch {
        return false;
      }
    },
  };
}
