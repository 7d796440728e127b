/**
 * The two parts of undici the HTTP probe uses, a Client and request(), loaded from undici's own files
 * rather than its index: the index also loads fetch, WebSocket, the cache, the mocks and every other
 * dispatcher (~135 modules; a bare Node grows 18 MB importing it, 9 MB importing these two), and it
 * runs in every pantau process that checks a service (ADR 0011). Same code, same version
 * (package-lock.json); the unit tests of the probe fail if an upgrade moves these files.
 */
import { createRequire } from 'node:module';
import type { Client as UndiciClient, Dispatcher } from 'undici';

const require = createRequire(import.meta.url);

/** undici's Client (lib/dispatcher/client.js is what `import { Client } from 'undici'` exports). */
export const Client = require('undici/lib/dispatcher/client.js') as typeof UndiciClient;

const apiRequest = require('undici/lib/api/api-request.js') as (
  this: Dispatcher,
  opts: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

/** `client.request(opts)`: undici's index puts this function on Dispatcher.prototype; we call it directly. */
export function request(client: UndiciClient, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(client, opts);
}
