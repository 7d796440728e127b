import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLabCa } from './services/pki.js';
import type { Inventory } from '../core/inventory/topology.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { PantauError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/time.js';
import { DeviceModel } from './model/device.js';
import type { Fault } from './model/faults.js';
import { averageRate } from './model/traffic.js';
import { createFirewall, type Firewall } from './netfilter.js';
import { createNetns, type Netns } from './netns.js';
import { createShardPlugins } from './plugins.js';
import type { ShardInit, ShardStats } from './shard.js';
import { inProcessShard, processShard, type ShardHandle } from './workers.js';

export interface LabCredentials {
  communities: string[];
  v3: { user: string; authKey: string; privKey: string } | null;
  onvif: { user: string; password: string };
}

/** The demo credentials of config/pantau.yaml (its `:-` defaults). */
export const DEMO_CREDENTIALS: LabCredentials = {
  communities: ['public'],
  v3: { user: 'pantau', authKey: 'pantau-lab-auth', privKey: 'pantau-lab-priv' },
  onvif: { user: 'admin', password: 'pantau-lab-cam' },
};

export interface LabOptions {
  inventory: Inventory;
  /** 'none': the current namespace (tests under `unshare -n`); a name: create that netns (root). */
  netns?: 'none' | string;
  /** Ports every device answers on. Default: 161/80/554 as root, 16100/18080/18554 otherwise. snmp null: no SNMP. */
  ports?: { snmp?: number | null; onvif?: number; rtsp?: number };
  trapTarget?: { host: string; port: number } | null;
  logger?: Logger;
  /** Parent-side clock (expected values, fault instants). Workers use the system clock; with workers: 0 the agents use this one too. */
  clock?: Clock;
  /** Worker processes; 0 runs every agent in this process. Default: one per ~1,500 devices, at most 2 × CPUs. */
  workers?: number;
  credentials?: LabCredentials;
  /** Called as devices come up (started, total). */
  onProgress?: (started: number, total: number) => void;
  /**
   * Public applications (`service` devices): HTTPS/HTTP ports (default: the URL's own port as root,
   * 18443 / 18081 otherwise) and the lab DNS server's address and port (default 127.24.0.2, 53 as root,
   * 15353 otherwise). The lab CA is written to `caFile` (default: a temporary file removed at stop).
   */
  services?: { httpsPort?: number; httpPort?: number; dnsAddress?: string; dnsPort?: number; caFile?: string };
}

/** How pantau reaches the lab's services: trust `caFile` (collector.http/tls.caFile) and ask `dnsServer`. */
export interface LabServices {
  caFile: string;
  caPem: string;
  /** host:port of the lab DNS server (collector.dns.server, collector.http.dnsServer). */
  dnsServer: string;
  /** The port every service answers on, or null when each answers on its URL's own port. */
  httpsPort: number | null;
  httpPort: number | null;
}

export interface LabStatus {
  devices: number;
  workers: number;
  faults: Array<{ device: string; faults: Fault[] }>;
  icmpFaults: boolean;
  netns: string | null;
  startupMs: number;
  /** CPU used by the lab's processes since start (ms), and their memory. */
  cpuMs: number;
  rssMb: number;
}

