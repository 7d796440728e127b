/** bench/status-page.ts's server: pantau with the given config, no collector; prints its port. */
import { createLogger } from '../core/logger.js';
import { startPantau } from '../server/main.js';

const p = await startPantau({
  configPath: process.argv[2]!,
  env: {},
  logger: createLogger({ level: 'warn' }),
  host: '127.0.0.1',
  port: 0,
  noCollector: true,
});
console.log(`PORT ${p.port}`);
process.on('SIGTERM', () => {
  void p.stop().then(() => process.exit(0));
});
