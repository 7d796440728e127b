import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { PACKAGE_ROOT } from '../core/paths.js';

export const WEB_DIST = join(PACKAGE_ROOT, 'web', 'dist');

/** Newest mtime of the page's sources (web/src, web/index.html, the parts of core/ the page imports). */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const f of readdirSync(p)) walk(join(p, f));
      return;
    }
    newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of [
    'web/src',
    'web/index.html',
    'web/vite.config.ts',
    'core/realtime.ts',
    'core/vocabulary',
    'core/probe-error-text.ts',
    'core/time.ts',
    'core/types.ts',
    'core/period.ts',
    'core/errors.ts',
  ])
    walk(join(PACKAGE_ROOT, p));
  return newest;
}

/**
 * Builds the NOC page with Vite when web/dist is missing (a fresh clone) or older than its sources
 * (a pull), so `npm run demo` and `pantau start` never serve a stale page.
 */
export async function ensureWebBuilt(logger: Logger, opts: { force?: boolean } = {}): Promise<string> {
  const index = join(WEB_DIST, 'index.html');
  const fresh = existsSync(index) && statSync(index).mtimeMs >= newestSource();
  if (!opts.force && fresh) return WEB_DIST;
  // Without web/src (an installed package that ships web/dist only) keep what is there.
  if (!opts.force && existsSync(index) && !existsSync(join(PACKAGE_ROOT, 'web', 'src'))) return WEB_DIST;
  logger.info('membangun halaman NOC / building the NOC page (vite build web)…');
  await viteBuildInChild();
  return WEB_DIST;
}

/**
 * `vite build` in a child node process: loaded into pantau itself, vite and rollup stayed in its
 * memory for good (the OKU network's RSS peaked at 437 MB instead of ~150 after a `git pull`).
 */
function viteBuildInChild(): Promise<void> {
  // vite is a devDependency: installed by `npm ci`. configLoader 'runner': no temp file in
  // node_modules/.vite-temp (read-only or shared installs).
  const script = `const vite = await import('vite');
await vite.build({ configFile: ${JSON.stringify(join(PACKAGE_ROOT, 'web', 'vite.config.ts'))}, configLoader: 'runner', logLevel: 'warn' });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code ?? signal}): ${out.trim()}`)),
    );
  });
}
