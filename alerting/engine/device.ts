import type { Device, DeviceProbeError, ProbeResult } from '../../core/types.js';
import { probeHintFor } from '../../core/probe-error-text.js';
import type { DeviceMachine, EngineContext, Observed } from './types.js';
import { reachabilityKind, reached } from '../../core/reachability.js';

const SERVICE_CHECKS = ['http', 'tls', 'dns', 'tcp'] as const;
type ServiceCheck = (typeof SERVICE_CHECKS)[number];
const isServiceCheck = (k: string): k is ServiceCheck => (SERVICE_CHECKS as readonly string[]).includes(k);

export function initialMachine(now: number): DeviceMachine {
  return {
    observed: 'UNKNOWN',
    fail: 0,
    ok: 0,
    snmpFail: 0,
    onvifFail: 0,
    trapDown: false,
    lastReach: null,
    flips: [],
    flapping: false,
    effective: 'UNKNOWN',
    since: now,
  };
}

/** The probe that decides reachability (shared with the collector's re-checks). */
export { reachabilityKind };

/*
 * Observed state of one device from its own probes (topology and maintenance come later).
 *
 *   from                 evidence                                               → to
 *   UNKNOWN              first successful reachability result                   → UP | DEGRADED
 *   UNKNOWN|UP|DEGRADED  `downAfter` consecutive failed results                 → DOWN
 *   UNKNOWN|UP|DEGRADED  linkDown trap on the uplink port + ≥1 failed result    → DOWN   (trap = immediate evidence, a failed probe confirms)
 *   DOWN                 `upAfter` consecutive successes                        → UP | DEGRADED
 *   UP                   SNMP or ONVIF failed `degradedAfter` times (ICMP fine) → DEGRADED
 *                        (failures while the ping fails are not counted; DOWN/UNREACHABLE resets the streaks)
 *   UP                   camera snapshot/RTSP failed `degradedAfter` times      → DEGRADED (camera_media_failing; rules alert)
 *   UP                   HTTP reachability answered slower than its limit
 *                        `degradedAfter` times in a row                          → DEGRADED (http_slow)
 *   UP                   a service check that is not the reachability probe
 *                        (tls, dns, tcp, http) failed `degradedAfter` times      → DEGRADED (<kind>_failing)
 *   UP                   ≥ threshold reachability flips within the window      → DEGRADED (flapping)
 *   DEGRADED             SNMP and ONVIF answer again, not flapping              → UP
 *   any                  linkUp trap on the uplink, or a successful result      → clears the trap evidence
 */
export function classify(
  m: DeviceMachine,
  ctx: EngineContext,
  device: Device,
): { observed: Observed; reason?: string } {
  const { downAfter, upAfter } = ctx.thresholds(device);
  const healthy = (): { observed: Observed; reason?: string } => {
    if (m.snmpFail >= ctx.degradedAfter) return { observed: 'DEGRADED', reason: 'snmp_failing' };
    if (m.onvifFail >= ctx.degradedAfter) return { observed: 'DEGRADED', reason: 'onvif_failing' };
    if ((m.mediaFail ?? 0) >= ctx.degradedAfter) return { observed: 'DEGRADED', reason: 'camera_media_failing' };
    const cf = m.checkFail;
    if (cf) {
      if ((cf.slow ?? 0) >= ctx.degradedAfter) return { observed: 'DEGRADED', reason: 'http_slow' };
      for (const k of SERVICE_CHECKS)
        if ((cf[k] ?? 0) >= ctx.degradedAfter) return { observed: 'DEGRADED', reason: `${k}_failing` };
    }
    if (m.flapping) return { observed: 'DEGRADED', reason: 'flapping' };
    return { observed: 'UP' };
  };
  if (m.observed === 'DOWN') {
    return m.ok >= upAfter ? healthy() : { observed: 'DOWN', ...(m.reason ? { reason: m.reason } : {}) };
  }
  if (m.fail >= downAfter)
    return {
      observed: 'DOWN',
      reason: m.trapDown ? 'trap_link_down' : device.type === 'service' ? 'service_down' : 'icmp_loss',
    };
  if (m.trapDown && m.fail >= 1) return { observed: 'DOWN', reason: 'trap_link_down' };
  if (m.observed === 'UNKNOWN' && m.ok === 0) return { observed: 'UNKNOWN' };
  return healthy();
}

function applyClass(m: DeviceMachine, ctx: EngineContext, device: Device): DeviceMachine {
  const c = classify(m, ctx, device);
  m.observed = c.observed;
  if (c.reason) m.reason = c.reason;
  else delete m.reason;
  return m;
}

