import type { DeviceModel, TrapEvent } from '../model/device.js';
import { buildMib } from './mib.js';
import { OidIndex } from './oid-index.js';
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
  const agent = snmp.createAgent(
    {
      port: opts.port,
      address: model.device.address,
      disableAuthorization: false,
      // Stable per device: SNMPv3 clients cache the engine ID per address.
      engineID: `8000b98380${Buffer.from(model.device.id).toString('hex').padEnd(24, '0').slice(0, 24)}`,
    },
    (err) => {
      if (err) opts.onError?.(err);
    },
  );
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
  const index = new OidIndex();
  // A real agent answers one PDU at one instant: every varbind of a request reads the same `now`,
  // so ifHCInOctets and its 32-bit copy in one GET agree (mod 2^32) however fast the counter runs.
  let frozen: number | undefined;
  const now = () => frozen ?? opts.now();
  const atOneInstant = (answer: () => void) => {
    frozen = opts.now();
    try {
      answer();
    } finally {
      frozen = undefined;
    }
  };
  buildMib(agent.getMib(), model, now, index);
  installFastPath(agent, index, atOneInstant);

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
      s.once('listening', () => {
        if (--pending === 0) resolve();
      });
      s.once('error', reject);
    }
  });
  return {
    agent,
    close: () =>
      new Promise<void>((resolve) => {
        try {
          agent.close(() => resolve());
        } catch {
          resolve();
        }
      }),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- net-snmp's untyped message and PDU */
/**
 * Answers GET, GETNEXT and GETBULK (v2c/v3) from the device's sorted OID index instead of
 * net-snmp's MIB request path, which costs ~0.8 ms of CPU per request (it reads every cell of a
 * row twice per returned varbind): with 200+ devices polled at once the lab itself was the queue
 * (docs/adr/0104). Replies still go through `agent.sendResponse` → `listener.send`, so encoding,
 * v3 security and the fault hooks above are unchanged. v1 and SET keep net-snmp's own path.
 *
 * GetBulk answers N + M·R varbinds like a real agent (net-snmp's Agent alone caps the whole
 * reply at max-repetitions), up to MAX_BULK_VARBINDS.
 */
function installFastPath(agent: SnmpAgent, index: OidIndex, atOneInstant: (answer: () => void) => void): void {
  const T = snmp.ObjectType as Record<string, number>;
  const original = {
    get: agent.getRequest.bind(agent),
    next: agent.getNextRequest.bind(agent),
    bulk: agent.getBulkRequest.bind(agent),
  };
  const nextOf = (oid: string) => {
    const e = index.next(oid);
    return e ? { oid: e.oid, type: e.type, value: e.get() } : { oid, type: T['EndOfMibView']!, value: null };
  };
  const exactOf = (oid: string) => {
    const e = index.exact(oid);
    if (e) return { oid, type: e.type, value: e.get() };
    // noSuchInstance when the object (the OID without its last arc) exists, noSuchObject otherwise.
    const parent = oid.slice(0, oid.lastIndexOf('.'));
    const sibling = parent ? index.next(parent) : undefined;
    return {
      oid,
      type: sibling?.oid.startsWith(`${parent}.`) ? T['NoSuchInstance']! : T['NoSuchObject']!,
      value: null,
    };
  };
  const answer = (socket: any, message: any, rinfo: any, varbinds: unknown[]) => {
    const response = message.pdu.getResponsePduForRequest();
    response.varbinds = varbinds;
    agent.sendResponse(socket, rinfo, message, response);
  };
  agent.getRequest = (socket: any, message: any, rinfo: any) => atOneInstant(() => get(socket, message, rinfo));
  agent.getNextRequest = (socket: any, message: any, rinfo: any) => atOneInstant(() => next(socket, message, rinfo));
  agent.getBulkRequest = (socket: any, message: any, rinfo: any) => atOneInstant(() => bulk(socket, message, rinfo));
  const get = (socket: any, message: any, rinfo: any) => {
    if (message.version === snmp.Version1) return original.get(socket, message, rinfo);
    answer(
      socket,
      message,
      rinfo,
      (message.pdu.varbinds as { oid: string }[]).map((v) => exactOf(v.oid)),
    );
  };
  const next = (socket: any, message: any, rinfo: any) => {
    if (message.version === snmp.Version1) return original.next(socket, message, rinfo);
    answer(
      socket,
      message,
      rinfo,
      (message.pdu.varbinds as { oid: string }[]).map((v) => nextOf(v.oid)),
    );
  };
  const bulk = (socket: any, message: any, rinfo: any) => {
    if (message.version === snmp.Version1) return original.bulk(socket, message, rinfo);
    const pdu = message.pdu as { nonRepeaters: number; maxRepetitions: number; varbinds: { oid: string }[] };
    const out: Array<{ oid: string; type: number; value: unknown }> = [];
    const n = Math.max(0, Math.min(pdu.nonRepeaters, pdu.varbinds.length));
    for (let i = 0; i < n; i++) out.push(nextOf(pdu.varbinds[i]!.oid));
    const cursors = pdu.varbinds.slice(n).map((v) => v.oid);
    const ended = cursors.map(() => false);
    for (let r = 0; r < pdu.maxRepetitions && cursors.length > 0 && !ended.every(Boolean); r++) {
      for (let c = 0; c < cursors.length && out.length < MAX_BULK_VARBINDS; c++) {
        const vb = nextOf(cursors[c]!);
        out.push(vb);
        if (vb.type === T['EndOfMibView']) ended[c] = true;
        else cursors[c] = vb.oid;
      }
      if (out.length >= MAX_BULK_VARBINDS) break;
    }
    answer(socket, message, rinfo, out);
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const TRAP_OID: Record<TrapEvent['kind'], string> = {
  coldStart: '1.3.6.1.6.3.1.1.5.1',
  linkDown: '1.3.6.1.6.3.1.1.5.3',
  linkUp: '1.3.6.1.6.3.1.1.5.4',
};

/**
 * Sends one SNMPv2c trap from the device's own address (the collector maps a trap to a device by
 * its source), with ifIndex/ifAdminStatus/ifOperStatus for link traps as IF-MIB defines them.
 */
export function sendTrap(
  model: DeviceModel,
  ev: TrapEvent,
  target: { host: string; port: number },
  community: string,
  now: number,
): Promise<void> {
  return new Promise((resolve) => {
    const session = snmp.createSession(target.host, community, {
      port: target.port,
      trapPort: target.port,
      version: snmp.Version2c,
      sourceAddress: model.device.address,
    });
    session.on('error', () => {
      /* a missing receiver is not the lab's problem */
    });
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
      try {
        session.close();
      } catch {
        /* already closed */
      }
      resolve();
    });
  });
}
