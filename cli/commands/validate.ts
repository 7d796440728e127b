import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description('validate the config and inventory, print a summary (exit 1 with every problem)')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(async (opts: { config?: string }) => {
        const { loadConfig } = await import('../../core/config/load.js');
        const { summarizeInventory } = await import('../../core/inventory/summary.js');
        const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        ctx.stdout.write(`${summarizeInventory(loaded.inventory)}\n`);
      });
  },
};
