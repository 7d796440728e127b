import { createRequire } from 'node:module';

/**
 * net-snmp ships no TypeScript types. Rather than declare a global ambient module (which would
 * clash with anyone else's declaration in this shared tree) we load it through require and type
 * only the surface the collector uses.
 */
export interface Varbind {
  oid: string;
  type: number;
  value: unknown;
}

export interface SnmpSession {
  get(oids: string[], cb: (err: Error | null, varbinds?: Varbind[]) => void): void;
  getBulk(
    oids: string[],
    nonRepeaters: number,
    maxRepetitions: number,
    cb: (err: Error | null, varbinds?: Array<Varbind | Varbind[]>) => void,
  ): void;
  subtree(
    oid: string,
    maxRepetitions: number,
    feed: (vbs: Varbind[]) => boolean | void,
    done: (err: Error | null) => void,
  ): void;
  close(): void;
  on(event: 'error', cb: (err: Error) => void): void;
}

export interface TrapNotification {
  pdu: {
    type: number;
    varbinds: Varbind[];
    enterprise?: string;
    generic?: number;
    specific?: number;
    upTime?: number;
    agentAddr?: string;
  };
  rinfo: { address: string; port: number };
}

export interface SnmpReceiver {
  close(cb?: () => void): void;
  getAuthorizer(): { addCommunity(c: string): void; addUser(u: V3User): void };
}

export interface V3User {
  name: string;
  level: number;
  authProtocol?: string;
  authKey?: string;
  privProtocol?: string;
  privKey?: string;
}

export interface NetSnmp {
  Version1: number;
  Version2c: number;
  Version3: number;
  SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  AuthProtocols: Record<string, string>;
  PrivProtocols: Record<string, string>;
  ObjectType: Record<string, number>;
  PduType: Record<string, number>;
  TrapType: Record<string, number>;
  ResponseInvalidCode: Record<string, number>;
  isVarbindError(vb: Varbind): boolean;
  createSession(target: string, community: string, opts: Record<string, unknown>): SnmpSession;
  createV3Session(target: string, user: V3User, opts: Record<string, unknown>): SnmpSession;
  createReceiver(
    opts: Record<string, unknown>,
    cb: (err: Error | null, n: TrapNotification | null) => void,
  ): SnmpReceiver;
}

export const snmp = createRequire(import.meta.url)('net-snmp') as NetSnmp;
