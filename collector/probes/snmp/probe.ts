import type { Device, InterfaceSample, SnmpResult } from '../../../core/types.js';
import type { SnmpCredential } from '../../../core/config/sections/credentials.js';
import { ProbeFailure, toProbeError } from '../../probe-error.js';
import { createSnmpClient, snmpFailure, type SnmpClient, type SnmpClientSettings } from './client.js';
import { evaluateProfile, missingProfileMetrics, profileOids } from './evaluate.js';
import { profileFor } from './profiles.js';
import type { VendorProfile } from './profile-schema.js';
import { computeRates, type CounterSnapshot, type IfCounters } from './rates.js';
import { toBigInt, toNumber, toText } from './values.js';

export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  ifNumber: '1.3.6.1.2.1.2.1.0',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifSpeed: '1.3.6.1.2.1.2.2.1.5',
  ifAdminStatus: '1.3.6.1.2.1.2.2.1.7',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInOctets: '1.3.6.1.2.1.2.2.1.10',
  ifInDiscards: '1.3.6.1.2.1.2.2.1.13',
  ifInErrors: '1.3.6.1.2.1.2.2.1.14',
  ifOutOctets: '1.3.6.1.2.1.2.2.1.16',
  ifOutDiscards: '1.3.6.1.2.1.2.2.1.19',
  ifOutErrors: '1.3.6.1.2.1.2.2.1.20',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
} as const;

const IF_COLUMNS = [
  OID.ifDescr,
  OID.ifSpeed,
  OID.ifAdminStatus,
  OID.ifOperStatus,
  OID.ifInOctets,
  OID.ifInDiscards,
  OID.ifInErrors,
  OID.ifOutOctets,
  OID.ifOutDiscards,
  OID.ifOutErrors,
  OID.ifName,
  OID.ifHCInOctets,
  OID.ifHCOutOctets,
  OID.ifHighSpeed,
  OID.ifAlias,
];

export interface SnmpProberDeps {
  credentials: Readonly<Record<string, SnmpCredential>>;
  profiles: ReadonlyMap<string, VendorProfile>;
  settings: { retries: number; maxRepetitions: number; timeoutMs: number };
  now: () => number;
  /** Called once per device when the set of profile metrics it lacks changes (a log line). */
  onMissingMetrics?: (device: Device, missing: readonly string[]) => void;
  /** For tests: open a client some other way. */
  openClient?: (device: Device, cred: SnmpCredential, s: SnmpClientSettings) => SnmpClient;
}

/** Rows of one column: ifIndex → value. */
function column(values: Map<string, unknown>, col: string): Map<number, unknown> {
  const out = new Map<number, unknown>();
  const prefix = `${col}.`;
  for (const [oid, v] of values) {
    if (!oid.startsWith(prefix)) continue;
    const idx = Number(oid.slice(prefix.length));
    if (Number.isInteger(idx)) out.set(idx, v);
  }
  return out;
}

