// The prebuilt JavaScript tree (ADR 0011): `npm run build` (also run by `npm ci`) transpiles the
// TypeScript sources into dist/ with esbuild, file for file, so `pantau` runs without tsx's loader
// (a second V8 isolate in its own thread, ~30 MB). bin/pantau.mjs uses dist/ only while it matches the
// sources; after an edit or a pull it runs the sources through tsx until the next build.
// Plain JavaScript: it runs before any TypeScript can be loaded.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The directories whose TypeScript makes up pantau at run time (not web/, bench/, scripts/, test/). */
export const SOURCE_DIRS = [
  'alerting',
  'cli',
  'cluster',
  'collector',
  'core',
  'dashboards',
  'history',
  'metrics',
  'server',
  'simulator',
  'status',
];

export const DIST_DIR = 'dist';
export const STAMP_FILE = 'BUILD.json';

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts');

/** Every source file (path relative to root, `/`-separated, sorted). */
export function listSources(root) {
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && isSource(e.name)) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) walk(d);
  return out.sort();
}

/** What a build was made from: how many files, their total size and the newest mtime. */
export function sourceStamp(root, files = listSources(root)) {
  let bytes = 0;
  let newestMtimeMs = 0;
  for (const f of files) {
    const st = statSync(join(root, f));
    bytes += st.size;
    newestMtimeMs = Math.max(newestMtimeMs, st.mtimeMs);
  }
  return { files: files.length, bytes, newestMtimeMs };
}

/**
 * Whether dist/ was built from the sources as they are now (pure comparison of two stamps).
 * Returns null when it was, else why not (for the start-up log).
 */
export function staleReason(built, now) {
  if (!built) return 'dist/ has no build stamp (npm run build)';
  // An install that carries only dist/ (the container image): nothing to be stale against.
  if (now.files === 0) return null;
  if (built.files !== now.files) return `dist/ has ${built.files} files, the sources ${now.files} (npm run build)`;
  if (built.bytes !== now.bytes || built.newestMtimeMs !== now.newestMtimeMs)
    return 'the sources changed since dist/ was built (npm run build)';
  return null;
}

/** The stamp dist/ was built with, or null. */
export function readBuildStamp(root) {
  try {
    const s = JSON.parse(readFileSync(join(root, DIST_DIR, STAMP_FILE), 'utf8'));
    return typeof s?.files === 'number' && typeof s?.bytes === 'number' && typeof s?.newestMtimeMs === 'number'
      ? s
      : null;
  } catch {
    return null;
  }
}

/** `{ fresh: true }` when dist/ can run, else `{ fresh: false, reason }`. */
export function distState(root) {
  if (!existsSync(join(root, DIST_DIR, 'cli', 'main.js')))
    return { fresh: false, reason: 'dist/ is missing (npm run build)' };
  const reason = staleReason(readBuildStamp(root), sourceStamp(root));
  return reason ? { fresh: false, reason } : { fresh: true };
}
