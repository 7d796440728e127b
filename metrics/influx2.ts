/**
 * InfluxDB 2.x / Cloud / 3.x: line protocol POSTed to /api/v2/write with a token, org and
 * bucket, precision ms, through node:http (line-post.ts, ADR 0302). Nothing retries below
 * this: writer.ts owns retrying, backoff and the durable outbox, and sees every failure.
 */
import type { Logger } from '../core/logger.js';
import type { Secret } from '../core/secret.js';
import { createLinePoster } from './line-post.js';
import type { MetricsSink } from './sink.js';

export interface Influx2Options {
  url: string;
  token: Secret;
  org: string;
  bucket: string;
  requestTimeoutMs: number;
  logger: Logger;
}

export function createInflux2Sink(o: Influx2Options): MetricsSink {
  const base = o.url.replace(/\/+$/, '');
  const writeUrl = new URL(`${base}/api/v2/write`);
  writeUrl.searchParams.set('org', o.org);
  writeUrl.searchParams.set('bucket', o.bucket);
  writeUrl.searchParams.set('precision', 'ms');
  const poster = createLinePoster({
    name: 'influx2',
    writeUrl,
    pingUrl: new URL(`${base}/health`),
    headers: { authorization: `Token ${o.token.reveal()}` },
    timeoutMs: o.requestTimeoutMs,
  });
  return {
    kind: 'influx2',
    async setup() {
      // Buckets, retention and downsampling tasks are set up by the operator on 2.x/3.x
      // (docs/metrics.md): a write token normally has no right to create them.
    },
    async write(lines, opts) {
      await poster.post(lines, opts.signal);
    },
    ping: () => poster.ping(),
    async close() {},
  };
}
