import type { Device } from '../core/inventory/schema.js';
import { DeviceModel, type TrapEvent } from './model/device.js';
import type { Fault } from './model/faults.js';
import { sendTrap, startDeviceAgent, type DeviceAgent, type SnmpCreds } from './snmp/agent.js';

/** Everything a shard needs to bring up its devices; plain data so it crosses IPC. */
export interface ShardInit {
  devices: Device[];
  childCounts: Record<string, number>;
  startAt: number;
  snmpPort: number | null;
  onvifPort: number;
  rtspPort: number;
  creds: SnmpCreds & { onvif: { user: string; password: string } };
  trapTarget: { host: string; port: number } | null;
  /** True when iptables handles loss; otherwise the responders drop requests themselves. */
  kernelLoss: boolean;
  /**
   * The public applications (`service` devices): the lab CA, the ports they answer on (null: the
   * URL's own port), and where the lab's DNS server listens (the shard owning the services runs it).
   */
  services?: {
    ca: { certPem: string; keyPem: string };
    httpsPort: number | null;
    httpPort: number | null;
    dns: { address: string; port: number };
  } | null;
}

export type ShardCommand =
  | { op: 'fault'; ids: string[]; fault: Fault; origin: string; at: number }
  | { op: 'clear'; ids: string[] | 'all'; origin?: string; at: number }
  | { op: 'stats' };

export interface ShardStats {
  devices: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssMb: number;
}

/** Optional services a shard runs beside the SNMP agents (ONVIF cameras plug in here). */
export interface ShardPlugin {
  start(model: DeviceModel, init: ShardInit, now: () => number): Promise<{ close(): Promise<void> } | null>;
  /** A device's faults changed (fault or clear applied to its model). */
  changed?(model: DeviceModel): void;
  stop?(): Promise<void>;
}

/**
 * A group of simulated devices in one process: their models, SNMP agents and camera services.
 * Runs in a worker process (simulator/worker.ts) or in-process (workers: 0, tests with a clock).
 */
export class Shard {
  private models = new Map<string, DeviceModel>();
  private closers: Array<{ close(): Promise<void> }> = [];
  private timers = new Set<NodeJS.Timeout>();
  private init: ShardInit | null = null;

  constructor(
    private readonly now: () => number,
    private readonly plugins: ShardPlugin[] = [],
    private readonly onError: (msg: string) => void = () => {},
  ) {}

  /** Starts every device; `progress(n)` is called as agents come up. */
  async start(init: ShardInit, progress: (started: number) => void = () => {}): Promise<void> {
    this.init = init;
    let started = 0;
    const batch = 50;
    for (let i = 0; i < init.devices.length; i += batch) {
      await Promise.all(
        init.devices.slice(i, i + batch).map(async (d) => {
          const model = new DeviceModel(d, init.childCounts[d.id] ?? 0, init.startAt);
          this.models.set(d.id, model);
          // An application is not a network element: no SNMP agent (its server would be its own device).
          if (init.snmpPort !== null && d.type !== 'service') {
            const port = d.probes.snmp?.port && init.snmpPort === 161 ? d.probes.snmp.port : init.snmpPort;
            const agent: DeviceAgent = await startDeviceAgent(model, {
              port,
              creds: init.creds,
              now: this.now,
              appLoss: () => (init.kernelLoss ? 0 : (model.find('loss')?.percent ?? 0)),
              onError: (err) => this.onError(`${d.id}: ${err.message}`),
            });
            this.closers.push(agent);
          }
          for (const p of this.plugins) {
            const c = await p.start(model, init, this.now);
            if (c) this.closers.push(c);
          }
          started++;
        }),
      );
      progress(started);
    }
  }

  model(id: string): DeviceModel | undefined {
    return this.models.get(id);
  }

  command(cmd: ShardCommand): ShardStats | null {
    if (cmd.op === 'stats') return this.stats();
    const ids = cmd.op === 'clear' && cmd.ids === 'all' ? [...this.models.keys()] : (cmd.ids as string[]);
    for (const id of ids) {
      const m = this.models.get(id);
      if (!m) continue;
      const traps =
        cmd.op === 'fault'
          ? m.apply(cmd.fault, cmd.origin, cmd.at)
          : m.clear(cmd.at, cmd.op === 'clear' ? cmd.origin : undefined);
      for (const t of traps) this.scheduleTrap(m, t);
      for (const p of this.plugins) p.changed?.(m);
    }
    return null;
  }

  stats(): ShardStats {
    const cpu = process.cpuUsage();
    return {
      devices: this.models.size,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.closers.map((c) => c.close().catch(() => {})));
    for (const p of this.plugins) await p.stop?.();
    this.closers = [];
  }

  private scheduleTrap(model: DeviceModel, ev: TrapEvent): void {
    const target = this.init?.trapTarget;
    if (!target) return;
    const fire = () => {
      // A device that is down cannot send; a trap raised while it is dark is lost, like on a real network.
      if (model.silent(this.now())) return;
      void sendTrap(model, ev, target, this.init?.creds.communities[0] ?? 'public', this.now());
    };
    const delay = ev.at - this.now();
    if (delay <= 0) {
      fire();
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fire();
    }, delay);
    t.unref();
    this.timers.add(t);
  }
}
