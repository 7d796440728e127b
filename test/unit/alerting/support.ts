/** Shared by alerting's unit and integration tests: inventory, probe result builders, seeded noise. */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../core/config/load.js';
import { alertingSection, type AlertingConfig } from '../../../core/config/sections/alerting.js';
import type { Inventory } from '../../../core/inventory/topology.js';
import type { IcmpResult, OnvifResult, SnmpResult, TrapResult, ProfileMetric } from '../../../core/types.js';

let oku: Inventory | undefined;
/** The real OKU inventory (227 devices) from config/pantau.yaml. */
export function okuInventory(): Inventory {
  oku ??= loadConfig(fileURLToPath(new URL('../../../config/pantau.yaml', import.meta.url)), {}).inventory;
  return oku;
}

export function alertingConfig(input: Record<string, unknown> = {}): AlertingConfig {
  return alertingSection.parse(input);
}

/** A 3-ping ICMP result like the collector's: `received` of `sent` answered. */
export function icmp(deviceId: string, ts: number, received: number, sent = 3, rttMs = 2): IcmpResult {
  const ok = received > 0;
  return {
    kind: 'icmp', deviceId, ts, durationMs: 40, ok, sent, received,
    lossPct: Math.round(((sent - received) / sent) * 1000) / 10,
    rttMinMs: ok ? rttMs * 0.8 : null, rttAvgMs: ok ? rttMs : null, rttMaxMs: ok ? rttMs * 1.3 : null, jitterMs: ok ? 0.2 : null,
    ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'no reply' } }),
  };
}

export function snmp(deviceId: string, ts: number, ok: boolean, extra: { metrics?: ProfileMetric[]; rebooted?: boolean; uplinkOperUp?: boolean } = {}): SnmpResult {
  return {
    kind: 'snmp', deviceId, ts, durationMs: 80, ok,
    ...(ok ? {} : { error: { code: 'PANTAU_PROBE_TIMEOUT' as const, message: 'timeout' } }),
    sysUpTimeS: ok ? 1000 : null, sysName: ok ? deviceId : null, sysDescr: null, rebooted: extra.rebooted ?? false,
    interfaces: ok ? [{ ifIndex: 1, ifName: 'ether1', adminUp: true, operUp: extra.uplinkOperUp ?? true, speedBps: 1e9, inBps: 1000, outBps: 1000, inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0, isUplink: true }] : [],
    metrics: ok ? (extra.metrics ?? []) : [],
  };
}

export function onvif(deviceId: string, ts: number, ok: boolean, extra: { snapshotOk?: boolean; driftS?: number } = {}): OnvifResult {
  return {
    kind: 'onvif', deviceId, ts, durationMs: 200, ok, reachable: ok, authenticated: ok, clockDriftS: ok ? (extra.driftS ?? 0.5) : null,
    info: null, mismatches: [],
    snapshot: ok ? { ok: extra.snapshotOk ?? true, status: 200, bytes: 1000, latencyMs: 50 } : null,
    rtsp: ok ? { ok: true, status: 200, sdp: true, latencyMs: 30 } : null,
  };
}

export function trap(deviceId: string, ts: number, name: 'linkDown' | 'linkUp', ifIndex = 1): TrapResult {
  return { kind: 'trap', deviceId, ts, durationMs: 0, ok: true, trap: name, trapOid: '1.3.6.1.6.3.1.1.5.3', source: '127.0.0.1', ifIndex };
}

/** mulberry32: a tiny seeded PRNG so "random" loss is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
