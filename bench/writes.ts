/**
 * InfluxDB 1.6.7 writes: pantau's metrics pipeline (bus → points → line protocol → writer →
 * /write, shipped metrics defaults: batchSize 5000, concurrency 2) beside the peer, `curl`
 * POSTing the same points as prebuilt line-protocol files of 5,000 lines, one after another on
 * one connection (`--next`). Alternating pairs, medians, each run into a fresh database.
 *   steady   results published as fast as the bus takes them; points/s from first publish to the
 *            last point written; CPU per 1,000 points (pantau: this process; curl: its own).
 *   burst    InfluxDB killed; the points go to the SQLite outbox; InfluxDB restarted; points/s
 *            from its /ping answering until the outbox is empty (replay). Peer: the same points
 *            POSTed by curl right after the same restart. Also: time from /ping answering to
 *            pantau's first replayed write (goal ≤ 2 s).
 * Full: 180,000 points, 5 steady pairs and 3 burst pairs. Quick: 18,000 points, 1 pair each.
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/writes.ts [--quick]'
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInProcessBus } from '../core/bus.js';
import { silentLogger } from '../core/logger.js';
import { metricsSection } from '../core/config/sections/metrics.js';
import { createMetricsPipeline } from '../metrics/pipeline.js';
import { toPoints } from '../metrics/points.js';
import { toLine } from '../metrics/point.js';
import { startInfluxd, type InfluxdHandle } from '../test/helpers/influxd.js';
import { makeInventory, snmpResult } from '../test/helpers/metrics-fixtures.js';
import type { SnmpResult } from '../core/types.js';
import { childrenCpuMs, load1, median, round, selfCpuMs, type BenchFigure, type BenchOptions } from './figure.js';

const BATCH = 5000;

async function until(cond: () => boolean, what: string, ms = 300_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  const total = opts.quick ? 18_000 : 180_000;
  // Steady runs take ~6 s each and influxd's throughput into fresh databases drifts by ±30 % within one
  // bench (2026-11-30 15:3x: peer 26,963 / 35,858 / 35,526 points/s, pantau 27,038 / 28,352 / 36,562):
  // 5 alternating pairs for the steady medians; the burst (an influxd restart per run) keeps 3.
  const steadyPairs = opts.quick ? 1 : 5;
  const pairs = opts.quick ? 1 : 3;
  const inventory = makeInventory(1000);
  const devices = inventory.devices;
  let tsBase = Date.now() - 20 * 3600_000;
  /** One set of SNMP results (9 points each: 8 interfaces + system) covering `total` points. */
  const makeResults = (): SnmpResult[] => {
    const out: SnmpResult[] = [];
    let n = 0;
    for (let r = 0; n < total; r++) {
      for (const d of devices) {
        if (n >= total) break;
        out.push(snmpResult(d.id, tsBase + r * 60_000, { interfaces: 8 }));
        n += 9;
      }
    }
    tsBase += 3600_000;
    return out;
  };
  const linesOf = (results: SnmpResult[]): string[] =>
    results.flatMap((r) => toPoints(r, inventory.byId.get(r.deviceId)!).map(toLine));

  const tmp = mkdtempSync(join(tmpdir(), 'pantau-bench-writes-'));
  let influxd: InfluxdHandle | null = null;
  let dbSeq = 0;
  try {
    influxd = await startInfluxd({ cqRunInterval: '10m' });
    const url = influxd.url;
    const createDb = async (db: string) => {
      const r = await fetch(`${url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
      await r.arrayBuffer();
    };
    /** curl POSTs the files one after another on one connection; returns ms wall and curl's CPU ms. */
    const curlPost = async (lines: string[], db: string) => {
      const files: string[] = [];
      for (let k = 0; k < lines.length; k += BATCH) {
        const f = join(tmp, `b${files.length}.lp`);
        writeFileSync(f, lines.slice(k, k + BATCH).join('\n'));
        files.push(f);
      }
      const args: string[] = [];
      files.forEach((f, i) => {
        if (i > 0) args.push('--next');
        args.push(
          '-sS',
          '--fail',
          '-o',
          '/dev/null',
          '-XPOST',
          `${url}/write?db=${db}&precision=ms`,
          '--data-binary',
          `@${f}`,
        );
      });
      const k0 = childrenCpuMs();
      const t0 = performance.now();
      execFileSync('curl', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      return { ms: performance.now() - t0, cpuMs: childrenCpuMs() - k0 };
    };
    const pipelineFor = async (db: string) => {
      const bus = createInProcessBus();
      // Shipped metrics defaults (batchSize, flushIntervalMs, concurrency, retry); retention left
      // alone so both sides write plain databases.
      const config = {
        metrics: metricsSection.parse({
          sink: 'influx1',
          influx1: { url, database: db },
          outbox: { path: join(tmp, `${db}.db`) },
          retention: { manage: false },
        }),
      };
      const p = createMetricsPipeline({ config, inventory, bus, logger: silentLogger() });
      await p.start();
      return { bus, p };
    };
    const publish = async (bus: ReturnType<typeof createInProcessBus>, results: SnmpResult[]) => {
      for (let k = 0; k < results.length; k += devices.length) {
        for (const r of results.slice(k, k + devices.length)) bus.publish('probe.result', r);
        await bus.drain();
      }
    };

    const steady = { pantau: [] as number[], peer: [] as number[], pantauCpu: [] as number[], peerCpu: [] as number[] };
    const burst = { pantau: [] as number[], peer: [] as number[], resumeMs: [] as number[], outboxed: [] as number[] };
    for (let i = 0; i < steadyPairs; i++) {
      const order = i % 2 === 0 ? ['peer', 'pantau'] : ['pantau', 'peer'];
      for (const who of order) {
        const db = `w${dbSeq++}`;
        await createDb(db);
        const results = makeResults();
        if (who === 'peer') {
          const c = await curlPost(linesOf(results), db);
          steady.peer.push(total / (c.ms / 1000));
          steady.peerCpu.push(c.cpuMs / (total / 1000));
        } else {
          const { bus, p } = await pipelineFor(db);
          const c0 = selfCpuMs();
          const t0 = performance.now();
          await publish(bus, results);
          await until(() => p.stats().written === total, 'steady writes');
          const ms = performance.now() - t0;
          steady.pantauCpu.push((selfCpuMs() - c0) / (total / 1000));
          steady.pantau.push(total / (ms / 1000));
          await p.stop();
        }
        opts.log.info(
          `writes steady ${who}: ${Math.round((who === 'peer' ? steady.peer : steady.pantau).at(-1)!)} points/s (load ${load1()})`,
        );
      }
    }
    // The steady databases would make every restart replay their WAL (> 30 s on a loaded machine).
    for (let k = 0; k < dbSeq; k++) {
      const r = await fetch(`${url}/query?q=${encodeURIComponent(`DROP DATABASE w${k}`)}`, { method: 'POST' });
      await r.arrayBuffer();
    }
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? ['pantau', 'peer'] : ['peer', 'pantau'];
      for (const who of order) {
        const db = `w${dbSeq++}`;
        await createDb(db);
        const results = makeResults();
        if (who === 'peer') {
          const lines = linesOf(results);
          await influxd.kill();
          await influxd.restart();
          const c = await curlPost(lines, db);
          burst.peer.push(total / (c.ms / 1000));
        } else {
          const { bus, p } = await pipelineFor(db);
          await influxd.kill();
          await publish(bus, results);
          await until(() => p.stats().queued === 0 && p.stats().outboxSize === total, 'the outage fills the outbox');
          burst.outboxed.push(p.stats().outboxSize);
          await influxd.restart(); // resolves once /ping answers 204
          const t0 = performance.now();
          let firstAt = 0;
          await until(() => {
            if (!firstAt && p.stats().written > 0) firstAt = performance.now();
            return p.stats().written === total && p.stats().outboxSize === 0;
          }, 'the outbox replayed');
          const ms = performance.now() - t0;
          burst.pantau.push(total / (ms / 1000));
          burst.resumeMs.push(firstAt - t0);
          await p.stop();
        }
        await (
          await fetch(`${url}/query?q=${encodeURIComponent(`DROP DATABASE ${db}`)}`, { method: 'POST' })
        ).arrayBuffer();
        opts.log.info(
          `writes burst ${who}: ${Math.round((who === 'peer' ? burst.peer : burst.pantau).at(-1)!)} points/s (load ${load1()})`,
        );
      }
    }
    const sizes = `${total.toLocaleString('en')} points (1,000 devices × 8 interfaces + system), batches of 5,000`;
    return [
      {
        id: 'writes.steady',
        title: 'InfluxDB 1.6.7 writes, steady state',
        unit: 'points/s',
        better: 'higher',
        pantau: Math.round(median(steady.pantau)),
        samples: steady.pantau.map(Math.round),
        peer: {
          name: 'curl, raw line-protocol POST',
          value: Math.round(median(steady.peer)),
          samples: steady.peer.map(Math.round),
        },
        goal: { op: '>=', value: 0.9, of: 'ratio' },
        note: `${sizes}; pantau from probe results through the bus (shipped metrics defaults, 2 batches in flight), curl from prebuilt files on one connection`,
      },
      {
        id: 'writes.steady.cpu',
        title: 'CPU per 1,000 points written',
        unit: 'ms',
        better: 'lower',
        pantau: round(median(steady.pantauCpu)),
        samples: steady.pantauCpu.map((x) => round(x)),
        peer: {
          name: 'curl (files prebuilt)',
          value: round(median(steady.peerCpu)),
          samples: steady.peerCpu.map((x) => round(x)),
        },
        note: 'pantau: point building + line protocol + HTTP in one process; curl only sends',
      },
      {
        id: 'writes.burst',
        title: `a ${total.toLocaleString('en')}-point burst after an outage (outbox replay)`,
        unit: 'points/s',
        better: 'higher',
        pantau: Math.round(median(burst.pantau)),
        samples: burst.pantau.map(Math.round),
        peer: {
          name: 'curl, same points after the same restart',
          value: Math.round(median(burst.peer)),
          samples: burst.peer.map(Math.round),
        },
        goal: { op: '>=', value: 0.9, of: 'ratio' },
        note: `influxd SIGKILLed, ${median(burst.outboxed)} points in the SQLite outbox, restarted; from /ping 204 to the outbox empty`,
      },
      {
        id: 'writes.resume',
        title: 'first write after InfluxDB answers again',
        unit: 'ms',
        better: 'lower',
        pantau: Math.round(median(burst.resumeMs)),
        samples: burst.resumeMs.map(Math.round),
        goal: { op: '<=', value: 2000, of: 'value' },
        note: 'shipped retry (250 ms → 30 s backoff) with the 500 ms ping while InfluxDB gives no answer',
      },
    ];
  } finally {
    await influxd?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await run({ quick: process.argv.includes('--quick'), log: { info: (m) => console.log(m) } });
  console.log(JSON.stringify(figures, null, 2));
}
