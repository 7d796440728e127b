#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so `npx pantau` works right after `npm ci`,
// with no build step (ADR 0001).
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// V8 heap settings pantau gives itself (ADR 0010): tsx's loader thread, started by register(), gets
// a 1 MB semi-space (threads started later, e.g. probe workers, V8's default again); `pantau start`
// and the demo keep the main thread's young generation at its first size instead of letting it grow
// to 2 × 16 MB (cli/heap.ts gives it back for a large inventory). PANTAU_V8_DEFAULTS=1: none of this.
const tuned = process.env.PANTAU_V8_DEFAULTS !== '1';
const small = tuned && ['start', 'demo'].includes(process.argv[2] ?? '');
if (tuned) setFlagsFromString('--max-semi-space-size=1');
register();
if (tuned) setFlagsFromString('--max-semi-space-size=0');
if (small) setFlagsFromString('--semi-space-growth-factor=1');
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
