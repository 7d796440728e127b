// Entry of a probe worker thread: a worker does not inherit the main thread's tsx loader, so it
// loads the TypeScript (thread.ts) through tsx's require hook. Not tsx's ESM loader: that one runs
// its hooks in one more thread with its own V8 heap, per worker (ADR 0208).
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('./thread.ts');
