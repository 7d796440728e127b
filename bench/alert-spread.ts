/**
 * Alert spread to 1,000 socket.io clients (quick: 50): the server (OKU inventory, the shipped
 * 250 ms delta flush) with that many logged-in NOC pages connected over websocket; an uplink is
 * cut (fake alerting: the alert and its status deltas go through the real hub); the time from the
 * cut to the alert's delta at each client. p50/p99/max over 5 cuts (quick: 1). Clients live in
 * the same process as the server (2 cores), so this is pessimistic for the server.
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/alert-spread.ts [--quick]'
 */
import { pathToFileURL } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../core/realtime.js';
import { startFixture } from '../test/integration/server/fixture.js';
import { load1, median, type BenchFigure, type BenchOptions } from './figure.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function until<T>(f: () => T | undefined | false, ms: number, what: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

export async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  const n = opts.quick ? 50 : 1000;
  const cuts = opts.quick ? 1 : 5;
  const fx = await startFixture({ flushMs: 250 });
  const clients: Client[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  const max: number[] = [];
  let connectMs: number | undefined;
  try {
    // Operators see every alert (a teknisi sees only his area's): three operator sessions.
    const cookies = await Promise.all(['operator', 'operator', 'operator'].map((u) => fx.login(u)));
    const arrived = new Map<Client, number>();
    let target: string | null = null;
    const t0c = performance.now();
    for (let i = 0; i < n; i++) {
      const c: Client = connect(fx.base, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { cookie: cookies[i % cookies.length]! },
      });
      c.on('deltas', (batch) => {
        if (target && !arrived.has(c) && batch.some((d) => d.kind === 'alert' && d.alert.id === target))
          arrived.set(c, performance.now());
      });
      clients.push(c);
    }
    let snap = 0;
    for (const c of clients)
      c.once('snapshot', () => {
        snap++;
      });
    await until(
      () => snap === n,
      120_000,
      () => `${n} snapshots (${snap})`,
    );
    connectMs = performance.now() - t0c;
    opts.log.info(`${n} clients connected with a snapshot in ${Math.round(connectMs)} ms (load ${load1()})`);
    const uplinks = ['fo-baturaja-barat', 'fo-baturaja-timur', 'fo-lengkiti', 'fo-baturaja-barat', 'fo-baturaja-timur'];
    for (let k = 0; k < cuts; k++) {
      const dev = fx.inventory.byId.has(uplinks[k]!) ? uplinks[k]! : fx.inventory.devices[1]!.id;
      arrived.clear();
      target = '__pending__';
      const t0 = performance.now();
      const alert = fx.alerting.cut(dev);
      target = alert.id;
      await until(
        () => arrived.size === n,
        opts.quick ? 10_000 : 60_000,
        () => `alert at all ${n} clients (${arrived.size} so far)`,
      );
      const d = [...arrived.values()].map((t) => t - t0);
      p50.push(pct(d, 0.5));
      p99.push(pct(d, 0.99));
      max.push(Math.max(...d));
      opts.log.info(
        `cut ${k + 1}: p50 ${Math.round(p50.at(-1)!)} ms, p99 ${Math.round(p99.at(-1)!)} ms (load ${load1()})`,
      );
      fx.alerting.restore(dev);
      await new Promise((r) => setTimeout(r, 600));
    }
  } finally {
    for (const c of clients) c.close();
    await fx.stop();
  }
  const note = `${n} websocket clients (3 operator sessions), shipped 250 ms delta flush, ${cuts} uplink cuts, medians over cuts; clients share the server's process`;
  return [
    {
      id: 'alert-spread.p99',
      title: `alert spread to ${n.toLocaleString('en')} socket.io clients, p99`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(p99)),
      samples: p99.map(Math.round),
      goal: { op: '<=', value: 250, of: 'value' },
      note,
    },
    {
      id: 'alert-spread.p50',
      title: `alert spread to ${n.toLocaleString('en')} socket.io clients, p50`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(p50)),
      samples: p50.map(Math.round),
      note,
    },
    {
      id: 'alert-spread.max',
      title: `alert spread to ${n.toLocaleString('en')} socket.io clients, slowest`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(max)),
      samples: max.map(Math.round),
      note: `connect + snapshot of all clients: ${Math.round(connectMs ?? NaN)} ms`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(
    JSON.stringify(
      await run({ quick: process.argv.includes('--quick'), log: { info: (m) => console.log(m) } }),
      null,
      2,
    ),
  );
  process.exit(0);
}