/** Folds one probe result into the device's evidence. Returns a new machine. */
export function observe(
  prev: DeviceMachine,
  r: ProbeResult,
  device: Device,
  ctx: EngineContext,
  now: number,
): DeviceMachine {
  const m: DeviceMachine = { ...prev, flips: prev.flips.filter((t) => t > now - ctx.flapping.windowMs) };
  const reachKind = reachabilityKind(device);
  if (r.kind === 'trap') {
    const uplink = device.probes.snmp?.uplinkIfIndex;
    if (uplink !== undefined && r.ifIndex === uplink) {
      if (r.trap === 'linkDown') m.trapDown = true;
      if (r.trap === 'linkUp') m.trapDown = false;
    }
  } else if (r.kind === reachKind) {
    const ok = reached(r);
    if (m.lastReach !== null && m.lastReach !== ok) m.flips = [...m.flips, now];
    m.lastReach = ok;
    m.lastReachAt = now;
    // Data again (ADR 0406): the ordinary machine decides from here.
    delete m.noDataSince;
    // Answered, but slower than its limit: reached (not DOWN), counted toward DEGRADED.
    if (isServiceCheck(r.kind) && ok) m.checkFail = { ...m.checkFail, slow: r.ok ? 0 : (m.checkFail?.slow ?? 0) + 1 };
    if (ok) {
      m.ok += 1;
      m.fail = 0;
      m.trapDown = false;
      m.lastOkAt = now;
    } else {
      m.fail += 1;
      m.ok = 0;
      if (m.fail === 1 && m.observed !== 'DOWN') m.failSince = now;
    }
  }
  if (r.kind !== 'trap') m.probeErrors = nextProbeErrors(prev.probeErrors, r, now);
  // While the device does not answer its reachability probe, an SNMP/ONVIF/media failure says
  // nothing about those services: it does not count toward DEGRADED (issue 11, ADR 0404).
  const reachFailing = m.lastReach === false || m.observed === 'DOWN';
  if (r.kind === 'snmp' && reachKind !== 'snmp') m.snmpFail = r.ok ? 0 : reachFailing ? m.snmpFail : m.snmpFail + 1;
  if (r.kind === 'onvif' && reachKind !== 'onvif') {
    // The collector fails the whole ONVIF check for a bad snapshot, a dead stream or clock drift;
    // only a service that does not answer is "ONVIF failing". Media failures degrade the camera
    // (the rules alert on them); clock drift is only a rule.
    const code = r.error?.code;
    const media = code === 'PANTAU_PROBE_SNAPSHOT' || code === 'PANTAU_PROBE_RTSP';
    const serviceDown = !r.ok && !media && code !== 'PANTAU_PROBE_CLOCK_DRIFT';
    if (!reachFailing || !(serviceDown || media)) {
      m.onvifFail = serviceDown ? m.onvifFail + 1 : 0;
      m.mediaFail = media ? (m.mediaFail ?? 0) + 1 : 0;
    }
  }
  if (isServiceCheck(r.kind) && r.kind !== reachKind) {
    const n = m.checkFail?.[r.kind] ?? 0;
    m.checkFail = { ...m.checkFail, [r.kind]: r.ok ? 0 : reachFailing ? n : n + 1 };
  }
  if (!m.flapping && m.flips.length >= ctx.flapping.threshold) m.flapping = true;
  const wasDown = m.observed === 'DOWN';
  applyClass(m, ctx, device);
  if (wasDown && m.observed !== 'DOWN') m.recoveredAt = now;
  // A DOWN (or UNREACHABLE) device starts its service streaks afresh: failures counted just before
  // the outage came from the outage, so a recovered device is not DEGRADED by them. The collector
  // re-checks SNMP/ONVIF at once when the ping recovers (ADR 0205), so a real fault shows quickly.
  if (m.observed === 'DOWN' || m.effective === 'UNREACHABLE') {
    m.snmpFail = 0;
    m.onvifFail = 0;
    m.mediaFail = 0;
    if (m.checkFail) delete m.checkFail;
  }
  if (m.fail === 0 && m.observed !== 'DOWN') delete m.failSince;
  return m;
}

type ProbeErrors = NonNullable<DeviceMachine['probeErrors']>;

/** A failed result starts or extends its kind's streak; a success clears it. Same object when nothing changed. */
function nextProbeErrors(
  prev: DeviceMachine['probeErrors'],
  r: Exclude<ProbeResult, { kind: 'trap' }>,
  now: number,
): DeviceMachine['probeErrors'] {
  const cur = prev?.[r.kind];
  if (r.ok || !r.error) {
    if (!cur) return prev;
    const next: ProbeErrors = { ...prev };
    delete next[r.kind];
    return Object.keys(next).length > 0 ? next : undefined;
  }
  const same = cur && cur.code === r.error.code;
  return { ...prev, [r.kind]: { code: r.error.code, since: same ? cur.since : now, count: same ? cur.count + 1 : 1 } };
}

/**
 * The one failure the page shows: the reachability probe's first (it explains everything else),
 * then ONVIF (camera reasons), then SNMP.
 */
export function standingProbeError(m: DeviceMachine, device: Device): DeviceProbeError | undefined {
  const errs = m.probeErrors;
  if (!errs) return undefined;
  const reach = reachabilityKind(device);
  const order = [reach, 'http', 'tls', 'dns', 'tcp', 'onvif', 'snmp', 'icmp'] as const;
  for (const kind of order) {
    const e = errs[kind];
    if (!e) continue;
    // Ping answers now (ICMP is the reachability probe and its last result was ok): a silent SNMP
    // agent is then most likely refusing our credentials rather than dead.
    const pingOk = reach === 'icmp' && m.lastReach === true && !errs.icmp;
    const hint = probeHintFor(kind, e.code, pingOk);
    return { kind, code: e.code, since: e.since, ...(hint ? { hint } : {}) };
  }
  return undefined;
}

/** Timer part: flapping clears after a quiet period. Returns the same object when nothing changed. */
export function quietCheck(prev: DeviceMachine, device: Device, ctx: EngineContext, now: number): DeviceMachine {
  if (!prev.flapping) return prev;
  const last = prev.flips[prev.flips.length - 1];
  if (last !== undefined && now - last < ctx.flapping.quietMs) return prev;
  return applyClass({ ...prev, flapping: false, flips: [] }, ctx, device);
}
