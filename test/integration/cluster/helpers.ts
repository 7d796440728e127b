import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Redis } from 'ioredis';
import { systemClock } from '../../../core/time.js';
import { openStore } from '../../../core/store/store.js';
import { createUserStore } from '../../../server/auth/users.js';

/**
 * A generated ICMP-only network on 127.3.0.0/16 (every address answers ping inside the test's
 * network namespace), `zones` zones each under its own distribution device, leaves inheriting the
 * zone from their parent.
 */
export function writeClusterNetwork(dir: string, opts: { devices: number; zones: number; redisUrl: string }): string {
  const devices: unknown[] = [];
  const base = {
    type: 'fiber',
    kecamatan: 'Baturaja Timur',
    lat: -4.13,
    lon: 104.17,
    probes: { icmp: { enabled: true } },
  };
  devices.push({ ...base, id: 'core-01', name: 'Core', role: 'core', address: '127.3.0.1', parent: null, zone: 'z1' });
  for (let z = 1; z <= opts.zones; z++)
    devices.push({
      ...base,
      id: `dist-z${z}`,
      name: `Distribusi z${z}`,
      role: 'distribution',
      address: `127.3.0.${1 + z}`,
      parent: 'core-01',
      zone: `z${z}`,
    });
  const leaves = opts.devices - devices.length;
  for (let i = 0; i < leaves; i++) {
    const z = (i % opts.zones) + 1;
    const n = 256 + i;
    devices.push({
      ...base,
      id: `ont-${String(i).padStart(5, '0')}`,
      name: `ONT ${i}`,
      role: 'ont',
      address: `127.3.${n >> 8}.${n & 255}`,
      parent: `dist-z${z}`,
    });
  }
  writeFileSync(join(dir, 'inventory.yaml'), stringify({ devices }, { aliasDuplicateObjects: false }));
  // The shipped config (ICMP every 10 s, cluster heartbeat 3 s, TTL 10 s); only paths, the
  // inventory, the alert rules' path and redis: change.
  const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  cfg['inventory'] = ['inventory.yaml'] as never;
  cfg['collector'] = { ...cfg['collector'], traps: { enabled: false }, profilesDir: resolve('config/profiles') };
  const rules = cfg['alerting']?.['rulesFile'];
  if (typeof rules === 'string') cfg['alerting'] = { ...cfg['alerting'], rulesFile: resolve('config', rules) };
  cfg['store'] = { path: join(dir, 'core.db') };
  cfg['redis'] = { url: opts.redisUrl, keyPrefix: 'pantau:', spool: { path: join(dir, 'spool-{name}.db') } };
  cfg['logLevel'] = 'warn' as never;
  const path = join(dir, 'pantau.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  kill(sig?: NodeJS.Signals): Promise<void>;
}

/** `node bin/pantau.mjs start --role …` as its own process (npx would not forward signals). */
export function startMember(config: string, role: string, name: string, extra: string[] = []): Proc {
  const child = spawn(
    process.execPath,
    ['bin/pantau.mjs', 'start', '--config', config, '--role', role, '--name', name, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PANTAU_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    output: () => out,
    async kill(sig = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(sig);
      await exited;
    },
  };
}

export interface Seen {
  deviceId: string;
  ts: number;
  ok: boolean;
}

/** Reads probe.result through its own consumer group (so the core's trimming waits for it too). */
export function watchResults(redis: Redis, prefix: string) {
  const seen: Seen[] = [];
  let stop = false;
  const key = `${prefix}stream:probe.result`;
  const loop = (async () => {
    try {
      await redis.xgroup('CREATE', key, 'test', '0', 'MKSTREAM');
    } catch {
      /* exists */
    }
    while (!stop) {
      const reply = (await redis
        .call('XREADGROUP', 'GROUP', 'test', 'watcher', 'COUNT', 1000, 'BLOCK', 500, 'STREAMS', key, '>')
        .catch(() => null)) as [string, Array<[string, string[]]>] | null;
      const items = reply?.[1] ?? [];
      for (const [, fields] of items) {
        try {
          const p = JSON.parse(fields[1] ?? '') as Seen;
          if (typeof p.deviceId === 'string') seen.push({ deviceId: p.deviceId, ts: p.ts, ok: p.ok });
        } catch {
          /* the malformed entries the test injects */
        }
      }
      if (items.length > 0) await redis.xack(key, 'test', ...items.map(([id]) => id)).catch(() => undefined);
    }
  })();
  return {
    seen,
    async close() {
      stop = true;
      await loop;
    },
  };
}

/**
 * The OKU network (config/inventory/oku.yaml, for the lab) as a cluster: the e2e stack's config
 * (test/integration/e2e/stack.ts: ICMP every 2 s, DOWN after 2 failures, so a fiber cut shows on the
 * page within seconds instead of ~30 s) plus redis: and the core's store in `dir`.
 */
export function writeOkuClusterConfig(dir: string, redisUrl: string, fast: (dir: string) => string): string {
  const path = fast(dir);
  const cfg = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  cfg['store'] = { path: join(dir, 'core.db') };
  cfg['redis'] = { url: redisUrl, keyPrefix: 'pantau:', spool: { path: join(dir, 'spool-{name}.db') } };
  writeFileSync(path, stringify(cfg));
  return path;
}

/** Waits until `url` answers 200 (a web server's /readyz: it has the core's snapshot). */
export async function waitReady(url: string, proc: Proc, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < end) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.child.spawnargs.join(' ')} exited:\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready within ${ms} ms (${last})\n${proc.output()}`);
}

/** An operator (group noc) in the core's SQLite, as `pantau user add` does; before the core opens it. */
export async function addCoreOperator(dir: string, password: string): Promise<void> {
  const store = openStore(join(dir, 'core.db'));
  try {
    await createUserStore(store, systemClock).add({
      username: 'operator',
      role: 'operator',
      password,
      groups: ['noc'],
    });
  } finally {
    store.close();
  }
}
