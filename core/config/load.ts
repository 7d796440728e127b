import { dirname, relative, resolve } from 'node:path';
import { PantauError } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { substituteEnv } from './env.js';
import { formatPath, readYamlSource, type YamlSource } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';
import { inventoryFileSchema, type Device } from '../inventory/schema.js';
import { checkInventory, type DeviceOrigin } from '../inventory/validate.js';
import { buildInventory, type Inventory } from '../inventory/topology.js';

export interface LoadedConfig {
  config: Readonly<Config>;
  inventory: Inventory;
  /** Absolute path of the config file; relative paths in it resolve against its folder. */
  configPath: string;
  configDir: string;
  inventoryFiles: string[];
}

export { zodProblems } from './zod-problems.js';

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Reads pantau.yaml and every inventory file it names, substitutes the environment, validates
 * all of it and throws one PantauError whose `details` lists every problem (file:line path: message).
 */
export function loadConfig(configPath: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const abs = resolve(configPath);
  const configDir = dirname(abs);
  const source = readYamlSource(abs, display(abs));
  const problems: string[] = [];

  const { value, problems: envProblems } = substituteEnv(source.data ?? {}, env);
  for (const p of envProblems) problems.push(`${source.file}:${source.lineOf(p.path)} ${formatPath(p.path)}: ${p.message}`);
  if (envProblems.length > 0) {
    throw new PantauError('PANTAU_CONFIG_ENV', `${source.file}: ${envProblems.length} unset environment variable(s)`, { details: problems });
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid configuration`, { details: zodProblems(source, parsed.error.issues) });
  }
  const config = parsed.data;
  const inventoryFiles = config.inventory.map((f) => resolve(configDir, f));
  const inventory = loadInventory(inventoryFiles, {
    snmpCredentials: new Set(Object.keys(config.credentials.snmp)),
    onvifCredentials: new Set(Object.keys(config.credentials.onvif)),
  });
  return { config: deepFreeze(config), inventory, configPath: abs, configDir, inventoryFiles };
}

/** Loads and validates inventory files as one inventory. */
export function loadInventory(files: readonly string[], known: { snmpCredentials: ReadonlySet<string>; onvifCredentials: ReadonlySet<string> }): Inventory {
  const devices: Device[] = [];
  const origins: DeviceOrigin[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let source: YamlSource;
    try {
      source = readYamlSource(file, display(file));
    } catch (err) {
      if (err instanceof PantauError) { problems.push(err.message, ...err.details); continue; }
      throw err;
    }
    const parsed = inventoryFileSchema.safeParse(source.data);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error.issues));
      continue;
    }
    parsed.data.devices.forEach((d, index) => {
      devices.push(d);
      origins.push({ file: source.file, index, lineOf: (field) => source.lineOf(field ? ['devices', index, field] : ['devices', index]) });
    });
  }
  if (problems.length === 0) {
    for (const p of checkInventory(devices, origins, known)) problems.push(`${p.file}:${p.line} ${p.path}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new PantauError('PANTAU_INVENTORY_INVALID', `inventory: ${problems.length} problem(s)`, { details: problems });
  }
  return buildInventory(devices);
}