/** Builds interface samples and counters from walked IF-MIB columns (pure). */
export function interfacesFrom(
  values: Map<string, unknown>,
  uplinkIfIndex?: number,
): { samples: Omit<InterfaceSample, 'inBps' | 'outBps'>[]; counters: Map<number, IfCounters> } {
  const c = Object.fromEntries(IF_COLUMNS.map((o) => [o, column(values, o)])) as Record<string, Map<number, unknown>>;
  const indexes = new Set<number>([
    ...c[OID.ifDescr]!.keys(),
    ...c[OID.ifOperStatus]!.keys(),
    ...c[OID.ifName]!.keys(),
  ]);
  const samples: Omit<InterfaceSample, 'inBps' | 'outBps'>[] = [];
  const counters = new Map<number, IfCounters>();
  for (const idx of [...indexes].sort((a, b) => a - b)) {
    const high = toNumber(c[OID.ifHighSpeed]!.get(idx));
    const low = toNumber(c[OID.ifSpeed]!.get(idx));
    // ifSpeed saturates at 4294967295 for links ≥ 4.29 Gb/s: ifHighSpeed (Mb/s) then tells the truth.
    const speedBps = high !== null && high > 0 ? high * 1e6 : low;
    const hcIn = toBigInt(c[OID.ifHCInOctets]!.get(idx));
    const hcOut = toBigInt(c[OID.ifHCOutOctets]!.get(idx));
    const hc = hcIn !== null && hcOut !== null;
    counters.set(idx, {
      hc,
      inOctets: hc ? hcIn : toBigInt(c[OID.ifInOctets]!.get(idx)),
      outOctets: hc ? hcOut : toBigInt(c[OID.ifOutOctets]!.get(idx)),
      speedBps,
    });
    const alias = toText(c[OID.ifAlias]!.get(idx));
    samples.push({
      ifIndex: idx,
      ifName: toText(c[OID.ifName]!.get(idx)) || toText(c[OID.ifDescr]!.get(idx)) || `if${idx}`,
      ...(alias ? { ifAlias: alias } : {}),
      adminUp: toNumber(c[OID.ifAdminStatus]!.get(idx)) === 1,
      operUp: toNumber(c[OID.ifOperStatus]!.get(idx)) === 1,
      speedBps,
      inErrors: toNumber(c[OID.ifInErrors]!.get(idx)),
      outErrors: toNumber(c[OID.ifOutErrors]!.get(idx)),
      inDiscards: toNumber(c[OID.ifInDiscards]!.get(idx)),
      outDiscards: toNumber(c[OID.ifOutDiscards]!.get(idx)),
      isUplink: uplinkIfIndex === idx,
    });
  }
  return { samples, counters };
}

