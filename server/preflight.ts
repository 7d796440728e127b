/**
 * Everything `pantau start` loads, checked before it opens any file (issue 13): `pantau validate`
 * and `start` both call this after loadConfig, so they agree on every broken config. loadConfig
 * covers pantau.yaml, the region and the inventory; this adds the vendor profiles, the alert rules
 * and the writable paths (store, metrics outbox, Redis spool), each `file:line path: message`.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { display, type LoadedConfig } from '../core/config/load.js';
import { readYamlSource, type PathSegment } from '../core/config/yaml-source.js';
import { PantauError } from '../core/errors.js';
import { loadProfiles } from '../collector/probes/snmp/profiles.js';
import { loadRules } from '../alerting/rules/load.js';

/** Why `path` (a file pantau will create or write) cannot be written, or undefined when it can. */
export function unwritable(path: string): string | undefined {
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) return 'is a folder, not a file';
      accessSync(path, constants.W_OK);
      // SQLite writes a journal next to the file: the folder must be writable too.
      accessSync(dirname(path), constants.W_OK);
      return undefined;
    }
    // Not there yet: the nearest existing folder above it must be writable (start creates the rest).
    let dir = dirname(path);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    if (!statSync(dir).isDirectory()) return `cannot be created: ${display(dir)} is a file, not a folder`;
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (err) {
    return `not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

export function preflight(loaded: LoadedConfig): void {
  const { config, configDir } = loaded;
  const problems: string[] = [];
  const source = readYamlSource(loaded.configPath, display(loaded.configPath));
  const at = (path: PathSegment[]) => `${source.file}:${source.lineOf(path)} ${path.join('.')}`;
  const collect = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof PantauError) problems.push(err.message, ...err.details.map((d) => `  ${d}`));
      else throw err;
    }
  };

  collect(() => loadProfiles(loaded.profilesDir));
  collect(() => loadRules({ rulesFile: config.alerting.rulesFile, configDir }));

  const file = (p: string) => (isAbsolute(p) ? p : resolve(configDir, p));
  const paths: [PathSegment[], string | undefined][] = [
    [['store', 'path'], config.store.path === ':memory:' ? undefined : config.store.path],
    [['metrics', 'outbox', 'path'], config.metrics.sink === 'none' ? undefined : config.metrics.outbox.path],
    [['redis', 'spool', 'path'], config.redis?.spool.path],
  ];
  for (const [path, p] of paths) {
    if (p === undefined) continue;
    const why = unwritable(file(p));
    if (why) problems.push(`${at(path)}: ${display(file(p))} ${why}`);
  }
  if (problems.length > 0) {
    throw new PantauError('PANTAU_CONFIG_INVALID', `${source.file}: pantau cannot start with this configuration`, {
      details: problems,
    });
  }
}
