import type { Device } from '../../../core/types.js';
import type { SnmpCredential } from '../../../core/config/sections/credentials.js';
import { ProbeFailure, withSignal } from '../../probe-error.js';
import { snmp, type SnmpSession, type Varbind } from './netsnmp.js';

export interface SnmpClientSettings {
  retries: number;
  maxRepetitions: number;
  /** Per request; the whole probe is bounded by the caller's signal. */
  requestTimeoutMs: number;
}

/** A session to one device: GET and subtree walks as promises that honour an AbortSignal. */
export interface SnmpClient {
  version: 'v1' | 'v2c' | 'v3';
  get(oids: readonly string[], signal: AbortSignal): Promise<Map<string, unknown>>;
  walk(oid: string, signal: AbortSignal): Promise<Map<string, unknown>>;
  /**
   * Several columns of one table walked together: one GetBulk per round instead of one walk per
   * column. `stampedAt` is the midpoint (by `now`) of the first round trip: when the agent read
   * the first rows, which is what a counter rate must be timed by.
   */
  walkColumns(
    columns: readonly string[],
    signal: AbortSignal,
    opts?: { maxRepetitions?: number; now?: () => number },
  ): Promise<{ values: Map<string, unknown>; stampedAt: number | null }>;
  close(): void;
}

/** Maps net-snmp's error classes to stable probe codes. */
export function snmpFailure(err: unknown): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  const e = err as { name?: string; code?: number; status?: number; message?: string };
  const msg = String(e?.message ?? err).slice(0, 200);
  if (e?.name === 'RequestTimedOutError')
    return new ProbeFailure(
      'PANTAU_PROBE_TIMEOUT',
      'no SNMP response: the agent does not answer, or silently drops a wrong community / SNMPv3 user or key (check the credentials if ping answers)',
      { cause: err },
    );
  if (e?.name === 'ResponseInvalidError') {
    // 4 ECouldNotDecrypt, 5 EAuthFailure (incl. usmStats reports: unknown user, wrong digest)
    if (e.code === 4 || e.code === 5)
      return new ProbeFailure('PANTAU_PROBE_AUTH', `SNMP authentication failed: ${msg}`, { cause: err });
    return new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', `invalid SNMP response: ${msg}`, { cause: err });
  }
  if (e?.name === 'RequestFailedError') {
    // error-status 16 authorizationError
    if (e.status === 16) return new ProbeFailure('PANTAU_PROBE_AUTH', `SNMP authorization error`, { cause: err });
    return new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', `SNMP error: ${msg}`, { cause: err });
  }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return new ProbeFailure('PANTAU_PROBE_TIMEOUT', 'SNMP probe timed out', { cause: err });
  return new ProbeFailure('PANTAU_PROBE_BAD_RESPONSE', `SNMP: ${msg}`, { cause: err });
}

