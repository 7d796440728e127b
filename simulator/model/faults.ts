import { PantauError } from '../../core/errors.js';

/** Every fault the lab can inject. Pure data: sent over IPC, HTTP and written in scenarios. */
export type Fault =
  /** Off the air: no ICMP (iptables DROP), SNMP, ONVIF or RTSP answers. With subtree: a fiber cut. */
  | { kind: 'down' }
  /** Random loss of this share (0–100) of packets to the device (iptables statistic match). */
  | { kind: 'loss'; percent: number }
  /** Extra delay on every SNMP/ONVIF/RTSP reply (no netem on this kernel, so not on ICMP). */
  | { kind: 'latency'; ms: number }
  /** Slow replies: like latency, meant to exceed a collector's timeout. */
  | { kind: 'slow'; ms: number }
  /** Reboot: silent for downMs, then sysUpTime restarts, counters reset, coldStart trap. */
  | { kind: 'reboot'; downMs: number }
  /** ifOperStatus down (linkDown trap); cleared by ifup or clear (linkUp trap). */
  | { kind: 'ifdown'; ifIndex: number }
  /** Ends an ifdown on that interface (linkUp trap). Not kept as a state. */
  | { kind: 'ifup'; ifIndex: number }
  /** Optical rx power moves linearly from its current value to toDbm over durationMs. */
  | { kind: 'optical'; toDbm: number; durationMs: number }
  /** Wi-Fi associated clients forced to count (a spike, or 0). */
  | { kind: 'wifi-clients'; count: number }
  /** Camera snapshot broken: HTTP 500, a body that is not a JPEG, or zero bytes. */
  | { kind: 'snapshot'; mode: 'http500' | 'not-jpeg' | 'empty' }
  /** RTSP responder refuses connections. */
  | { kind: 'rtsp-down' }
  /** Camera clock off by this many seconds. */
  | { kind: 'clock-drift'; seconds: number }
  /** Camera password changed: the configured credentials are refused. */
  | { kind: 'wrong-credentials' }
  /** Garbage instead of valid SNMP responses. */
  | { kind: 'malformed-snmp' }
  /** Invalid XML / non-SOAP bodies from the ONVIF services. */
  | { kind: 'malformed-soap' }
  // Services (type service, simulator/services): the application, its certificate, its name, its port.
  /** The application answers every request with this HTTP status (e.g. 500). */
  | { kind: 'http-status'; status: number }
  /** The application answers after ms (8000: slower than pantau's 3 s limit, inside its 10 s timeout). */
  | { kind: 'http-slow'; ms: number }
  /** The application serves another page (a default / maintenance page without its name). */
  | { kind: 'content-changed' }
  /** The certificate served expires in `days` days (a new one from the lab CA). */
  | { kind: 'cert-expiring'; days: number }
  /** The certificate served expired yesterday. */
  | { kind: 'cert-expired' }
  /** The certificate served is for another host name. */
  | { kind: 'cert-wrong-host' }
  /** The lab's DNS server answers NXDOMAIN for the service's name. */
  | { kind: 'dns-nxdomain' }
  /** The service's port is closed (connections refused). */
  | { kind: 'port-closed' };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'down',
  'loss',
  'latency',
  'slow',
  'reboot',
  'ifdown',
  'ifup',
  'optical',
  'wifi-clients',
  'snapshot',
  'rtsp-down',
  'clock-drift',
  'wrong-credentials',
  'malformed-snmp',
  'malformed-soap',
  'http-status',
  'http-slow',
  'content-changed',
  'cert-expiring',
  'cert-expired',
  'cert-wrong-host',
  'dns-nxdomain',
  'port-closed',
];

/** One-line help per fault, for the CLI. `fiber-cut` is `down` on a subtree. */
export const FAULT_HELP: Record<string, string> = {
  down: 'down — no ICMP/SNMP/ONVIF',
  'fiber-cut': 'fiber-cut — down on the device and everything below it',
  loss: 'loss <percent>',
  latency: 'latency <ms>',
  slow: 'slow [ms=8000]',
  reboot: 'reboot [downSeconds=5]',
  ifdown: 'ifdown <ifIndex>',
  ifup: 'ifup <ifIndex>',
  optical: 'optical <toDbm> [overSeconds=0]',
  'wifi-clients': 'wifi-clients <count>',
  snapshot: 'snapshot http500|not-jpeg|empty',
  'rtsp-down': 'rtsp-down',
  'clock-drift': 'clock-drift <seconds>',
  'wrong-credentials': 'wrong-credentials',
  'malformed-snmp': 'malformed-snmp',
  'malformed-soap': 'malformed-soap',
  'http-status': 'http-status <code=500>   (services)',
  'http-slow': 'http-slow [ms=8000]   (services)',
  'content-changed': 'content-changed   (services)',
  'cert-expiring': 'cert-expiring <days>   (services)',
  'cert-expired': 'cert-expired   (services)',
  'cert-wrong-host': 'cert-wrong-host   (services)',
  'dns-nxdomain': 'dns-nxdomain   (services)',
  'port-closed': 'port-closed   (services)',
};

