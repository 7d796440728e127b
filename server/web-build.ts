import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../core/logger.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

/** Builds the NOC page with Vite when web/dist is missing (a fresh clone), so `npm run demo` just works. */
export async function ensureWebBuilt(logger: Logger, opts: { force?: boolean } = {}): Promise<string> {
  if (!opts.force && existsSync(join(WEB_DIST, 'index.html'))) return WEB_DIST;
  logger.info('membangun halaman NOC / building the NOC page (vite build web)…');
  // vite is a devDependency: installed by `npm ci`; a production install ships web/dist instead.
  const vite = await import('vite');
  await vite.build({ configFile: join(REPO_ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  return WEB_DIST;
}
