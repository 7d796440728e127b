import type { Device } from '../../core/inventory/schema.js';
import type { Fault } from './faults.js';
import { profileOf, round2, type SimProfile } from './profile.js';
import { dailyFactor, octetsBetween, unit, wrap64, DAY_MS } from './traffic.js';

export type TrapKind = 'coldStart' | 'linkDown' | 'linkUp';
/** A trap the device sends at `at` (ms); the shell schedules it. */
export interface TrapEvent {
  at: number;
  kind: TrapKind;
  ifIndex?: number;
}

interface IfState {
  /** Octets counted before `since` (in, out). */
  accIn: number;
  accOut: number;
  /** Counting since this instant; null while the interface is down. */
  since: number | null;
  lastChange: number;
}

interface ActiveFault {
  fault: Fault;
  origin: string;
  at: number;
}

const WIB_MS = 7 * 3_600_000;

/**
 * The pure state of one simulated device: counters, uptime, optics, Wi-Fi clients and faults.
 * Both the worker that answers SNMP and the lab's parent process hold one and apply the same
 * faults at the same instants, so `expected*` in the parent match what the agent serves.
 */
export class DeviceModel {
  readonly device: Device;
  readonly profile: SimProfile;
  bootAt: number;
  private counterBase: bigint;
  private ifs = new Map<number, IfState>();
  private faults: ActiveFault[] = [];
  private silentUntil = 0;
  private opticalFrom: { at: number; fromDbm: number; toDbm: number; durationMs: number } | null = null;

  constructor(device: Device, childCount: number, startAt: number) {
    this.device = device;
    this.profile = profileOf(device, childCount);
    // Up for 1–40 days before the lab started, so sysUpTime and counters look lived-in.
    this.bootAt = startAt - Math.floor((1 + 39 * unit(`${device.id}/up`)) * DAY_MS);
    // HC counters start above 2^32 so the 32-bit copies differ from them from the first read.
    this.counterBase = BigInt(Math.floor(unit(`${device.id}/ctr`) * 2 ** 40)) + 2n ** 32n;
    for (const i of this.profile.interfaces)
      this.ifs.set(i.ifIndex, { accIn: 0, accOut: 0, since: this.bootAt, lastChange: this.bootAt });
  }

  /** sysUpTime in hundredths of a second. */
  uptimeTicks(now: number): number {
    return Math.max(0, Math.floor((now - this.bootAt) / 10)) % 2 ** 32;
  }

  /** 64-bit in/out octet counters of an interface at `now`. */
  octets(ifIndex: number, now: number): { in: bigint; out: bigint } | null {
    const itf = this.profile.interfaces.find((i) => i.ifIndex === ifIndex);
    const st = this.ifs.get(ifIndex);
    if (!itf || !st) return null;
    let inO = st.accIn;
    let outO = st.accOut;
    if (st.since !== null && now > st.since) {
      inO += octetsBetween(itf.baseInBps, st.since, now);
      outO += octetsBetween(itf.baseOutBps, st.since, now);
    }
    return {
      in: wrap64(this.counterBase + BigInt(Math.floor(inO))),
      out: wrap64(this.counterBase / 3n + BigInt(Math.floor(outO))),
    };
  }

  /** Errors grow slowly with traffic: one per ~10 MB, deterministic. */
  errors(
    ifIndex: number,
    now: number,
  ): { inErrors: number; outErrors: number; inDiscards: number; outDiscards: number } {
    const o = this.octets(ifIndex, now);
    if (!o) return { inErrors: 0, outErrors: 0, inDiscards: 0, outDiscards: 0 };
    const mb = Number((o.in - this.counterBase) / 10_000_000n);
    return {
      inErrors: Math.max(0, Math.floor(mb / 7)) % 2 ** 32,
      outErrors: Math.max(0, Math.floor(mb / 13)) % 2 ** 32,
      inDiscards: Math.max(0, Math.floor(mb / 5)) % 2 ** 32,
      outDiscards: 0,
    };
  }

  operUp(ifIndex: number): boolean {
    return this.ifs.get(ifIndex)?.since !== null;
  }

  lastChangeTicks(ifIndex: number): number {
    const st = this.ifs.get(ifIndex);
    if (!st) return 0;
    return Math.max(0, Math.floor((st.lastChange - this.bootAt) / 10));
  }

  /** Optical rx/tx in dBm now (with a running degradation), or null without optics. */
  optical(now: number): { rxDbm: number; txDbm: number } | null {
    const o = this.profile.optical;
    if (!o) return null;
    let rx = o.rxDbm;
    const d = this.opticalFrom;
    if (d) {
      const k = d.durationMs <= 0 ? 1 : Math.min(1, Math.max(0, (now - d.at) / d.durationMs));
      rx = d.fromDbm + (d.toDbm - d.fromDbm) * k;
    }
    return { rxDbm: round2(rx), txDbm: o.txDbm };
  }