function num(args: readonly string[], i: number, name: string, dflt?: number): number {
  const raw = args[i];
  if (raw === undefined) {
    if (dflt !== undefined) return dflt;
    throw new PantauError('PANTAU_LAB', `fault needs ${name}`);
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new PantauError('PANTAU_LAB', `${name}: not a number: ${raw}`);
  return n;
}

/** Validates a fault object from untrusted input (HTTP, YAML). */
export function checkFault(f: unknown): Fault {
  const o = f as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || typeof o['kind'] !== 'string')
    throw new PantauError('PANTAU_LAB', 'fault: missing kind');
  const kind = o['kind'];
  const args: string[] = [];
  const n = (k: string) => {
    if (o[k] !== undefined) args.push(String(o[k]));
  };
  switch (kind) {
    case 'loss':
      n('percent');
      break;
    case 'latency':
    case 'slow':
      n('ms');
      break;
    case 'reboot':
      if (o['downMs'] !== undefined) args.push(String(Number(o['downMs']) / 1000));
      break;
    case 'ifdown':
    case 'ifup':
      n('ifIndex');
      break;
    case 'optical':
      n('toDbm');
      if (o['durationMs'] !== undefined) args.push(String(Number(o['durationMs']) / 1000));
      break;
    case 'wifi-clients':
      n('count');
      break;
    case 'snapshot':
      n('mode');
      break;
    case 'clock-drift':
      n('seconds');
      break;
    case 'http-status':
      n('status');
      break;
    case 'http-slow':
      n('ms');
      break;
    case 'cert-expiring':
      n('days');
      break;
    default:
      break;
  }
  return parseFault(kind, args).fault;
}

/**
 * Parses `pantau lab fault <target> <kind> [args]`. `fiber-cut` means down on the subtree;
 * `ifup` is returned as a clear of the matching ifdown.
 */
export function parseFault(kind: string, args: readonly string[]): { fault: Fault; subtree: boolean } {
  switch (kind) {
    case 'fiber-cut':
      return { fault: { kind: 'down' }, subtree: true };
    case 'down':
    case 'rtsp-down':
    case 'wrong-credentials':
    case 'malformed-snmp':
    case 'malformed-soap':
    case 'content-changed':
    case 'cert-expired':
    case 'cert-wrong-host':
    case 'dns-nxdomain':
    case 'port-closed':
      return { fault: { kind }, subtree: false };
    case 'http-status': {
      const status = Math.round(num(args, 0, 'status', 500));
      if (status < 100 || status > 599) throw new PantauError('PANTAU_LAB', 'http-status: status must be 100–599');
      return { fault: { kind, status }, subtree: false };
    }
    case 'http-slow':
      return { fault: { kind, ms: Math.max(0, num(args, 0, 'ms', 8000)) }, subtree: false };
    case 'cert-expiring': {
      const days = num(args, 0, 'days');
      if (days <= 0 || days > 3650)
        throw new PantauError('PANTAU_LAB', 'cert-expiring: days must be above 0 and at most 3650');
      return { fault: { kind, days }, subtree: false };
    }
    case 'loss': {
      const percent = num(args, 0, 'percent');
      if (percent < 0 || percent > 100) throw new PantauError('PANTAU_LAB', 'loss: percent must be 0–100');
      return { fault: { kind, percent }, subtree: false };
    }
    case 'latency':
      return { fault: { kind, ms: Math.max(0, num(args, 0, 'ms')) }, subtree: false };
    case 'slow':
      return { fault: { kind, ms: Math.max(0, num(args, 0, 'ms', 8000)) }, subtree: false };
    case 'reboot':
      return { fault: { kind, downMs: Math.max(0, num(args, 0, 'downSeconds', 5)) * 1000 }, subtree: false };
    case 'ifdown':
    case 'ifup':
      return { fault: { kind, ifIndex: num(args, 0, 'ifIndex') }, subtree: false };
    case 'optical':
      return {
        fault: { kind, toDbm: num(args, 0, 'toDbm'), durationMs: Math.max(0, num(args, 1, 'overSeconds', 0)) * 1000 },
        subtree: false,
      };
    case 'wifi-clients':
      return { fault: { kind, count: Math.max(0, Math.round(num(args, 0, 'count'))) }, subtree: false };
    case 'clock-drift':
      return { fault: { kind, seconds: num(args, 0, 'seconds') }, subtree: false };
    case 'snapshot': {
      const mode = args[0] ?? 'http500';
      if (mode !== 'http500' && mode !== 'not-jpeg' && mode !== 'empty')
        throw new PantauError('PANTAU_LAB', `snapshot: unknown mode ${mode}`);
      return { fault: { kind, mode }, subtree: false };
    }
    default:
      throw new PantauError('PANTAU_LAB', `unknown fault: ${kind}`, { details: Object.values(FAULT_HELP) });
  }
}

/** Faults that a device keeps until cleared (reboot is an event, not a state). */
export function isStateful(f: Fault): boolean {
  return f.kind !== 'reboot' && f.kind !== 'ifup';
}
