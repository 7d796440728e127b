/**
 * InfluxDB 2.x / Cloud / 3.x through @influxdata/influxdb-client: /api/v2/write with a token,
 * org and bucket, precision ms. The client's own retry buffer is turned off (maxRetries 0):
 * writer.ts owns retrying, backoff and the durable outbox, and needs every failure reported.
 */
import { HttpError, InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger } from '../../core/logger.js';
import type { Secret } from '../../core/secret.js';
import { toLine } from './point.js';
import { SinkWriteError, isRetryableStatus, type MetricsSink } from './sink.js';

export interface Influx2Options {
  url: string;
  token: Secret;
  org: string;
  bucket: string;
  requestTimeoutMs: number;
  batchSize: number;
  logger: Logger;
}

export function toSinkError2(err: unknown): SinkWriteError {
  if (err instanceof SinkWriteError) return err;
  if (err instanceof HttpError) {
    return new SinkWriteError(`influx2 answered ${err.statusCode}: ${err.body ?? err.message}`, {
      retryable: isRetryableStatus(err.statusCode), status: err.statusCode, body: err.body ?? '', cause: err,
    });
  }
  return new SinkWriteError(`influx2 unreachable: ${(err as Error)?.message ?? String(err)}`, { retryable: true, status: null, cause: err });
}

export function createInflux2Sink(o: Influx2Options): MetricsSink {
  const log = o.logger.child({ module: 'sink.influx2' });
  // The client logs every failed write to the console by itself; route that to pino at debug,
  // writer.ts logs the failures that matter once.
  setLogger({
    error: (message, err) => log.debug({ err }, message),
    warn: (message, err) => log.debug({ err }, message),
  });
  const client = new InfluxDB({ url: o.url, token: o.token.reveal(), timeout: o.requestTimeoutMs });
  // One WriteApi for the life of the sink; we flush explicitly per batch, so its own timer and
  // batch trigger never fire (batchSize above ours, flushInterval 0).
  const api: WriteApi = client.getWriteApi(o.org, o.bucket, 'ms', {
    batchSize: Math.max(o.batchSize, 1) * 2 + 1,
    flushInterval: 0,
    maxRetries: 0,
    maxBufferLines: Math.max(o.batchSize, 1) * 2 + 1,
  });

  return {
    kind: 'influx2',
    async setup() {
      // Buckets, retention and downsampling tasks are set up by the operator on 2.x/3.x
      // (docs/metrics.md): a write token normally has no right to create them.
    },
    async write(points) {
      if (points.length === 0) return;
      try {
        api.writeRecords(points.map(toLine));
        await api.flush();
      } catch (err) {
        throw toSinkError2(err);
      }
    },
    async close() {
      try { await api.close(); } catch { /* nothing buffered: we flush per batch */ }
    },
  };
}
