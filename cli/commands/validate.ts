import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description('validate the config and inventory, print a summary (exit 1 with every problem)')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .option('--role <role>', 'also check what `pantau start --role <role>` needs (collector, core and web need redis:)', 'all')
      .action(async (opts: { config?: string; role: string }) => {
        const { loadConfig } = await import('../../core/config/load.js');
        const { summarizeInventory } = await import('../../core/inventory/summary.js');
        const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        if (opts.role !== 'all') {
          const { redisRequired } = await import('../../cluster/require-redis.js');
          if (!['collector', 'core', 'web'].includes(opts.role)) throw new Error(`--role: all, collector, core or web, not ${opts.role}`);
          if (!loaded.config.redis) throw redisRequired(opts.role, loaded.configPath);
        }
        ctx.stdout.write(`${summarizeInventory(loaded.inventory)}\n`);
        if (loaded.config.redis) ctx.stdout.write(`redis: ${loaded.config.redis.url} (prefix ${loaded.config.redis.keyPrefix}) untuk --role collector|core|web / for the cluster roles\n`);
      });
  },
};
