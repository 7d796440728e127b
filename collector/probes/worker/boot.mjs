// Entry of a probe worker thread: a worker does not inherit the main thread's tsx loader, so it
// registers its own before loading the TypeScript (thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
