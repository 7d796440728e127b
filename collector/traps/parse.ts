import type { TrapName } from '../../core/types.js';
import { toNumber, toText } from '../probes/snmp/values.js';
import type { Varbind } from '../probes/snmp/netsnmp.js';

export const TRAP_OIDS: Record<string, TrapName> = {
  '1.3.6.1.6.3.1.1.5.1': 'coldStart',
  '1.3.6.1.6.3.1.1.5.2': 'warmStart',
  '1.3.6.1.6.3.1.1.5.3': 'linkDown',
  '1.3.6.1.6.3.1.1.5.4': 'linkUp',
};
const V1_GENERIC = ['coldStart', 'warmStart', 'linkDown', 'linkUp'] as const;
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const IF_INDEX = '1.3.6.1.2.1.2.2.1.1.';
const IF_DESCR = '1.3.6.1.2.1.2.2.1.2.';
const IF_NAME = '1.3.6.1.2.1.31.1.1.1.1.';

export interface ParsedTrap {
  trap: TrapName;
  trapOid: string;
  ifIndex?: number;
  ifName?: string;
}

/**
 * Pure: the trap's meaning from a v1 Trap-PDU (generic-trap number) or a v2c/v3 notification
 * (snmpTrapOID.0 varbind). The interface comes from ifIndex/ifName/ifDescr varbinds.
 */
export function parseTrapPdu(pdu: {
  type: number;
  varbinds: Varbind[];
  enterprise?: string;
  generic?: number;
  specific?: number;
}): ParsedTrap {
  let trapOid: string;
  let trap: TrapName = 'other';
  if (typeof pdu.generic === 'number' && pdu.type === 164) {
    // v1: generic 0..3 map to the standard traps; 6 is enterprise-specific
    const name = V1_GENERIC[pdu.generic];
    if (name) {
      trap = name;
      trapOid = `1.3.6.1.6.3.1.1.5.${pdu.generic + 1}`;
    } else trapOid = `${pdu.enterprise ?? ''}.0.${pdu.specific ?? 0}`;
  } else {
    const vb = pdu.varbinds.find((v) => v.oid === SNMP_TRAP_OID);
    trapOid = (vb ? toText(vb.value) : null) ?? '';
    trap = TRAP_OIDS[trapOid] ?? 'other';
  }
  const out: ParsedTrap = { trap, trapOid };
  for (const vb of pdu.varbinds) {
    if (vb.oid.startsWith(IF_INDEX)) {
      const n = toNumber(vb.value) ?? Number(vb.oid.slice(IF_INDEX.length));
      if (Number.isInteger(n)) out.ifIndex = n;
    } else if (vb.oid.startsWith(IF_NAME)) {
      out.ifName = toText(vb.value) ?? undefined;
      out.ifIndex ??= Number(vb.oid.slice(IF_NAME.length));
    } else if (vb.oid.startsWith(IF_DESCR) && out.ifName === undefined) {
      out.ifName = toText(vb.value) ?? undefined;
      out.ifIndex ??= Number(vb.oid.slice(IF_DESCR.length));
    }
  }
  if (out.ifName === undefined) delete out.ifName;
  return out;
}
