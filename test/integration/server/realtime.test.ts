import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { MetricSample } from '../../../core/types.js';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '../../../core/realtime.js';
import { startFixture, type Fixture } from './fixture.js';
import { until } from '../../helpers/wait.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A client that records every snapshot and delta, as the page does. */
function client(fx: Fixture, cookie?: string, opts: { reconnection?: boolean } = {}) {
  const socket: Client = connect(fx.base, {
    transports: ['websocket'],
    reconnection: opts.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  const snapshots: Snapshot[] = [];
  const deltas: Delta[] = [];
  const samples: MetricSample[][] = [];
  let error: Error | undefined;
  socket.on('snapshot', (s) => snapshots.push(s));
  socket.on('deltas', (b) => deltas.push(...b));
  socket.on('samples', (b) => samples.push(b));
  socket.on('connect_error', (e) => {
    error = e;
  });
  return {
    socket,
    snapshots,
    deltas,
    samples,
    get error() {
      return error;
    },
  };
}

/**
 * Everything the server was going to send `c` has arrived: the bus is drained, the hub flushed, and
 * a resync's snapshot (which the server sends after anything it emitted before; socket.io keeps one
 * socket's order) is in. So "nothing arrived" is proven without sleeping.
 */
async function settled(fx: Fixture, c: ReturnType<typeof client>): Promise<void> {
  await fx.bus.drain();
  fx.server.hub!.flush();
  const n = c.snapshots.length;
  c.socket.emit('resync');
  await until(() => c.snapshots.length > n, 5000, 'the resync snapshot');
}

describe('server/realtime', function () {
  this.timeout(30_000);
  let fx: Fixture;
  const open: Client[] = [];
  before(async () => {
    fx = await startFixture();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  after(() => fx.stop());

  it('refuses a socket without a valid session', async () => {
    for (const cookie of [undefined, 'pantau_sid=not-a-session']) {
      const c = client(fx, cookie);
      open.push(c.socket);
      const err = await until(() => c.error, 5000, 'connect_error');
      expect(err.message).to.equal('unauthorized');
      expect(c.snapshots).to.have.length(0);
    }
  });

  it('sends a snapshot with seq, then ordered deltas after it', async () => {
    const c = client(fx, await fx.login('operator'));
    open.push(c.socket);
    const snap = await until(() => c.snapshots[0], 5000, 'snapshot');
    expect(snap.devices).to.have.length(239);
    expect(snap.statuses).to.have.length(239);
    expect(JSON.stringify(snap)).to.not.match(/community|authKey|privKey|password/);
    const alert = fx.alerting.cut('fo-baturaja-barat');
    const n = 1 + fx.inventory.descendants('fo-baturaja-barat').length;
    await until(() => c.deltas.some((d) => d.kind === 'alert' && d.alert.id === alert.id), 5000, 'alert delta');
    const seqs = c.deltas.map((d) => d.seq);
    expect(seqs[0]).to.be.greaterThan(snap.seq);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).to.equal(seqs.length);
    expect(c.deltas.filter((d) => d.kind === 'status')).to.have.length(n);
    fx.alerting.restore('fo-baturaja-barat');
  });

  it('sends live samples only for watched devices, newest per metric, with their latest values at once', async () => {
    const c = client(fx, await fx.login('viewer'));
    const other = client(fx, await fx.login('viewer'));
    open.push(c.socket, other.socket);
    await until(() => c.snapshots[0]);
    await until(() => other.snapshots[0]);
    expect(c.snapshots[0]!.latest).to.deep.equal([]); // nothing watched yet: no metric values in the snapshot
    fx.bus.publish('metric.sample', { deviceId: 'fo-core', ts: Date.now(), name: 'rtt_avg_ms', value: 7 });
    await fx.bus.drain();
    c.socket.emit('watch', ['fo-core']);
    const first = await until(() => c.samples[0], 5000, 'latest values on watch');
    expect(first.map((x) => [x.deviceId, x.value])).to.deep.equal([['fo-core', 7]]);
    for (let i = 0; i < 50; i++)
      fx.bus.publish('metric.sample', { deviceId: 'fo-core', ts: Date.now(), name: 'rtt_avg_ms', value: i });
    fx.bus.publish('metric.sample', { deviceId: 'fo-baturaja-barat', ts: Date.now(), name: 'rtt_avg_ms', value: 1 });
    const next = await until(() => c.samples[1], 5000, 'coalesced samples');
    expect(next.map((x) => [x.deviceId, x.value])).to.deep.equal([['fo-core', 49]]);
    // the page that watches nothing receives no metric traffic at all
    await settled(fx, other);
    expect(other.samples).to.deep.equal([]);
    expect(other.deltas.filter((d) => d.kind === 'metrics')).to.deep.equal([]);
    // bad watch lists are ignored: no crash, the old list stays
    c.socket.emit('watch', 'fo-core' as never);
    c.socket.emit(
      'watch',
      Array.from({ length: 500 }, (_, i) => `x${i}`),
    );
    c.socket.emit('watch', [{ id: 1 }] as never);
    fx.bus.publish('metric.sample', { deviceId: 'fo-core', ts: Date.now(), name: 'rtt_avg_ms', value: 99 });
    await until(() => c.samples.some((b) => b.some((x) => x.value === 99)), 5000, 'still watching after bad input');
    c.socket.emit('watch', []);
    await settled(fx, c);
    const n = c.samples.length;
    fx.bus.publish('metric.sample', { deviceId: 'fo-core', ts: Date.now(), name: 'rtt_avg_ms', value: 100 });
    await settled(fx, c);
    expect(c.samples.length).to.equal(n);
  });

  it('resyncs after a reconnect without missing or duplicating alerts', async () => {
    const c = client(fx, await fx.login('operator'), { reconnection: true });
    open.push(c.socket);
    await until(() => c.snapshots[0]);
    // The page's reducer, reduced to the alert map: a snapshot replaces it, deltas upsert by id.
    const alerts = new Map<string, string>();
    let lastSeq = 0;
    c.socket.on('snapshot', (s) => {
      alerts.clear();
      for (const a of s.alerts) alerts.set(a.id, a.status);
      lastSeq = s.seq;
    });
    c.socket.on('deltas', (b) => {
      for (const d of b)
        if (d.seq > lastSeq) {
          lastSeq = d.seq;
          if (d.kind === 'alert') alerts.set(d.alert.id, d.alert.status);
        }
    });
    c.socket.io.engine.close(); // drop the transport: socket.io reconnects by itself
    const a1 = fx.alerting.raise({ deviceId: 'wifi-01', severity: 'warning' }); // raised while disconnected
    await until(() => c.snapshots.length >= 2, 10_000, 'second snapshot');
    await until(() => alerts.has(a1.id), 5000, 'alert raised during the outage');
    const a2 = fx.alerting.raise({ deviceId: 'wifi-02', severity: 'warning' });
    await until(() => alerts.get(a2.id), 5000, 'alert after reconnect');
    const ids = c.snapshots.at(-1)!.alerts.map((a) => a.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(alerts.get(a1.id)).to.equal('open');
    fx.alerting.resolve(a1.id);
    fx.alerting.resolve(a2.id);
  });

  it('answers resync with a fresh snapshot at the current seq', async () => {
    const c = client(fx, await fx.login('viewer'));
    open.push(c.socket);
    const first = await until(() => c.snapshots[0]);
    fx.alerting.setState('wifi-03', 'DEGRADED');
    await until(() => c.deltas.some((d) => d.kind === 'status' && d.status.deviceId === 'wifi-03'));
    c.socket.emit('resync');
    const second = await until(() => c.snapshots[1], 5000, 'resync snapshot');
    expect(second.seq).to.be.greaterThan(first.seq);
    expect(second.statuses.find((s) => s.deviceId === 'wifi-03')?.state).to.equal('DEGRADED');
    fx.alerting.setState('wifi-03', 'UP');
  });

  it('gives a technician only the alerts routed to their groups', async () => {
    fx.alerting.routes.set('Baturaja Timur', ['tim-timur']);
    try {
      const t = client(fx, await fx.login('teknisi'));
      open.push(t.socket);
      await until(() => t.snapshots[0]);
      const mine = fx.alerting.raise({ deviceId: 'cctv-01' });
      const other = fx.alerting.raise({ deviceId: 'cctv-15' });
      await until(() => t.deltas.some((d) => d.kind === 'alert' && d.alert.id === mine.id));
      // the other group's alert still takes its seq (as an empty placeholder): no gap for the page
      await until(() =>
        t.deltas.some((d) => d.seq === t.deltas.find((x) => x.kind === 'alert' && x.alert.id === mine.id)!.seq + 1),
      );
      const seqs = t.deltas.map((d) => d.seq);
      expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
      expect(t.deltas.some((d) => d.kind === 'alert' && d.alert.id === other.id)).to.equal(false);
      fx.alerting.resolve(mine.id);
      fx.alerting.resolve(other.id);
    } finally {
      fx.alerting.routes.clear();
    }
  });

  it('closes the sockets of a session on logout', async () => {
    const cookie = await fx.login('viewer');
    const c = client(fx, cookie);
    open.push(c.socket);
    await until(() => c.snapshots[0]);
    let disconnected = false;
    c.socket.on('disconnect', () => {
      disconnected = true;
    });
    await fetch(`${fx.base}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    await until(() => disconnected, 5000, 'disconnect');
  });
});
