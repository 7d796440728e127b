/**
 * `/metrics` of every role of a cluster (issue 16 item 6): each member's heartbeat (age, devices
 * owned, buffered results, the core's stream lag), collectors per zone, missing collectors, and
 * this process's own Redis bus. Every role shows the whole cluster as its member list sees it, so
 * one scrape of any member answers "who is missing"; the bus figures are the process's own.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, type Registry } from '../server/http/prom.js';
import type { Logger } from '../core/logger.js';
import type { RedisBusStats } from '../core/redis/bus.js';
import type { ClusterView } from '../core/realtime.js';
import { servesZone, type Member } from './assign.js';

export function createClusterMetrics(registry: Registry) {
  const g = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const memberUp = g('pantau_cluster_member_up', 'Cluster members with a live heartbeat (1 each)', ['role', 'name']);
  const heartbeatAge = g('pantau_cluster_heartbeat_age_seconds', "Seconds since the member's last heartbeat", [
    'role',
    'name',
  ]);
  const devicesOwned = g('pantau_cluster_devices_owned', 'Devices the collector polls now', ['collector']);
  const buffered = g(
    'pantau_cluster_buffered_results',
    'Results the collector holds while Redis is away (memory and disk spool)',
    ['collector'],
  );
  const bufferDropped = g(
    'pantau_cluster_buffer_dropped',
    'Results the collector dropped for a full buffer since it started',
    ['collector'],
  );
  const streamLag = g(
    'pantau_cluster_stream_lag',
    "probe.result entries not yet delivered to the core's consumer group",
    ['core'],
  );
  const realtimeSeq = g(
    'pantau_cluster_realtime_seq',
    'Last realtime delta seq: numbered by the core, applied by each web server',
    ['role', 'name'],
  );
  const zoneCollectors = g(
    'pantau_cluster_zone_collectors',
    'Live collectors serving the zone (0: nobody polls its devices)',
    ['zone'],
  );
  const missing = g(
    'pantau_cluster_collectors_missing',
    'Collectors seen in the last 24 h that have no heartbeat now',
    [],
  );
  const coreUp = g('pantau_cluster_core_up', '1 while a core has a live heartbeat', []);
  const busConnected = g('pantau_bus_connected', "1 while this process's Redis bus connection is ready", []);
  const busPublished = g(
    'pantau_bus_published',
    'Entries this process put on the Redis bus since it started, per topic',
    ['topic'],
  );
  const busRefused = g('pantau_bus_refused', 'Entries refused by a full work stream (this publisher), per topic', [
    'topic',
  ]);
  const busConsumed = g('pantau_bus_consumed', 'Entries this process read from the Redis bus, per topic', ['topic']);
  const busSkipped = g('pantau_bus_skipped', 'Malformed or unknown-device entries skipped on receipt', []);
  const busBuffered = g('pantau_bus_buffered', 'Entries waiting to reach Redis (memory and spool)', []);
  const busLag = g('pantau_bus_group_lag', "This consumer group's lag per work topic (core)", ['topic']);

  return {
    /** The member list (and the web server's cluster view) as of `now`. */
    update(members: readonly Member[], zones: ReadonlyMap<string, string>, now: number, view?: ClusterView) {
      for (const x of [
        memberUp,
        heartbeatAge,
        devicesOwned,
        buffered,
        bufferDropped,
        streamLag,
        realtimeSeq,
        zoneCollectors,
      ])
        x.reset();
      for (const m of members) {
        memberUp.set({ role: m.role, name: m.name }, 1);
        heartbeatAge.set({ role: m.role, name: m.name }, Math.max(0, (now - m.at) / 1000));
        const s = m.stats ?? {};
        if (m.role === 'collector') {
          devicesOwned.set({ collector: m.name }, s['devices'] ?? 0);
          buffered.set({ collector: m.name }, s['buffered'] ?? 0);
          bufferDropped.set({ collector: m.name }, s['bufferDropped'] ?? 0);
        }
        if (m.role === 'core') streamLag.set({ core: m.name }, s['lag'] ?? 0);
        if (s['seq'] !== undefined) realtimeSeq.set({ role: m.role, name: m.name }, s['seq']);
      }
      const collectors = members.filter((m) => m.role === 'collector');
      for (const zone of new Set(zones.values()))
        zoneCollectors.set({ zone }, collectors.filter((m) => servesZone(m, zone)).length);
      coreUp.set(members.some((m) => m.role === 'core') ? 1 : 0);
      if (view) missing.set(view.missingCollectors.length);
    },
    updateBus(s: RedisBusStats) {
      busConnected.set(s.connected ? 1 : 0);
      for (const [topic, n] of Object.entries(s.published)) busPublished.set({ topic }, n ?? 0);
      for (const [topic, n] of Object.entries(s.refused)) busRefused.set({ topic }, n ?? 0);
      for (const [topic, n] of Object.entries(s.consumed)) busConsumed.set({ topic }, n ?? 0);
      for (const [topic, n] of Object.entries(s.lag)) busLag.set({ topic }, n ?? 0);
      busSkipped.set(s.skipped);
      busBuffered.set(s.buffered);
    },
  };
}
export type ClusterMetrics = ReturnType<typeof createClusterMetrics>;

/** The collector's and the core's own small HTTP listener: GET /metrics and /healthz (they serve no page). */
export async function serveMetrics(opts: {
  host: string;
  port: number;
  registry: Registry;
  refresh: () => void;
  logger: Logger;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      try {
        opts.refresh();
      } catch (err) {
        opts.logger.warn({ err }, 'metrics refresh failed');
      }
      opts.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': opts.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String((err as Error).message));
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"code":"PANTAU_NOT_FOUND","message":"only /metrics and /healthz here"}}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ url: `http://${opts.host}:${port}/metrics` }, 'metrik klaster / cluster metrics');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