export function createSnmpClient(device: Device, cred: SnmpCredential, s: SnmpClientSettings): SnmpClient {
  const port = device.probes.snmp?.port ?? 161;
  const opts = { port, retries: s.retries, timeout: s.requestTimeoutMs, backoff: 1, transport: 'udp4', idBitsSize: 32 };
  let session: SnmpSession;
  if (cred.version === 'v3') {
    const level = snmp.SecurityLevel[cred.level];
    session = snmp.createV3Session(
      device.address,
      {
        name: cred.user,
        level,
        ...(cred.level !== 'noAuthNoPriv'
          ? { authProtocol: snmp.AuthProtocols[cred.authProtocol], authKey: cred.authKey?.reveal() }
          : {}),
        ...(cred.level === 'authPriv'
          ? { privProtocol: snmp.PrivProtocols[cred.privProtocol], privKey: cred.privKey?.reveal() }
          : {}),
      },
      { ...opts, version: snmp.Version3 },
    );
  } else {
    session = snmp.createSession(device.address, cred.community.reveal(), {
      ...opts,
      version: cred.version === 'v1' ? snmp.Version1 : snmp.Version2c,
    });
  }
  // A datagram that does not parse is emitted here; without a listener it would crash the process.
  let lastGarbage: Error | null = null;
  session.on('error', (err) => {
    lastGarbage = err;
  });

  const garbageOr = (err: unknown) =>
    lastGarbage && (err as { name?: string })?.name === 'RequestTimedOutError'
      ? new ProbeFailure(
          'PANTAU_PROBE_BAD_RESPONSE',
          `unparseable SNMP response: ${lastGarbage.message.slice(0, 120)}`,
          { cause: lastGarbage },
        )
      : snmpFailure(err);

  const getOnce = (oids: readonly string[]) =>
    new Promise<Map<string, unknown>>((resolve, reject) => {
      session.get([...oids], (err, vbs) => {
        if (err) return reject(err);
        const out = new Map<string, unknown>();
        for (const vb of vbs ?? []) if (!snmp.isVarbindError(vb)) out.set(vb.oid, vb.value);
        resolve(out);
      });
    });

  const bulkOnce = (oids: string[], reps: number) =>
    new Promise<Array<Varbind | Varbind[]>>((resolve, reject) => {
      session.getBulk(oids, 0, reps, (err, vbs) => (err ? reject(err) : resolve(vbs ?? [])));
    });

  const client: SnmpClient = {
    version: cred.version,
    async get(oids, signal) {
      if (oids.length === 0) return new Map();
      try {
        return await withSignal(getOnce(oids), signal);
      } catch (err) {
        throw garbageOr(err);
      }
    },
    async walk(oid, signal) {
      const out = new Map<string, unknown>();
      const prefix = `${oid}.`;
      const work = new Promise<Map<string, unknown>>((resolve, reject) => {
        session.subtree(
          oid,
          s.maxRepetitions,
          (vbs: Varbind[]) => {
            for (const vb of vbs) {
              // Stop on an exception value, on leaving the column, or on an OID we already have: some
              // agents answer GetNext/GetBulk with noSuchObject at the requested OID itself, and
              // net-snmp's subtree would then ask the same question forever.
              if (snmp.isVarbindError(vb) || !vb.oid.startsWith(prefix) || out.has(vb.oid)) return true;
              out.set(vb.oid, vb.value);
            }
            // Stop early once aborted so the session stops sending.
            return signal.aborted;
          },
          (err) => (err ? reject(err) : resolve(out)),
        );
      });
      try {
        return await withSignal(work, signal);
      } catch (err) {
        throw garbageOr(err);
      }
    },
    async walkColumns(columns, signal, opts = {}) {
      const reps = Math.max(1, Math.min(s.maxRepetitions, opts.maxRepetitions ?? s.maxRepetitions));
      const now = opts.now ?? Date.now;
      if (cred.version === 'v1' || columns.length === 0) {
        const t0 = now();
        const parts = await Promise.all(columns.map((c) => client.walk(c, signal)));
        return { values: new Map(parts.flatMap((m) => [...m])), stampedAt: Math.round((t0 + now()) / 2) };
      }
      const out = new Map<string, unknown>();
      let stampedAt: number | null = null;
      let active = columns.map((col) => ({ prefix: `${col}.`, next: col, done: false }));
      try {
        while (active.length > 0 && !signal.aborted) {
          const sent = now();
          const vbs = await withSignal(
            bulkOnce(
              active.map((a) => a.next),
              reps,
            ),
            signal,
          );
          stampedAt ??= Math.round((sent + now()) / 2);
          let progressed = false;
          active.forEach((a, i) => {
            const rows = vbs[i];
            // A reply truncated by the agent's message size may carry nothing for a column: ask again.
            if (!Array.isArray(rows) || rows.length === 0) return;
            for (const vb of rows) {
              // Same stop rules as walk(): exception value, left the column, or no forward progress.
              if (snmp.isVarbindError(vb) || !vb.oid.startsWith(a.prefix) || out.has(vb.oid)) {
                a.done = true;
                break;
              }
              out.set(vb.oid, vb.value);
              a.next = vb.oid;
              progressed = true;
            }
          });
          if (!progressed) break;
          active = active.filter((a) => !a.done);
        }
        return { values: out, stampedAt };
      } catch (err) {
        throw garbageOr(err);
      }
    },
    close() {
      try {
        session.close();
      } catch {
        /* already closed */
      }
    },
  };
  return client;
}
