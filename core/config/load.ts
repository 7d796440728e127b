import { dirname, relative, resolve } from 'node:path';
import { PantauError } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { substituteEnv } from './env.js';
import { zodProblems } from './problems.js';
import { formatPath, readYamlSource, type YamlSource } from './yaml-source.js';
import { inventoryFileSchema, type Device } from '../inventory/schema.js';
import { checkInventory, type DeviceOrigin, type InventoryRefs } from '../inventory/validate.js';
import { buildInventory, type Inventory } from '../inventory/topology.js';
import { resolveProfilesDir, vendorNamesIn } from '../inventory/vendors.js';
import { statusPageProblems } from './sections/status-page.js';
import { DEFAULT_REGION_FILE, loadDefaultRegion, parseRegion } from '../region/load.js';
import type { Region } from '../region/schema.js';

export { zodProblems } from './problems.js';

export interface LoadedConfig {
  config: Readonly<Config>;
  inventory: Inventory;
  /** Absolute path of the config file; relative paths in it resolve against its folder. */
  configPath: string;
  configDir: string;
  inventoryFiles: string[];
  /** The regency pantau watches (pantau.yaml `region:`, else OKU's config/regions/oku.yaml). */
  region: Readonly<Region>;
  /** The region's file, when it came from one. */
  regionFile?: string;
  /** The vendor profiles folder in use and the vendor names it defines. */
  profilesDir: string;
  vendors: ReadonlySet<string>;
  /** What the inventory is checked against (for reloads). */
  refs: InventoryRefs;
}