export interface Lab {
  fault(target: string, fault: Fault, opts?: { subtree?: boolean }): Promise<string[]>;
  clear(target: string | 'all'): Promise<void>;
  expectedRate(deviceId: string, ifIndex: number, fromMs: number, toMs: number): { inBps: number; outBps: number };
  expectedOptical(deviceId: string): { rxDbm: number; txDbm: number } | null;
  expectedWifiClients(deviceId: string): number | null;
  status(): Promise<LabStatus>;
  readonly ports: { snmp: number | null; onvif: number; rtsp: number };
  readonly netns: string | null;
  readonly icmpFaults: boolean;
  /** The services' CA and DNS server; null when the inventory has no `service` device. */
  readonly services: LabServices | null;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Brings up every device of the inventory as a simulated network element. */
export async function startLab(opts: LabOptions): Promise<Lab> {
  const log = (opts.logger ?? silentLogger()).child({ module: 'lab' });
  const clock = opts.clock ?? systemClock;
  const inv = opts.inventory;
  const root = isRoot();
  const ports = {
    snmp: opts.ports?.snmp === undefined ? (root ? 161 : 16100) : opts.ports.snmp,
    onvif: opts.ports?.onvif ?? (root ? 80 : 18080),
    rtsp: opts.ports?.rtsp ?? (root ? 554 : 18554),
  };
  const t0 = performance.now();
  const nsName = !opts.netns || opts.netns === 'none' ? null : opts.netns;
  let netns: Netns | null = null;
  if (nsName) {
    if (!root) throw new PantauError('PANTAU_LAB', `creating network namespace ${nsName} needs root; use --netns none`);
    netns = await createNetns(nsName);
  }
  let icmpWarned = false;
  const firewall: Firewall = await createFirewall({
    netns: nsName,
    onUnavailable: (why) => {
      if (!icmpWarned)
        log.warn(
          { why },
          'ICMP faults unavailable (iptables): devices keep answering ping; SNMP/ONVIF faults still work',
        );
      icmpWarned = true;
    },
  });

  const childCounts: Record<string, number> = {};
  for (const d of inv.devices) childCounts[d.id] = inv.children(d.id).length;
  const startAt = clock.now();
  const mirror = new Map<string, DeviceModel>();
  for (const d of inv.devices) mirror.set(d.id, new DeviceModel(d, childCounts[d.id] ?? 0, startAt));

  const nWorkers = opts.workers ?? Math.max(1, Math.min(cpus().length * 2, Math.ceil(inv.devices.length / 1500)));
  // Agent errors are mostly clients' mistakes (wrong community, bad PDU): debug, not warn.
  const onLog = (msg: string) => log.debug({ msg }, 'lab worker');
  const shards: ShardHandle[] =
    nWorkers === 0
      ? [inProcessShard(() => clock.now(), createShardPlugins(), onLog)]
      : Array.from({ length: nWorkers }, () => processShard({ netns: nsName, onLog }));
  const owner = new Map<string, number>();
  const parts: ShardInit['devices'][] = shards.map(() => []);
  // Every service lives in shard 0: that shard runs the DNS server, which must know all their names.
  inv.devices.forEach((d, i) => {
    const s = d.type === 'service' ? 0 : i % shards.length;
    parts[s]!.push(d);
    owner.set(d.id, s);
  });
  const hasServices = inv.devices.some((d) => d.type === 'service');
  let services: LabServices | null = null;
  let svcInit: ShardInit['services'] = null;
  let tmpCaDir: string | null = null;
  if (hasServices) {
    const ca = await createLabCa(clock.now());
    let caFile = opts.services?.caFile;
    if (!caFile) {
      tmpCaDir = mkdtempSync(join(tmpdir(), 'pantau-lab-ca-'));
      caFile = join(tmpCaDir, 'lab-ca.pem');
    }
    writeFileSync(caFile, ca.certPem);
    const dns = {
      address: opts.services?.dnsAddress ?? '127.24.0.2',
      port: opts.services?.dnsPort ?? (root ? 53 : 15353),
    };
    const httpsPort = opts.services?.httpsPort ?? (root ? null : 18443);
    const httpPort = opts.services?.httpPort ?? (root ? null : 18081);
    svcInit = { ca, httpsPort, httpPort, dns };
    services = { caFile, caPem: ca.certPem, dnsServer: `${dns.address}:${dns.port}`, httpsPort, httpPort };
  }
  const creds = opts.credentials ?? DEMO_CREDENTIALS;
  const started = shards.map(() => 0);
  const report = () =>
    opts.onProgress?.(
      started.reduce((a, b) => a + b, 0),
      inv.devices.length,
    );
  let stats: ShardStats[];
  try {
    stats = await Promise.all(
      shards.map((s, i) =>
        s.start(
          {
            devices: parts[i]!,
            childCounts,
            startAt,
            snmpPort: ports.snmp,
            onvifPort: ports.onvif,
            rtspPort: ports.rtsp,
            creds,
            trapTarget: opts.trapTarget ?? null,
            kernelLoss: firewall.available,
            services: svcInit,
          },
          (n) => {
            started[i] = n;
            report();
          },
        ),
      ),
    );
  } catch (err) {
    await Promise.all(shards.map((s) => s.stop().catch(() => {})));
    await firewall.close();
    await netns?.remove();
    if (tmpCaDir) rmSync(tmpCaDir, { recursive: true, force: true });
    throw new PantauError('PANTAU_LAB', `lab start failed: ${(err as Error).message}`, { cause: err });
  }
  const startupMs = Math.round(performance.now() - t0);
  log.info({ devices: inv.devices.length, workers: shards.length, startupMs, stats }, 'lab started');

  const syncFirewall = async () => {
    if (!firewall.available) return;
    const now = clock.now();
    const down: string[] = [];
    const loss = new Map<string, number>();
    for (const m of mirror.values()) {
      if (m.silent(now)) down.push(m.device.address);
      const l = m.find('loss');
      if (l) loss.set(m.device.address, l.percent);
    }
    await firewall.apply({ down, loss });
  };
  const timers = new Set<NodeJS.Timeout>();
  const byShard = (ids: string[]) => {
    const groups = new Map<number, string[]>();
    for (const id of ids) {
      const s = owner.get(id);
      if (s === undefined) continue;
      let g = groups.get(s);
      if (!g) groups.set(s, (g = []));
      g.push(id);
    }
    return groups;
  };
  const need = (id: string) => {
    if (!inv.byId.has(id)) throw new PantauError('PANTAU_LAB', `unknown device: ${id}`);
  };

  return {
    ports,
    netns: nsName,
    icmpFaults: firewall.available,
    services,
    async fault(target, fault, fopts = {}) {
      need(target);
      const ids = [target, ...(fopts.subtree ? inv.descendants(target).map((d) => d.id) : [])];
      const at = clock.now();
      for (const id of ids) mirror.get(id)!.apply(fault, target, at);
      await Promise.all(
        [...byShard(ids)].map(([s, g]) => shards[s]!.command({ op: 'fault', ids: g, fault, origin: target, at })),
      );
      await syncFirewall();
      if (fault.kind === 'reboot' && fault.downMs > 0) {
        // The device comes back by itself: lift its DROP rule when the reboot is over.
        const t = setTimeout(() => {
          timers.delete(t);
          void syncFirewall().catch((err) => log.error({ err }, 'firewall'));
        }, fault.downMs + 20);
        timers.add(t);
      }
      log.info({ target, fault, devices: ids.length }, 'fault');
      return ids;
    },
    async clear(target) {
      const at = clock.now();
      if (target === 'all') {
        for (const m of mirror.values()) m.clear(at);
        await Promise.all(shards.map((s) => s.command({ op: 'clear', ids: 'all', at })));
      } else {
        need(target);
        mirror.get(target)!.clear(at);
        const below = inv.descendants(target).map((d) => d.id);
        for (const id of below) mirror.get(id)!.clear(at, target);
        await Promise.all([
          ...[...byShard([target])].map(([s, g]) => shards[s]!.command({ op: 'clear', ids: g, at })),
          ...[...byShard(below)].map(([s, g]) => shards[s]!.command({ op: 'clear', ids: g, origin: target, at })),
        ]);
      }
      await syncFirewall();
      log.info({ target }, 'clear');
    },
    expectedRate(deviceId, ifIndex, fromMs, toMs) {
      const m = mirror.get(deviceId);
      const itf = m?.profile.interfaces.find((i) => i.ifIndex === ifIndex);
      if (!m || !itf) throw new PantauError('PANTAU_LAB', `unknown interface ${deviceId}/${ifIndex}`);
      if (!m.operUp(ifIndex)) return { inBps: 0, outBps: 0 };
      return { inBps: averageRate(itf.baseInBps, fromMs, toMs), outBps: averageRate(itf.baseOutBps, fromMs, toMs) };
    },
    expectedOptical: (id) => mirror.get(id)?.optical(clock.now()) ?? null,
    expectedWifiClients: (id) => mirror.get(id)?.wifiClients(clock.now()) ?? null,
    async status() {
      const all = (await Promise.all(shards.map((s) => s.command({ op: 'stats' })))).filter(
        (x): x is ShardStats => x !== null,
      );
      const own = process.cpuUsage();
      const inProc = nWorkers === 0;
      return {
        devices: inv.devices.length,
        workers: nWorkers,
        faults: [...mirror.values()]
          .filter((m) => m.activeFaults().length > 0)
          .map((m) => ({ device: m.device.id, faults: [...m.activeFaults()] })),
        icmpFaults: firewall.available,
        netns: nsName,
        startupMs,
        cpuMs: Math.round(
          inProc
            ? (own.user + own.system) / 1000
            : all.reduce((a, s) => a + s.cpuUserMs + s.cpuSystemMs, 0) + (own.user + own.system) / 1000,
        ),
        rssMb: inProc
          ? Math.round(process.memoryUsage().rss / 1e6)
          : all.reduce((a, s) => a + s.rssMb, 0) + Math.round(process.memoryUsage().rss / 1e6),
      };
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      await Promise.all(shards.map((s) => s.stop().catch((err) => log.error({ err }, 'worker stop'))));
      await firewall.close();
      await netns?.remove();
      if (tmpCaDir) rmSync(tmpCaDir, { recursive: true, force: true });
      log.info('lab stopped');
    },
  };
}