/** The SNMP probe; it owns each device's previous counters (rates need two polls). */
export function createSnmpProber(deps: SnmpProberDeps) {
  const state = new Map<string, CounterSnapshot>();
  const reportedMissing = new Map<string, string>();
  const open = deps.openClient ?? createSnmpClient;

  async function run(device: Device, opts: { signal: AbortSignal }): Promise<SnmpResult> {
    const ts = deps.now();
    const started = performance.now();
    const base = {
      kind: 'snmp' as const,
      deviceId: device.id,
      ts,
      sysUpTimeS: null,
      sysName: null,
      sysDescr: null,
      rebooted: false,
      interfaces: [],
      metrics: [],
    };
    const probe = device.probes.snmp;
    const cred = probe ? deps.credentials[probe.credentials] : undefined;
    if (!probe || !cred) {
      return {
        ...base,
        ok: false,
        durationMs: 0,
        error: { code: 'PANTAU_PROBE_INTERNAL', message: 'no SNMP credentials for this device' },
      };
    }
    const s = deps.settings;
    // Two rounds (system GET, then walks) each with retries must fit in the probe's timeout.
    const requestTimeoutMs = Math.max(100, Math.floor(s.timeoutMs / ((s.retries + 1) * 2)));
    const client = open(device, cred, { retries: s.retries, maxRepetitions: s.maxRepetitions, requestTimeoutMs });
    let sys = new Map<string, unknown>();
    try {
      const profile = profileFor(deps.profiles, device.vendor);
      const { gets, walks } = profileOids(profile);
      const sysOids = [OID.sysDescr, OID.sysUpTime, OID.sysName, OID.ifNumber];
      // v2c/v3: the profile's scalars ride along with the system GET (a missing one comes back as
      // noSuchObject in its own varbind), one request less per probe. An agent that refuses the
      // whole PDU for one unknown OID (error-status) is asked again without them.
      let merged = client.version !== 'v1' && gets.length > 0;
      try {
        sys = await client.get(merged ? [...sysOids, ...gets] : sysOids, opts.signal);
      } catch (err) {
        if (
          !merged ||
          opts.signal.aborted ||
          !(err instanceof ProbeFailure) ||
          (err.cause as { name?: string } | undefined)?.name !== 'RequestFailedError'
        )
          throw err;
        merged = false;
        sys = await client.get(sysOids, opts.signal);
      }
      if (!sys.has(OID.sysUpTime))
        throw new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', 'sysUpTime missing from the response');
      // IF-MIB is the probe; a vendor column that fails only loses that metric.
      const optional = <T>(p: Promise<T>, empty: T) =>
        p.catch((err: unknown) => {
          if (opts.signal.aborted) throw err;
          return empty;
        });
      // Columns are walked together with GetBulk: ifTable and ifXTable each sized to the interface
      // count, and every vendor column (usually a row or two per table, often absent) in ONE
      // request. One walk per vendor table cost the agent a request each: 9 datagrams per probe
      // instead of 4, and the lab answering 200+ devices at once was the queue (docs/adr/0104).
      const vendorColumns = [...new Set(walks)];
      // Size the bulk to the interface count: asking 20 rows of a 4-port device makes the agent
      // compute 16 rows of the next columns for nothing. Vendor tables are usually a row or two.
      const ifNumber = toNumber(sys.get(OID.ifNumber));
      const ifReps = ifNumber !== null && ifNumber > 0 ? ifNumber + 1 : undefined;
      const now = deps.now;
      const none = { values: new Map<string, unknown>(), stampedAt: null };
      const [ifTable, ifXTable, vendor] = await Promise.all([
        client.walkColumns(
          IF_COLUMNS.filter((c) => c.startsWith('1.3.6.1.2.1.2.2.1.')),
          opts.signal,
          { maxRepetitions: ifReps, now },
        ),
        client.walkColumns(
          IF_COLUMNS.filter((c) => c.startsWith('1.3.6.1.2.1.31.1.1.1.')),
          opts.signal,
          { maxRepetitions: ifReps, now },
        ),
        vendorColumns.length === 0
          ? Promise.resolve(none)
          : optional(client.walkColumns(vendorColumns, opts.signal, { maxRepetitions: 4, now }), none),
      ]);
      // Rates are timed by when the agent read the counters (HC ones if present), not probe start.
      const countersTs = ifXTable.values.size > 0 ? (ifXTable.stampedAt ?? ts) : (ifTable.stampedAt ?? ts);
      const walked = [ifTable.values, ifXTable.values, vendor.values];
      const values = new Map<string, unknown>();
      for (const m of walked) for (const [k, v] of m) values.set(k, v);
      // v1 fails a whole GET on one missing OID, so ask one at a time there.
      const got = merged
        ? [sys]
        : client.version === 'v1'
          ? await Promise.all(gets.map((o) => optional(client.get([o], opts.signal), new Map<string, unknown>())))
          : [await optional(client.get(gets, opts.signal), new Map<string, unknown>())];
      for (const m of got) for (const [k, v] of m) values.set(k, v);

      const uptimeTicks = toNumber(sys.get(OID.sysUpTime));
      const uptimeS = uptimeTicks === null ? null : uptimeTicks / 100;
      const { samples, counters } = interfacesFrom(values, probe.uplinkIfIndex);
      const snap: CounterSnapshot = { ts: countersTs, uptimeS, ifs: counters };
      const { rebooted, rates } = computeRates(state.get(device.id), snap);
      state.set(device.id, snap);
      const missing = missingProfileMetrics(profile, values);
      const missingKey = missing.join(',');
      if ((reportedMissing.get(device.id) ?? '') !== missingKey) {
        reportedMissing.set(device.id, missingKey);
        if (missing.length > 0) deps.onMissingMetrics?.(device, missing);
      }
      return {
        ...base,
        ok: true,
        durationMs: Math.round(performance.now() - started),
        sysUpTimeS: uptimeS,
        sysName: toText(sys.get(OID.sysName)),
        sysDescr: toText(sys.get(OID.sysDescr)),
        rebooted,
        interfaces: samples.map((x) => ({
          ...x,
          inBps: rates.get(x.ifIndex)?.inBps ?? null,
          outBps: rates.get(x.ifIndex)?.outBps ?? null,
        })),
        metrics: evaluateProfile(profile, values),
        ...(missing.length > 0 ? { missingMetrics: missing } : {}),
      };
    } catch (err) {
      const f = err instanceof ProbeFailure ? err : snmpFailure(err);
      return {
        ...base,
        ok: false,
        durationMs: Math.round(performance.now() - started),
        sysDescr: toText(sys.get(OID.sysDescr)),
        sysName: toText(sys.get(OID.sysName)),
        error: toProbeError(f),
      };
    } finally {
      client.close();
    }
  }

  return {
    run,
    forget: (deviceId: string) => {
      state.delete(deviceId);
      reportedMissing.delete(deviceId);
    },
  };
}

export type SnmpProber = ReturnType<typeof createSnmpProber>;
