import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createInProcessBus } from '../../../core/bus.js';
import { createMetricsPipeline } from '../../../metrics/pipeline.js';
import { icmpResult, makeInventory } from '../../helpers/metrics-fixtures.js';
import { capturedLogger, metricsConfig, tempDir } from './harness.js';
import { until } from '../../helpers/wait.js';

/**
 * 5xx answers are the one failure real servers will not produce on demand: a tiny HTTP peer
 * answers 503 to the first writes, then 204, and records what it accepted.
 */
describe('metrics: 5xx answers are retried with backoff, then delivered once and in order', function () {
  this.timeout(60_000);
  const tmp = tempDir();
  let server: Server;
  let url = '';
  const state = { failNext: 0, attempts: 0, accepted: [] as string[] };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        chunks.push(c);
      });
      req.on('end', () => {
        // A client may gzip larger bodies.
        const raw = Buffer.concat(chunks);
        const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
        if (req.url?.startsWith('/query')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[{"statement_id":0}]}');
          return;
        }
        state.attempts++;
        if (state.failNext > 0) {
          state.failNext--;
          res.writeHead(503).end('{"error":"overloaded"}');
          return;
        }
        state.accepted.push(...body.split('\n').filter(Boolean));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    tmp.cleanup();
  });

  for (const sink of ['influx1', 'influx2'] as const) {
    it(`${sink}: three 503s, then every point arrives once, in order`, async () => {
      state.failNext = 3;
      state.attempts = 0;
      state.accepted = [];
      const inventory = makeInventory(2);
      const bus = createInProcessBus();
      const config = metricsConfig({
        sink,
        ...(sink === 'influx1'
          ? { influx1: { url, database: 'x' }, retention: { manage: false } }
          : { influx2: { url, token: 't', org: 'o', bucket: 'b' } }),
        batchSize: 10,
        flushIntervalMs: 50,
        outbox: { path: `${tmp.dir}/${sink}.db`, maxPoints: 1000 },
        retry: { minDelayMs: 20, maxDelayMs: 100, requestTimeoutMs: 2000 },
      });
      const p = createMetricsPipeline({ config, inventory, bus, logger: capturedLogger().logger });
      await p.start();
      const dev = inventory.devices[1]!;
      for (let i = 0; i < 35; i++) bus.publish('probe.result', icmpResult(dev.id, 1_000_000 + i));
      await bus.drain();
      await until(
        () => p.stats().written === 35,
        30_000,
        'all written',
        25,
        () => p.stats(),
      );
      const s = p.stats();
      await p.stop();
      expect(s.failures).to.equal(3);
      expect(state.attempts).to.be.at.least(4);
      expect(state.accepted.map((l) => Number(l.split(' ').at(-1)))).to.deep.equal(
        Array.from({ length: 35 }, (_, i) => 1_000_000 + i),
      );
    });
  }
});