/** A path as the operator typed it: relative to the working folder when inside it. */
export function display(file: string): string {
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

/** The region a config names: a file (relative to pantau.yaml), an inline section, or OKU's by default. */
function resolveRegion(
  config: Config,
  configDir: string,
  source: YamlSource,
): { region?: Region; file?: string; problems: string[] } {
  const r = config.region;
  if (r === undefined) return { region: loadDefaultRegion(), file: DEFAULT_REGION_FILE, problems: [] };
  if (typeof r === 'string') {
    const file = resolve(configDir, r);
    try {
      const rs = readYamlSource(file, display(file));
      const { region, problems } = parseRegion(rs.data, rs);
      return { ...(region ? { region } : {}), file, problems };
    } catch (err) {
      if (err instanceof PantauError)
        return { problems: [`${source.file}:${source.lineOf(['region'])} region: ${err.message}`, ...err.details] };
      throw err;
    }
  }
  return { region: r, problems: [] };
}

/**
 * Reads pantau.yaml, its region and every inventory file it names, substitutes the environment,
 * validates all of it and throws one PantauError whose `details` lists every problem
 * (file:line path: message).
 */
export function loadConfig(configPath: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const abs = resolve(configPath);
  const configDir = dirname(abs);
  const source = readYamlSource(abs, display(abs));
  if (source.data === null || source.data === undefined) {
    // An empty file is a mistake (a truncated copy, the wrong path), not "use the defaults".
    throw new PantauError(
      'PANTAU_CONFIG_INVALID',
      `${source.file}: the file is empty; a config needs at least \`inventory:\` (see config/pantau.yaml)`,
    );
  }
  const problems: string[] = [];

  const { value, problems: envProblems } = substituteEnv(source.data, env);
  for (const p of envProblems)
    problems.push(`${source.file}:${source.lineOf(p.path)} ${formatPath(p.path)}: ${p.message}`);
  if (envProblems.length > 0) {
    throw new PantauError('PANTAU_CONFIG_ENV', `${source.file}: ${envProblems.length} unset environment variable(s)`, {
      details: problems,
    });
  }
  // An inline region is checked on its own first: through the config's union its errors would
  // collapse into one "Invalid input" at `region`.
  const inlineRegion = (value as { region?: unknown } | null)?.region;
  if (inlineRegion !== null && typeof inlineRegion === 'object') {
    const { problems: rp } = parseRegion(inlineRegion, source, ['region']);
    if (rp.length > 0)
      throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid region`, { details: rp });
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid configuration`, {
      details: zodProblems(source, parsed.error.issues),
    });
  }
  const config = parsed.data;

  const { region, file: regionFile, problems: regionProblems } = resolveRegion(config, configDir, source);
  if (!region)
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid region`, { details: regionProblems });

  // Reports follow the region unless pantau.yaml says otherwise: its zone, and for a region other
  // than OKU a letterhead with its name instead of OKU's.
  const rawReports = ((value as Record<string, unknown>)['reports'] ?? {}) as Record<string, unknown>;
  if (rawReports['zone'] === undefined) config.reports.zone = region.timeZone;
  if (rawReports['letterhead'] === undefined && region.code !== '16.01') {
    config.reports.letterhead = {
      lines: [`PEMERINTAH ${region.name.toUpperCase()}`],
      signature: { ...config.reports.letterhead.signature, city: region.shortName },
    };
  }

  // The same file listed twice would report every device as a duplicate of itself: say it once.
  const inventoryFiles: string[] = [];
  const seen = new Map<string, number>();
  config.inventory.forEach((f, i) => {
    const file = resolve(configDir, f);
    const first = seen.get(file);
    if (first !== undefined)
      problems.push(
        `${source.file}:${source.lineOf(['inventory', i])} inventory[${i}]: ${f} is listed twice (also inventory[${first}])`,
      );
    else {
      seen.set(file, i);
      inventoryFiles.push(file);
    }
  });
  if (problems.length > 0)
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid configuration`, { details: problems });

  const profilesDir = resolveProfilesDir(configDir, config.collector.profilesDir);
  let vendors: Set<string>;
  try {
    vendors = vendorNamesIn(profilesDir);
  } catch (cause) {
    throw new PantauError('PANTAU_CONFIG_READ', `${source.file}: invalid configuration`, {
      cause,
      details: [
        `${source.file}:${source.lineOf(['collector', 'profilesDir'])} collector.profilesDir: cannot read the profiles folder ${display(profilesDir)} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      ],
    });
  }

  const refs: InventoryRefs = {
    snmpCredentials: new Set(Object.keys(config.credentials.snmp)),
    onvifCredentials: new Set(Object.keys(config.credentials.onvif)),
    httpCredentials: new Set(Object.keys(config.credentials.http)),
    region,
    vendors,
  };
  const inventory = loadInventory(inventoryFiles, refs);
  const spProblems = statusPageProblems(config.statusPage, new Set(inventory.byId.keys()));
  if (spProblems.length > 0) {
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: invalid configuration`, {
      details: spProblems.map((p) => `${source.file}:${source.lineOf(p.path)} ${formatPath(p.path)}: ${p.message}`),
    });
  }
  return {
    config: deepFreeze(config),
    inventory,
    configPath: abs,
    configDir,
    inventoryFiles,
    region: deepFreeze(region),
    ...(regionFile ? { regionFile } : {}),
    profilesDir,
    vendors,
    refs,
  };
}

/** Loads and validates inventory files as one inventory. */
export function loadInventory(files: readonly string[], known: InventoryRefs): Inventory {
  const devices: Device[] = [];
  const origins: DeviceOrigin[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let source: YamlSource;
    try {
      source = readYamlSource(file, display(file));
    } catch (err) {
      if (err instanceof PantauError) {
        problems.push(err.message, ...err.details);
        continue;
      }
      throw err;
    }
    if (source.data === null || source.data === undefined) {
      problems.push(`${source.file}:1 the file is empty (an inventory needs \`devices:\`)`);
      continue;
    }
    const parsed = inventoryFileSchema.safeParse(source.data);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error.issues));
      continue;
    }
    parsed.data.devices.forEach((d, index) => {
      devices.push(d);
      origins.push({
        file: source.file,
        index,
        lineOf: (field) => source.lineOf(field ? ['devices', index, field] : ['devices', index]),
      });
    });
  }
  if (problems.length === 0) {
    for (const p of checkInventory(devices, origins, known))
      problems.push(`${p.file}:${p.line} ${p.path}: ${p.message}`);
  }
  if (problems.length > 0) {
    throw new PantauError('PANTAU_INVENTORY_INVALID', `inventory: ${problems.length} problem(s)`, {
      details: problems,
    });
  }
  return buildInventory(devices);
}
