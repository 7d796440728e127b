import { createSocket, type Socket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { DeviceModel } from '../model/device.js';
import { cameraUuid, probeMatch, probeWanted, type CameraInfo } from './soap.js';

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;

/**
 * WS-Discovery responder for the cameras of one process: joins 239.255.255.250:3702 on every
 * IPv4 interface (loopback included) and answers a matching Probe with one ProbeMatches per
 * camera that is up, unicast to the sender. Several lab processes share the port (reuseAddr):
 * the kernel gives each a copy of every multicast datagram.
 */
export async function startDiscovery(
  cameras: () => Array<{ model: DeviceModel; info: CameraInfo }>,
  now: () => number,
): Promise<{ close(): Promise<void> }> {
  const sock: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(WSD_PORT, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  const joined = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || joined.has(a.address)) continue;
      try {
        sock.addMembership(WSD_GROUP, a.address);
        joined.add(a.address);
      } catch {
        /* interface without multicast */
      }
    }
  }
  sock.on('message', (msg, rinfo) => {
    const { wanted, messageId } = probeWanted(msg.toString('utf8'));
    if (!wanted) return;
    for (const { model, info } of cameras()) {
      if (model.silent(now())) continue;
      const reply = Buffer.from(probeMatch(info, messageId ?? '', randomUUID(), cameraUuid(info.id)));
      sock.send(reply, rinfo.port, rinfo.address);
    }
  });
  return {
    close: () =>
      new Promise<void>((r) => {
        try {
          sock.close(() => r());
        } catch {
          r();
        }
      }),
  };
}
