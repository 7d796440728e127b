import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import { buildInventory } from '../../../core/inventory/topology.js';
import type { Device } from '../../../core/types.js';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '../../../core/realtime.js';
import { startFixture, type Fixture } from './fixture.js';
import { until } from '../../helpers/wait.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function client(fx: Fixture, cookie: string) {
  const socket: Client = connect(fx.base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
  const snapshots: Snapshot[] = [];
  const deltas: Delta[] = [];
  socket.on('snapshot', (s) => snapshots.push(s));
  socket.on('deltas', (b) => deltas.push(...b));
  return { socket, snapshots, deltas };
}

describe('server inventory reload', function () {
  this.timeout(60_000);
  let fx: Fixture;
  const open: Client[] = [];
  before(async () => {
    fx = await startFixture();
  });
  after(async () => {
    for (const s of open.splice(0)) s.close();
    await fx.stop();
  });

  it('REST and connected pages (operator and technician) see the added device and lose the removed one, in seq order', async () => {
    const inv = fx.inventory;
    // A leaf Wi-Fi point goes; a new one (cloned, new id and address) comes under the same parent.
    const removed = inv.devices.find(
      (d) => d.type === 'wifi' && inv.children(d.id).length === 0 && d.kecamatan !== 'Baturaja Timur',
    )!;
    const template = inv.devices.find((d) => d.type === 'wifi' && d.kecamatan === 'Baturaja Timur')!;
    const added: Device = { ...template, id: 'wifi-baru-01', name: 'Wi-Fi Baru Taman Kota', address: '127.22.250.1' };
    const next = buildInventory([...inv.devices.filter((d) => d.id !== removed.id), added]);

    fx.alerting.routes.set('Baturaja Timur', ['tim-timur']);
    const opCookie = await fx.login('operator');
    const op = client(fx, opCookie);
    const tech = client(fx, await fx.login('teknisi'));
    open.push(op.socket, tech.socket);
    const opSnap = await until(() => op.snapshots[0], 8000, 'operator snapshot');
    await until(() => tech.snapshots[0], 8000, 'technician snapshot');
    expect(opSnap.devices.map((d) => d.id)).to.include(removed.id);

    // The removed device had an alert, resolved when it left: it stays in history.
    const old = fx.alerting.raise({ deviceId: removed.id });
    fx.alerting.resolve(old.id);
    await until(
      () => op.deltas.some((d) => d.kind === 'alert' && d.alert.id === old.id && d.alert.status === 'resolved'),
      8000,
      'resolved alert',
    );

    fx.server.updateInventory(next);
    // The engine then reports the new device's state (async on the bus, so after the devices delta).
    fx.bus.publish('device.state', {
      deviceId: added.id,
      from: 'UNKNOWN',
      to: 'UP',
      at: Date.now(),
      status: { deviceId: added.id, state: 'UP', since: Date.now() },
    });

    const get = async (path: string, cookie = opCookie) => {
      const res = await fetch(`${fx.base}${path}`, { headers: { cookie } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const list = await get('/api/devices');
    const ids = (list.body['devices'] as Array<{ id: string }>).map((d) => d.id);
    expect(ids).to.include(added.id);
    expect(ids).to.not.include(removed.id);
    expect(ids).to.have.length(inv.devices.length);
    const one = await get(`/api/devices/${added.id}`);
    expect(one.status).to.equal(200);
    expect(one.body['ancestors']).to.deep.equal(next.ancestors(added.id).map((a) => a.id));
    expect((await get(`/api/devices/${removed.id}`)).status).to.equal(404);
    expect((await get(`/api/devices/${removed.id}/history?series=icmp`)).status).to.equal(404);
    expect((await get(`/api/devices/${added.id}/history?series=icmp`)).status).to.equal(200);
    const summary = (await get('/api/summary')).body['types'] as Record<string, Record<string, number>>;
    const total = Object.values(summary).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0);
    expect(total).to.equal(next.devices.length);
    const hist = (await get(`/api/alerts?deviceId=${removed.id}`)).body['alerts'] as Array<{
      id: string;
      status: string;
    }>;
    expect(hist.map((a) => [a.id, a.status])).to.deep.equal([[old.id, 'resolved']]);
    const mw = await fetch(`${fx.base}/api/maintenance`, {
      method: 'POST',
      headers: { cookie: opCookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        deviceId: added.id,
        reason: 'pasang baru',
        startsAt: Date.now(),
        endsAt: Date.now() + 3600_000,
      }),
    });
    expect(mw.status).to.equal(201);

    // Both sockets: one devices delta, same seq for everyone, followed by the new device's status.
    for (const c of [op, tech]) {
      const dd = await until(() => c.deltas.find((d) => d.kind === 'devices'), 8000, 'devices delta');
      const st = await until(
        () => c.deltas.find((d) => d.kind === 'status' && d.status.deviceId === added.id),
        8000,
        'status delta',
      );
      if (dd.kind !== 'devices') throw new Error('unreachable');
      expect(dd.devices.map((d) => d.id))
        .to.include(added.id)
        .and.not.include(removed.id);
      expect(dd.seq).to.be.greaterThan(c.snapshots[0]!.seq);
      expect(st.seq).to.be.greaterThan(dd.seq);
      const seqs = c.deltas.map((d) => d.seq);
      expect(seqs).to.deep.equal(
        Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i),
        'contiguous seq',
      );
    }
    const techDevices = tech.deltas.find((d) => d.kind === 'devices');
    expect(techDevices?.seq).to.equal(op.deltas.find((d) => d.kind === 'devices')?.seq);

    // A page that (re)connects now gets the new list in its snapshot, without the removed device's status.
    op.socket.emit('resync');
    const again = await until(() => op.snapshots[1], 8000, 'resync snapshot');
    expect(again.devices.map((d) => d.id))
      .to.include(added.id)
      .and.not.include(removed.id);
    expect(again.statuses.map((s) => s.deviceId)).to.not.include(removed.id);
    expect(again.alerts.map((a) => a.id)).to.include(old.id);

    // Technician filtering still holds for alerts on the new device.
    const mine = fx.alerting.raise({ deviceId: added.id, kecamatan: 'Baturaja Timur' });
    const other = fx.alerting.raise({ deviceId: added.id, kecamatan: 'Lengkiti' });
    await until(() => tech.deltas.some((d) => d.kind === 'alert' && d.alert.id === mine.id), 8000, 'technician alert');
    expect(tech.deltas.some((d) => d.kind === 'alert' && d.alert.id === other.id)).to.equal(false);
    const techView = await get(`/api/devices/${added.id}`, await fx.login('teknisi'));
    expect((techView.body['alerts'] as Array<{ id: string }>).map((a) => a.id)).to.deep.equal([mine.id]);
    fx.alerting.resolve(mine.id);
    fx.alerting.resolve(other.id);
    fx.alerting.routes.clear();
  });
});
