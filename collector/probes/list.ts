/**
 * THE list of polled probe kinds. Adding a kind: a folder `collector/probes/<kind>/` whose index.ts
 * exports one definition (see definition.ts), plus one line here. Everything else (inventory and
 * config schema, scheduler, runner queues, dispatch, points, rule samples, `poll` output, live
 * samples) is derived from this list. Order matters only for display and docs.
 */
import type { AnyProbeDefinition, PolledKind } from './definition.js';
import { icmpProbe } from './icmp/index.js';
import { icmpSchemaPart } from './icmp/schema.js';
import { snmpProbe } from './snmp/index.js';
import { snmpSchemaPart } from './snmp/schema.js';
import { onvifProbe } from './onvif/index.js';
import { onvifSchemaPart } from './onvif/schema.js';
import { httpProbe } from './http/index.js';
import { httpSchemaPart } from './http/schema.js';
import { tlsProbe } from './tls/index.js';
import { tlsSchemaPart } from './tls/schema.js';
import { dnsProbe } from './dns/index.js';
import { dnsSchemaPart } from './dns/schema.js';
import { tcpProbe } from './tcp/index.js';
import { tcpSchemaPart } from './tcp/schema.js';

/** The kinds' config-facing parts: the inventory and config schemas are built from these. */
export const PROBE_SCHEMAS = [
  icmpSchemaPart,
  snmpSchemaPart,
  onvifSchemaPart,
  httpSchemaPart,
  tlsSchemaPart,
  dnsSchemaPart,
  tcpSchemaPart,
] as const;

/** The kinds' definitions: everything the collector and the consumers of results need. */
export const PROBES = [icmpProbe, snmpProbe, onvifProbe, httpProbe, tlsProbe, dnsProbe, tcpProbe] as const;

export type { PolledKind } from './definition.js';

/** Every polled kind, in list order. */
export const POLLED_KINDS: readonly PolledKind[] = PROBES.map((p) => p.kind);

const BY_KIND = new Map<string, AnyProbeDefinition>(PROBES.map((p) => [p.kind, p as unknown as AnyProbeDefinition]));

/** The definition of a kind; throws for a kind not in the list (a bug, not input). */
export function probeOf(kind: string): AnyProbeDefinition {
  const d = BY_KIND.get(kind);
  if (!d) throw new Error(`unknown probe kind "${kind}"`);
  return d;
}

export function isPolledKind(kind: string): kind is PolledKind {
  return BY_KIND.has(kind);
}

// A kind whose result type is declared (ProbeResultMap) but that is missing from PROBES fails here.
type Listed = (typeof PROBES)[number]['kind'];
type Schemas = (typeof PROBE_SCHEMAS)[number]['kind'];
export const LIST_IS_COMPLETE: [PolledKind] extends [Listed & Schemas] ? true : never = true;
