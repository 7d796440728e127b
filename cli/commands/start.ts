import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'start',
  register(program, ctx) {
    program
      .command('start')
      .description('run pantau: collector, alert engine, metrics and the NOC page in one process')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .option('-p, --port <port>', 'HTTP port (default server.port)', (v) => Number.parseInt(v, 10))
      .option('--host <host>', 'HTTP address (default server.host)')
      .action(async (opts: { config?: string; port?: number; host?: string }) => {
        const { createLogger } = await import('../../core/logger.js');
        const { loadConfig } = await import('../../core/config/load.js');
        const { startPantau } = await import('../../server/main.js');
        const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        const logger = createLogger({ level: loaded.config.logLevel });
        const running = await startPantau({ configPath: loaded.configPath, loaded, logger, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}) });
        if (running.server.users.count() === 0) {
          ctx.stdout.write([
            '',
            'Belum ada pengguna. Buat admin pertama / No users yet. Create the first admin:',
            `  npx pantau user add admin --role admin${opts.config ? ` --config ${opts.config}` : ''}`,
            `lalu buka / then open http://${running.host}:${running.port}`,
            '',
          ].join('\n'));
        }
        const { untilStopSignal, stopWithin, exitSoonIfStuck } = await import('../graceful.js');
        const signal = await untilStopSignal();
        logger.info({ signal }, 'berhenti / stopping');
        const t0 = Date.now();
        await stopWithin(() => running.stop(), {
          onForced: (why) => logger.error({ why, afterMs: Date.now() - t0 }, why === 'signal'
            ? 'sinyal kedua: berhenti paksa / second signal: exiting now'
            : 'berhenti terlalu lama, keluar paksa / stop overran its deadline: exiting now'),
        });
        logger.info({ ms: Date.now() - t0 }, 'berhenti / stopped');
        exitSoonIfStuck();
      });
  },
};
