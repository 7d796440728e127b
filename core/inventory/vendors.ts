import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { packagePath } from '../paths.js';

/** The vendor profiles pantau ships (config/profiles in the package). */
export const SHIPPED_PROFILES_DIR = packagePath('config', 'profiles');

/**
 * Where the vendor profiles are: `collector.profilesDir` when set (relative to pantau.yaml's folder;
 * it must exist), else a `profiles` folder next to pantau.yaml when there is one, else the shipped
 * profiles. A copied config without its own folder keeps working; a named folder that is missing is an error.
 */
export function resolveProfilesDir(configDir: string, setting: string | undefined): string {
  if (setting !== undefined) return resolve(configDir, setting);
  const local = join(configDir, 'profiles');
  return existsSync(local) ? local : SHIPPED_PROFILES_DIR;
}

/**
 * The vendor names the profiles folder defines (each file's top-level `vendor:`), cheaply, for the
 * inventory check. Full profile validation is the collector's loadProfiles (run by validate and start).
 * Throws when the folder cannot be read.
 */
export function vendorNamesIn(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()) {
    try {
      const data = parse(readFileSync(join(dir, f), 'utf8'), { maxAliasCount: 100 }) as { vendor?: unknown } | null;
      if (data && typeof data.vendor === 'string') out.add(data.vendor);
    } catch {
      // A broken profile file is reported by loadProfiles with its line; here it just defines nothing.
    }
  }
  return out;
}
