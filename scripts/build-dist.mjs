#!/usr/bin/env node
// `npm run build` (and `npm ci`, through "prepare"): transpiles pantau's TypeScript into dist/, file
// for file, with esbuild (the compiler tsx itself uses, so the code is the same), and stamps the build
// so bin/pantau.mjs knows when dist/ matches the sources (ADR 0011). Types are checked by
// `npm run typecheck`, not here. The NOC page is built separately (vite, web/dist).
//   node scripts/build-dist.mjs [--if-stale]
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST_DIR, STAMP_FILE, distState, listSources, sourceStamp } from '../bin/dist.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = listSources(root);
if (files.length === 0) {
  // e.g. a Docker stage that installs dependencies before the sources are copied in.
  console.log('build: no TypeScript sources here, nothing to build');
  process.exit(0);
}
if (process.argv.includes('--if-stale') && distState(root).fresh) {
  console.log('build: dist/ matches the sources');
  process.exit(0);
}
const stamp = sourceStamp(root, files);
const { build } = await import('esbuild');
const t0 = performance.now();
const tmp = join(root, `${DIST_DIR}.tmp-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: files,
    outdir: tmp,
    outbase: '.',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
  writeFileSync(join(tmp, STAMP_FILE), JSON.stringify({ ...stamp, builtAt: new Date().toISOString() }, null, 2) + '\n');
  const dist = join(root, DIST_DIR);
  if (existsSync(dist)) rmSync(dist, { recursive: true, force: true });
  renameSync(tmp, dist);
} catch (err) {
  rmSync(tmp, { recursive: true, force: true });
  throw err;
}
console.log(`build: ${files.length} files → ${DIST_DIR}/ in ${Math.round(performance.now() - t0)} ms`);
