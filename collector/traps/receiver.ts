import type { Logger } from '../../core/logger.js';
import type { Inventory } from '../../core/inventory/topology.js';
import type { TrapResult } from '../../core/types.js';
import type { SnmpCredential } from '../../core/config/sections/credentials.js';
import { snmp, type SnmpReceiver } from '../probes/snmp/netsnmp.js';
import { parseTrapPdu } from './parse.js';

export interface TrapReceiverDeps {
  address: string;
  port: number;
  credentials: Readonly<Record<string, SnmpCredential>>;
  inventory: () => Inventory;
  onResult: (r: TrapResult) => void;
  logger: Logger;
  now: () => number;
}

/**
 * Listens for v1/v2c traps (and v3 for the configured users) and turns each into a TrapResult at
 * once. Communities are the configured ones; a trap from an address not in the inventory is
 * dropped (logged at debug: a scan or a misconfigured device should not flood the log).
 */
export async function startTrapReceiver(deps: TrapReceiverDeps): Promise<{ close(): Promise<void> }> {
  const log = deps.logger.child({ module: 'collector/traps' });
  let receiver: SnmpReceiver | undefined;
  await new Promise<void>((resolve, reject) => {
    try {
      receiver = snmp.createReceiver(
        { port: deps.port, address: deps.address, disableAuthorization: false, transport: 'udp4' },
        (err, n) => {
          if (err || !n) {
            const e = err as (Error & { code?: string; rinfo?: unknown }) | null;
            if (e && !e.rinfo && typeof e.code === 'string') {
              log.error({ err: e }, 'trap receiver socket error');
              return;
            }
            log.debug(
              { err, source: (err as { rinfo?: { address?: string } } | null)?.rinfo?.address },
              'trap rejected',
            );
            return;
          }
          const started = performance.now();
          const inv = deps.inventory();
          // v1 traps also name the agent inside the PDU; it helps behind NAT.
          const device =
            inv.byAddress.get(n.rinfo.address) ?? (n.pdu.agentAddr ? inv.byAddress.get(n.pdu.agentAddr) : undefined);
          if (!device) {
            log.debug({ source: n.rinfo.address }, 'trap from unknown address');
            return;
          }
          try {
            const t = parseTrapPdu(n.pdu);
            deps.onResult({
              kind: 'trap',
              deviceId: device.id,
              ts: deps.now(),
              durationMs: Math.round(performance.now() - started),
              // linkDown is the device telling us something is broken; the others are informational.
              ok: t.trap !== 'linkDown',
              trap: t.trap,
              trapOid: t.trapOid,
              source: n.rinfo.address,
              ...(t.ifIndex !== undefined ? { ifIndex: t.ifIndex } : {}),
              ...(t.ifName !== undefined ? { ifName: t.ifName } : {}),
            });
          } catch (e) {
            log.warn({ err: e, source: n.rinfo.address }, 'could not read trap');
          }
        },
      );
    } catch (e) {
      reject(e);
      return;
    }
    // net-snmp binds asynchronously and reports bind errors on the socket: give it a tick.
    setImmediate(resolve);
  });
  const auth = receiver!.getAuthorizer();
  for (const c of Object.values(deps.credentials)) {
    if (c.version === 'v3') {
      auth.addUser({
        name: c.user,
        level: snmp.SecurityLevel[c.level],
        ...(c.level !== 'noAuthNoPriv'
          ? { authProtocol: snmp.AuthProtocols[c.authProtocol], authKey: c.authKey?.reveal() }
          : {}),
        ...(c.level === 'authPriv'
          ? { privProtocol: snmp.PrivProtocols[c.privProtocol], privKey: c.privKey?.reveal() }
          : {}),
      });
    } else {
      auth.addCommunity(c.community.reveal());
    }
  }
  log.info({ address: deps.address, port: deps.port }, 'trap receiver listening');
  return {
    close: () =>
      new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (!done) {
            done = true;
            resolve();
          }
        };
        try {
          receiver!.close(finish);
        } catch {
          finish();
        }
        setTimeout(finish, 500).unref();
      }),
  };
}
