/**
 * Where pantau's own files are (config/, web/dist, bin/) when running from the TypeScript sources
 * (core/paths.ts) or from the prebuilt tree (dist/core/paths.js, ADR 0011): the nearest directory
 * above this file that holds package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. `packagePath('config', 'profiles')`. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/** The extension this code runs with: `.ts` from the sources, `.js` from dist/ (for files loaded by name). */
export const CODE_EXT = fileURLToPath(import.meta.url).endsWith('.js') ? '.js' : '.ts';
