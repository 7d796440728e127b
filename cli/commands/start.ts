import { Option } from 'commander';
import type { CommandModule } from '../context.js';

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
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
      .addOption(
        new Option(
          '--role <role>',
          'all = everything in one process (default); collector | core | web = one part of a cluster over Redis (docs/scale.md)',
        )
          .choices(['all', 'collector', 'core', 'web'])
          .default('all'),
      )
      .option('--name <name>', 'cluster member name (default cluster.name, else host name and role)')
      .option('--zones <list>', 'zones this collector serves, comma-separated (default cluster.zones: all)')
      .action(
        async (opts: {
          config?: string;
          port?: number;
          host?: string;
          role: string;
          name?: string;
          zones?: string;
        }) => {
          const { createLogger } = await import('../../core/logger.js');
          const { loadConfig } = await import('../../core/config/load.js');
          const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
          const { applyHeapFlags } = await import('../heap.js');
          applyHeapFlags(loaded.inventory.devices.length);
          const logger = createLogger({ level: loaded.config.logLevel });
          const { currentRuntime, runtimeLogLine } = await import('../runtime.js');
          const runtime = runtimeLogLine(currentRuntime());
          logger.info(runtime.fields, runtime.msg);
          if (opts.role !== 'all') {
            const { startRole } = await import('../../cluster/roles.js');
            const running = await startRole({
              role: opts.role as 'collector' | 'core' | 'web',
              loaded,
              logger,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.zones !== undefined
                ? {
                    zones: opts.zones
                      .split(',')
                      .map((z) => z.trim())
                      .filter(Boolean),
                  }
                : {}),
              ...(opts.port !== undefined ? { port: opts.port } : {}),
              ...(opts.host ? { host: opts.host } : {}),
            });
            await untilSignal();
            logger.info('berhenti / stopping');
            await running.stop();
            return;
          }
          const { startPantau } = await import('../../server/main.js');
          const running = await startPantau({
            configPath: loaded.configPath,
            loaded,
            logger,
            ...(opts.port !== undefined ? { port: opts.port } : {}),
            ...(opts.host ? { host: opts.host } : {}),
          });
          if ((await running.server.users.count()) === 0) {
            ctx.stdout.write(
              [
                '',
                'Belum ada pengguna. Buat admin pertama / No users yet. Create the first admin:',
                `  npx pantau user add admin --role admin${opts.config ? ` --config ${opts.config}` : ''}`,
                `lalu buka / then open http://${running.host}:${running.port}`,
                '',
              ].join('\n'),
            );
          }
          const { untilStopSignal, stopWithin, exitSoonIfStuck } = await import('../graceful.js');
          const signal = await untilStopSignal();
          logger.info({ signal }, 'berhenti / stopping');
          const t0 = Date.now();
          await stopWithin(() => running.stop(), {
            onForced: (why) =>
              logger.error(
                { why, afterMs: Date.now() - t0 },
                why === 'signal'
                  ? 'sinyal kedua: berhenti paksa / second signal: exiting now'
                  : 'berhenti terlalu lama, keluar paksa / stop overran its deadline: exiting now',
              ),
          });
          logger.info({ ms: Date.now() - t0 }, 'berhenti / stopped');
          exitSoonIfStuck();
        },
      );
  },
};
