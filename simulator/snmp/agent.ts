import type { DeviceModel, TrapEvent } from '../model/device.js';
import { buildMib } from './mib.js';
import { snmp, type SnmpAgent } from './net-snmp.js';

export interface SnmpCreds {
  communities: string[];
  v3: { user: string; authKey: string; privKey: string } | null;
}

export interface DeviceAgentOptions {
  port: number;
  creds: SnmpCreds;
  now: () => number;
  /** Drop this share of requests in the app (when iptables cannot do it). */
  appLoss: () => number;
  onError?: (err: Error) => void;
}

export interface DeviceAgent {
  readonly agent: SnmpAgent;
  close(): Promise<void>;
}

// A response this big is as far as a real agent goes before answering tooBig; the lab stops there.
const MAX_BULK_VARBINDS = 1000;

/**
 * One net-snmp Agent on the device's own address. Faults are applied at the send side: a silent
 * device drops every response, latency delays it, malformed-snmp sends garbage instead.
 */
export async function startDeviceAgent(model: DeviceModel, opts: DeviceAgentOptions): Promise<DeviceAgent> {
  const agent = snmp.createAgent({
    port: opts.port,
    address: model.device.address,
    disableAuthorization: false,
    // Stable per device: SNMPv3 clients cache the engine ID per address.
    engineID: `8000b98380${Buffer.from(model.device.id).toString('hex').padEnd(24, '0').slice(0, 24)}`,
  }, (err) => { if (err) opts.onError?.(err); });
  const auth = agent.getAuthorizer();
  for (const c of opts.creds.communities) auth.addCommunity(c);
  if (opts.creds.v3) {
    auth.addUser({
      name: opts.creds.v3.user,
      level: snmp.SecurityLevel['authPriv'],
      authProtocol: snmp.AuthProtocols['sha'],
      authKey: opts.creds.v3.authKey,
      privProtocol: snmp.PrivProtocols['aes'],
      privKey: opts.creds.v3.privKey,
    });
  }
  buildMib(agent.getMib(), model, opts.now);
  patchGetBulk(agent);

  const send = agent.listener.send.bind(agent.listener);
  agent.listener.send = (message, rinfo, socket) => {
    const now = opts.now();
    if (model.silent(now)) return;
    const loss = opts.appLoss();
    if (loss > 0 && Math.random() * 100 < loss) return;
    const out = () => {
      if (model.find('malformed-snmp')) {
        // A truncated BER sequence followed by junk: a collector must reject it, not crash.
        const junk = Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0xff, 0xfe]);
        socket.send(junk, rinfo.port, rinfo.address);
        return;
      }
      send(message, rinfo, socket);
    };
    const delay = model.replyDelayMs();
    if (delay > 0) setTimeout(out, delay).unref();
    else out();
  };

  await new Promise<void>((resolve, reject) => {
    const sockets = Object.values(agent.listener.sockets);
    let pending = sockets.length;
    for (const s of sockets) {
      s.once('listening', () => { if (--pending === 0) resolve(); });
      s.once('error', reject);
    }
  });
  return {
    agent,
    close: () => new Promise<void>((resolve) => {
      try { agent.close(() => resolve()); } catch { resolve(); }
    }),
  };
}

/**
 * net-snmp's Agent stops a GetBulk at maxRepetitions varbinds IN TOTAL; RFC 3416 gives
 * N + M·R (non-repeaters plus max-repetitions rows per repeater). Walkers that ask for several
 * columns at once would otherwise see a fraction of each row, so the lab answers like a real agent.
 */
function patchGetBulk(agent: SnmpAgent): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- net-snmp's untyped message
  agent.getBulkRequest = function (socket: any, message: any, rinfo: any) {
    const pdu = message.pdu as { nonRepeaters: number; maxRepetitions: number; varbinds: { oid: string }[] };
    const out: unknown[] = [];
    const n = Math.max(0, Math.min(pdu.nonRepeaters, pdu.varbinds.length));
    for (let i = 0; i < n; i++) agent.addGetNextVarbind(out, pdu.varbinds[i]!.oid);
    const starts = pdu.varbinds.slice(n).map((v) => v.oid);
    const ended = starts.map(() => false);
    for (let r = 0; r < pdu.maxRepetitions && starts.length > 0 && !ended.every(Boolean); r++) {
      for (let c = 0; c < starts.length; c++) {
        if (out.length >= MAX_BULK_VARBINDS) break;
        const node = agent.addGetNextVarbind(out, starts[c]!);
        if (node) starts[c] = node.oid;
        else ended[c] = true;
      }
      if (out.length >= MAX_BULK_VARBINDS) break;
    }
    message.pdu.varbinds = out;
    agent.request(socket, message, rinfo);
  };
}

const TRAP_OID: Record<TrapEvent['kind'], string> = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
};

/**
 * Sends one SNMPv2c trap from the device's own address (the collector maps a trap to a device by
 * its source), with ifIndex/ifAdminStatus/ifOperStatus for link traps as IF-MIB defines them.
 */
export function sendTrap(model: DeviceModel, ev: TrapEvent, target: { host: string; port: number }, community: string, now: number): Promise<void> {
  return new Promise((resolve) => {
    const session = snmp.createSession(target.host, community, {
      port: target.port, trapPort: target.port, version: snmp.Version2c, sourceAddress: model.device.address,
    });
    session.on('error', () => { /* a missing receiver is not the lab's problem */ });
    const T = snmp.ObjectType as Record<string, number>;
    const varbinds = [{ oid: '1.3.6.1.2.1.1.3.0', type: T['TimeTicks']!, value: model.uptimeTicks(now) }];
    if (ev.ifIndex !== undefined) {
      varbinds.push(
        { oid: `1.3.6.1.2.1.2.2.1.1.${ev.ifIndex}`, type: T['Integer']!, value: ev.ifIndex },
        { oid: `1.3.6.1.2.1.2.2.1.7.${ev.ifIndex}`, type: T['Integer']!, value: 1 },
        { oid: `1.3.6.1.2.1.2.2.1.8.${ev.ifIndex}`, type: T['Integer']!, value: ev.kind === 'linkUp' ? 1 : 2 },
      );
    }
    // Passing sysUpTime ourselves: net-snmp would otherwise put the lab process's uptime first.
    session.trap(TRAP_OID[ev.kind], varbinds.slice(1), { upTime: model.uptimeTicks(now) }, () => {
      try { session.close(); } catch { /* already closed */ }
      resolve();
    });
  });
}
