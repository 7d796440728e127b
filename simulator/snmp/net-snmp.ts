import { createRequire } from 'node:module';
import type { Socket } from 'node:dgram';

/**
 * The part of net-snmp (untyped CommonJS) the lab uses. Typed here, locally, rather than with a
 * global `declare module` that could clash with another module's declaration.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- net-snmp has no types; this file is the boundary */
export interface SnmpVarbind {
  oid: string;
  type: number;
  value: any;
}
export interface MibRequest {
  oid: string;
  instanceNode: { value: any };
  done(err?: unknown): void;
}
export interface SnmpMib {
  registerProvider(p: Record<string, unknown>): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(table: string, row: unknown[]): void;
}
export interface SnmpAgent {
  getMib(): SnmpMib;
  getAuthorizer(): { addCommunity(c: string): void; addUser(u: Record<string, unknown>): void };
  close(cb?: () => void): void;
  listener: { sockets: Record<string, Socket>; send(message: any, rinfo: any, socket: any): void };
  addGetNextVarbind(target: any[], oid: string): any;
  request(socket: any, message: any, rinfo: any): void;
  getBulkRequest(socket: any, message: any, rinfo: any): void;
  getRequest(socket: any, message: any, rinfo: any): void;
  getNextRequest(socket: any, message: any, rinfo: any): void;
  sendResponse(socket: any, rinfo: any, message: any, responsePdu: any): void;
}
export interface SnmpSession {
  trap(type: number | string, varbinds: SnmpVarbind[], agentAddrOrOpts: unknown, cb: (err: Error | null) => void): void;
  close(): void;
  on(ev: string, cb: (...a: any[]) => void): void;
}
export interface NetSnmp {
  createAgent(
    options: Record<string, unknown>,
    cb: (err: Error | null, data: unknown) => void,
    mib?: unknown,
  ): SnmpAgent;
  createSession(target: string, community: string, options: Record<string, unknown>): SnmpSession;
  createV3Session(target: string, user: Record<string, unknown>, options: Record<string, unknown>): SnmpSession;
  ObjectType: Record<string, number>;
  MibProviderType: Record<string, number>;
  MaxAccess: Record<string, number>;
  AuthProtocols: Record<string, number>;
  PrivProtocols: Record<string, number>;
  SecurityLevel: Record<string, number>;
  Version1: number;
  Version2c: number;
  TrapType: Record<string, number>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export const snmp = createRequire(import.meta.url)('net-snmp') as NetSnmp;
