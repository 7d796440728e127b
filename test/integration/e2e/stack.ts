/**
 * The real pantau stack for browser tests: the lab (every OKU device, in the current network
 * namespace: CI runs integration tests inside `unshare -n`) and `startPantau` (collector,
 * alerting, metrics, server) with fast intervals so an outage shows within seconds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../core/config/load.js';
import { createLogger } from '../../../core/logger.js';
import { startLab, type Lab } from '../../../simulator/lab.js';
import { startPantau, type RunningPantau } from '../../../server/main.js';

export const PASSWORD = 'rahasia-noc-123';

export interface Stack {
  lab: Lab;
  pantau: RunningPantau;
  base: string;
  dir: string;
  configPath: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The shipped config with fast intervals. `services`: the shipped inventory with the twelve public
 * applications (config/inventory/oku-services.yaml) too, checked every 2 s over HTTP; else the network only.
 */
export function writeFastConfig(dir: string, opts: { services?: boolean } = {}): string {
  const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
  const shipped = cfg['inventory'] as unknown as string[];
  cfg['inventory'] = (
    opts.services ? shipped.map((f) => resolve('config', f)) : [resolve('config/inventory/oku.yaml')]
  ) as never;
  const intervals = cfg['collector']?.['intervals'] as Record<string, number> | undefined;
  cfg['collector'] = {
    ...cfg['collector'],
    intervals: { ...intervals, icmp: 2, snmp: 20, onvif: 60, http: 2 },
    traps: { enabled: false },
    profilesDir: resolve('config/profiles'),
  };
  const rules = cfg['alerting']?.['rulesFile'];
  cfg['alerting'] = {
    ...(cfg['alerting'] ?? {}),
    downAfter: 2,
    upAfter: 1,
    tickS: 0.5,
    ...(typeof rules === 'string' ? { rulesFile: resolve('config', rules) } : {}),
  };
  cfg['store'] = { path: join(dir, 'pantau.db') };
  cfg['server'] = { ...cfg['server'], port: 0, tileUrl: 'http://127.0.0.1:9/{z}/{x}/{y}.png' };
  cfg['logLevel'] = 'warn' as never;
  const path = join(dir, 'pantau.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

export async function startStack(opts: { services?: boolean } = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-e2e-'));
  const configPath = writeFastConfig(dir, opts);
  const logger = createLogger({ level: process.env['PANTAU_TEST_LOG'] ?? 'warn' });
  const { inventory } = loadConfig(configPath, {});
  const lab = await startLab({ inventory, netns: 'none', trapTarget: null, logger });
  // As `pantau lab` tells an operator: the lab's CA and DNS server reach the shipped config through the environment.
  const env: NodeJS.ProcessEnv = lab.services
    ? { PANTAU_SERVICES_CA_FILE: lab.services.caFile, PANTAU_DNS_SERVER: lab.services.dnsServer }
    : {};
  let pantau = await startPantau({ configPath, env, logger, host: '127.0.0.1', port: 0 });
  const port = pantau.port;
  for (const [username, role] of [
    ['operator', 'operator'],
    ['viewer', 'viewer'],
  ] as const) {
    await pantau.server.users.add({ username, role, password: PASSWORD, groups: ['noc'] });
  }
  return {
    lab,
    dir,
    configPath,
    base: `http://127.0.0.1:${port}`,
    get pantau() {
      return pantau;
    },
    async restart() {
      await pantau.stop();
      pantau = await startPantau({ configPath, env, logger, host: '127.0.0.1', port });
    },
    async stop() {
      await pantau.stop().catch(() => undefined);
      await lab.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
