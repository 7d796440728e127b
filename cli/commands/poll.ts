import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';
import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';

const TYPES = DEVICE_TYPES;

export const command: CommandModule = {
  name: 'poll',
  register(program, ctx) {
    program
      .command('poll')
      .description('jalankan semua probe sekali dan tampilkan hasilnya / run every probe once and print the results')
      .requiredOption('--once', 'poll once and exit (the only mode for now)')
      .option('-d, --device <id>', 'only this device')
      .option('-t, --type <type>', `only devices of this type (${TYPES.join(', ')})`)
      .option('--json', 'one JSON object per result per line')
      .option('--lang <lang>', 'id (default) or en', 'id')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(
        async (opts: {
          once: boolean;
          device?: string;
          type?: string;
          json?: boolean;
          lang: string;
          config?: string;
        }) => {
          const { loadConfig } = await import('../../core/config/load.js');
          const { createInProcessBus } = await import('../../core/bus.js');
          const { createLogger } = await import('../../core/logger.js');
          const { createCollector } = await import('../../collector/collector.js');
          const { formatResultsTable, pollExitCode, pollSummary } = await import('../../collector/format.js');
          if (opts.type && !(TYPES as readonly string[]).includes(opts.type)) {
            ctx.stderr.write(`error: --type harus salah satu dari / must be one of: ${TYPES.join(', ')}\n`);
            ctx.setExitCode(2);
            return;
          }
          const { isPantauError } = await import('../../core/errors.js');
          let loaded: ReturnType<typeof loadConfig>;
          try {
            loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
          } catch (err) {
            // A config that does not load is a usage error (2), not a failed probe (1).
            if (!isPantauError(err)) throw err;
            ctx.stderr.write(`error: ${err.message}\n`);
            for (const d of err.details) ctx.stderr.write(`  ${d}\n`);
            ctx.setExitCode(2);
            return;
          }
          if (opts.device && !loaded.inventory.byId.has(opts.device)) {
            ctx.stderr.write(`error: perangkat tidak dikenal / unknown device: ${opts.device}\n`);
            ctx.setExitCode(2);
            return;
          }
          // Logs go to stderr so stdout stays clean JSON lines.
          const logger = createLogger({ level: ctx.env['PANTAU_LOG_LEVEL'] ?? 'warn', destination: ctx.stderr });
          const bus = createInProcessBus({ logger });
          const collector = createCollector({
            config: loaded.config,
            inventory: loaded.inventory,
            bus,
            logger,
            configDir: loaded.configDir,
          });
          const results = await collector.pollOnce({
            ...(opts.device ? { deviceId: opts.device } : {}),
            ...(opts.type ? { type: opts.type as (typeof TYPES)[number] } : {}),
          });
          await bus.close();
          results.sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.kind.localeCompare(b.kind));
          const lang = opts.lang === 'en' ? 'en' : 'id';
          if (opts.json) {
            for (const r of results) ctx.stdout.write(`${JSON.stringify(r)}\n`);
            // stdout stays JSON lines; the count goes to stderr as the last line there.
            ctx.stderr.write(`${pollSummary(results, lang)}\n`);
          } else {
            ctx.stdout.write(formatResultsTable(results, loaded.inventory, lang));
          }
          ctx.setExitCode(pollExitCode(results));
        },
      );
  },
};
