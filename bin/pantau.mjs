#!/usr/bin/env node
// Runs pantau's CLI: from the prebuilt JavaScript in dist/ when it matches the sources (`npm run
// build`, run by `npm ci`; ADR 0011), else the TypeScript sources through tsx's loader, so `npx pantau`
// works right after an edit or a pull too (ADR 0001). PANTAU_FROM_SOURCE=1 always runs the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { distState } from './dist.mjs';

// V8 heap settings pantau gives itself (ADR 0010): tsx's loader thread, started by register(), gets
// a 1 MB semi-space (threads started later, e.g. probe workers, V8's default again); `pantau start`
// and the demo keep the main thread's young generation at its first size instead of letting it grow
// to 2 × 16 MB (cli/heap.ts gives it back for a large inventory). PANTAU_V8_DEFAULTS=1: none of this.
const tuned = process.env.PANTAU_V8_DEFAULTS !== '1';
const small = tuned && ['start', 'demo'].includes(process.argv[2] ?? '');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist =
  process.env.PANTAU_FROM_SOURCE === '1' ? { fresh: false, reason: 'PANTAU_FROM_SOURCE=1' } : distState(root);
// How this process runs, for `pantau start`'s first log line (cli/runtime.ts).
globalThis[Symbol.for('pantau.runtime')] = dist.fresh ? { code: 'dist' } : { code: 'tsx', reason: dist.reason };
let entry = '../dist/cli/main.js';
if (!dist.fresh) {
  const { register } = await import('tsx/esm/api');
  if (tuned) setFlagsFromString('--max-semi-space-size=1');
  register();
  if (tuned) setFlagsFromString('--max-semi-space-size=0');
  entry = '../cli/main.ts';
}
if (small) setFlagsFromString('--semi-space-growth-factor=1');
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