  /** Associated Wi-Fi clients now: a daily pattern, zero outside opening hours, or a forced count. */
  wifiClients(now: number): number | null {
    const w = this.profile.wifi;
    if (!w) return null;
    const forced = this.find('wifi-clients');
    if (forced) return forced.count;
    const open = this.profile.openMinutes;
    if (open) {
      const minute = Math.floor(((now + WIB_MS) % DAY_MS) / 60_000);
      const inside =
        open.from <= open.to ? minute >= open.from && minute < open.to : minute >= open.from || minute < open.to;
      if (!inside) return 0;
    }
    // Quantised to the minute so two processes reading a few ms apart agree.
    const minuteStart = Math.floor(now / 60_000) * 60_000;
    return Math.max(0, Math.round(w.baseClients * dailyFactor(minuteStart)));
  }

  cpuLoad(now: number): number {
    return Math.min(100, Math.round(this.profile.cpuBase * dailyFactor(Math.floor(now / 60_000) * 60_000)));
  }

  find<K extends Fault['kind']>(kind: K): Extract<Fault, { kind: K }> | undefined {
    return this.faults.find((f) => f.fault.kind === kind)?.fault as Extract<Fault, { kind: K }> | undefined;
  }

  activeFaults(): readonly Fault[] {
    return this.faults.map((f) => f.fault);
  }

  /** No reply at all: down, or rebooting. */
  silent(now: number): boolean {
    return now < this.silentUntil || this.faults.some((f) => f.fault.kind === 'down');
  }

  /** Delay to add to each reply (latency and slow faults add up). */
  replyDelayMs(): number {
    let ms = 0;
    for (const { fault } of this.faults) if (fault.kind === 'latency' || fault.kind === 'slow') ms += fault.ms;
    return ms;
  }

  /** Applies a fault at `now`; returns traps the device sends because of it. */
  apply(fault: Fault, origin: string, now: number): TrapEvent[] {
    switch (fault.kind) {
      case 'reboot': {
        const up = now + fault.downMs;
        this.silentUntil = up;
        this.bootAt = up;
        this.counterBase = 0n;
        for (const [ifIndex, st] of this.ifs) {
          const downNow = this.faults.some((f) => f.fault.kind === 'ifdown' && f.fault.ifIndex === ifIndex);
          this.ifs.set(ifIndex, { accIn: 0, accOut: 0, since: downNow ? null : up, lastChange: up });
          void st;
        }
        return [{ at: up, kind: 'coldStart' }];
      }
      case 'ifup':
        return this.linkUp(fault.ifIndex, now, (f) => f.fault.kind === 'ifdown' && f.fault.ifIndex === fault.ifIndex);
      case 'ifdown': {
        const st = this.ifs.get(fault.ifIndex);
        if (!st || st.since === null) return [];
        this.freeze(fault.ifIndex, st, now);
        this.faults.push({ fault, origin, at: now });
        return [{ at: now, kind: 'linkDown', ifIndex: fault.ifIndex }];
      }
      case 'optical': {
        const cur = this.optical(now);
        if (!cur) return [];
        this.opticalFrom = { at: now, fromDbm: cur.rxDbm, toDbm: fault.toDbm, durationMs: fault.durationMs };
        this.faults = this.faults.filter((f) => f.fault.kind !== 'optical');
        this.faults.push({ fault, origin, at: now });
        return [];
      }
      default:
        // One fault of a kind per device: the newest wins (e.g. loss 20 then loss 50).
        this.faults = this.faults.filter((f) => f.fault.kind !== fault.kind);
        this.faults.push({ fault, origin, at: now });
        return [];
    }
  }

  /**
   * Clears faults: all of them (origin undefined), or those applied with that origin (the device
   * a subtree fault was aimed at). Interfaces come back up with a linkUp trap.
   */
  clear(now: number, origin?: string): TrapEvent[] {
    const match = (f: ActiveFault) => origin === undefined || f.origin === origin;
    const traps: TrapEvent[] = [];
    for (const f of this.faults.filter(match)) {
      if (f.fault.kind === 'ifdown') traps.push(...this.linkUp(f.fault.ifIndex, now, (x) => x === f));
      if (f.fault.kind === 'optical') this.opticalFrom = null;
    }
    this.faults = this.faults.filter((f) => !match(f));
    return traps;
  }

  private freeze(ifIndex: number, st: IfState, now: number): void {
    const o = this.octetsRaw(ifIndex, st, now);
    this.ifs.set(ifIndex, { accIn: o.in, accOut: o.out, since: null, lastChange: now });
  }

  private octetsRaw(ifIndex: number, st: IfState, now: number): { in: number; out: number } {
    const itf = this.profile.interfaces.find((i) => i.ifIndex === ifIndex)!;
    if (st.since === null || now <= st.since) return { in: st.accIn, out: st.accOut };
    return {
      in: st.accIn + octetsBetween(itf.baseInBps, st.since, now),
      out: st.accOut + octetsBetween(itf.baseOutBps, st.since, now),
    };
  }

  private linkUp(ifIndex: number, now: number, which: (f: ActiveFault) => boolean): TrapEvent[] {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => !which(f));
    if (this.faults.length === before) return [];
    const st = this.ifs.get(ifIndex);
    if (!st || st.since !== null) return [];
    this.ifs.set(ifIndex, { ...st, since: Math.max(now, this.bootAt), lastChange: now });
    return [{ at: now, kind: 'linkUp', ifIndex }];
  }
}
