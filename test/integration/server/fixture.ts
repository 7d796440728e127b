import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus, type EventBus } from '../../../core/bus.js';
import { loadConfig } from '../../../core/config/load.js';
import type { Inventory } from '../../../core/inventory/topology.js';
import type { RouteConfig } from '../../../core/config/sections/alerting.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore, type Store } from '../../../core/store/store.js';
import { systemClock } from '../../../core/time.js';
import { createServer, type PantauServer } from '../../../server/server.js';
import { createFakeAlerting, type FakeAlerting } from '../../helpers/fake-alerting.js';
import { createFakeHistory } from '../../helpers/fake-history.js';

export const PASSWORD = 'rahasia-noc-123';
export const USERS = [
  { username: 'admin', role: 'admin' as const, groups: [] },
  { username: 'operator', role: 'operator' as const, groups: ['noc'] },
  { username: 'viewer', role: 'viewer' as const, groups: [] },
  { username: 'teknisi', role: 'technician' as const, groups: ['tim-timur'] },
];

export interface Fixture {
  server: PantauServer;
  base: string;
  port: number;
  bus: EventBus;
  alerting: FakeAlerting;
  inventory: Inventory;
  store: Store;
  dir: string;
  login(username: string, password?: string): Promise<string>;
  /** Stops the server; with keepStore the store stays for a restart. */
  stop(opts?: { keepStore?: boolean }): Promise<void>;
  /** A new server on the same store, port and fake state (a restart). */
  restart(): Promise<void>;
}

export async function startFixture(
  opts: {
    webDist?: string;
    loginLimit?: { windowMs: number; max: number };
    withUsers?: boolean;
    flushMs?: number;
    inventory?: Inventory;
    routing?: RouteConfig[];
  } = {},
): Promise<Fixture> {
  const loaded = loadConfig('config/pantau.yaml', {});
  const config = loaded.config;
  const inventory = opts.inventory ?? loaded.inventory;
  const dir = mkdtempSync(join(tmpdir(), 'pantau-server-'));
  let store = openStore(join(dir, 'pantau.db'));
  const bus = createInProcessBus();
  const alerting = createFakeAlerting({ inventory, bus, clock: systemClock });
  const history = createFakeHistory();
  const build = (port: number) =>
    createServer({
      config: {
        server: { ...config.server, tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' },
        ...(opts.routing ? { alerting: { routing: opts.routing } } : {}),
      },
      inventory,
      bus,
      alerting,
      history,
      store,
      logger: silentLogger(),
      clock: systemClock,
      port,
      host: '127.0.0.1',
      flushMs: opts.flushMs ?? 100,
      ...(opts.webDist ? { webDist: opts.webDist } : {}),
      ...(opts.loginLimit ? { loginLimit: opts.loginLimit } : {}),
    });
  let server = build(0);
  const { port } = await server.listen();
  if (opts.withUsers !== false) {
    for (const u of USERS) await server.users.add({ ...u, password: PASSWORD });
  }
  const base = `http://127.0.0.1:${port}`;
  const fx: Fixture = {
    get server() {
      return server;
    },
    base,
    port,
    bus,
    alerting,
    inventory,
    get store() {
      return store;
    },
    dir,
    async login(username, password = PASSWORD) {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      const set = res.headers.get('set-cookie') ?? '';
      return set.split(';')[0]!;
    },
    async stop(o = {}) {
      await server.close();
      if (!o.keepStore) {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async restart() {
      await server.close();
      store.close();
      store = openStore(join(dir, 'pantau.db'));
      server = build(port);
      await server.listen();
    },
  };
  return fx;
}
