import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

/** Users from the store, read-only; none when the store does not exist yet (nothing to warn about). */
async function storedUsers(path: string): Promise<{ username: string; role: string; groups: string[] }[]> {
  const { existsSync } = await import('node:fs');
  if (path === ':memory:' || !existsSync(path)) return [];
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'server_users'").get();
    if (!table) return [];
    const rows = db.prepare('SELECT username, role, groups_json FROM server_users WHERE disabled = 0').all() as {
      username: string;
      role: string;
      groups_json: string;
    }[];
    return rows.map((r) => ({ username: r.username, role: r.role, groups: JSON.parse(r.groups_json) as string[] }));
  } finally {
    db.close();
  }
}

export const command: CommandModule = {
  name: 'validate',
  register(program, ctx) {
    program
      .command('validate')
      .description(
        'validate the config and inventory, print a summary (exit 1 with every problem); warn about technicians no alert is routed to',
      )
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .option(
        '--role <role>',
        'also check what `pantau start --role <role>` needs (collector, core and web need redis:)',
        'all',
      )
      .action(async (opts: { config?: string; role: string }) => {
        const { dirname, resolve } = await import('node:path');
        const { loadConfig } = await import('../../core/config/load.js');
        const { summarizeInventory } = await import('../../core/inventory/summary.js');
        const { technicianRoutingWarnings, unroutedKecamatan } = await import('../../alerting/notify/routing.js');
        const configPath = configPathFrom(opts, ctx.env);
        const { preflight } = await import('../../server/preflight.js');
        const loaded = loadConfig(configPath, ctx.env);
        if (opts.role !== 'all') {
          const { redisRequired } = await import('../../cluster/require-redis.js');
          if (!['collector', 'core', 'web'].includes(opts.role))
            throw new Error(`--role: all, collector, core or web, not ${opts.role}`);
          if (!loaded.config.redis) throw redisRequired(opts.role, loaded.configPath);
        }
        // The same checks `pantau start` runs before it opens anything: validate OK means start gets going.
        preflight(loaded);
        ctx.stdout.write(`${summarizeInventory(loaded.inventory)}\n`);
        if (loaded.config.redis)
          ctx.stdout.write(
            `redis: ${loaded.config.redis.url} (prefix ${loaded.config.redis.keyPrefix}) untuk --role collector|core|web / for the cluster roles\n`,
          );
        const storePath = loaded.config.store.path;
        const users = await storedUsers(
          storePath === ':memory:' ? storePath : resolve(dirname(resolve(configPath)), storePath),
        );
        // A technician routed nothing sees "no active alarms" on the phone view during an outage.
        const routes = loaded.config.alerting.routing;
        const warnings = technicianRoutingWarnings(users, routes);
        const kec = [...new Set(loaded.inventory.devices.map((d) => d.kecamatan))].sort();
        for (const k of unroutedKecamatan(kec, routes))
          warnings.push(`kecamatan "${k}": no route sends its warning alerts to any group (alerting.routing)`);
        for (const w of warnings) ctx.stderr.write(`peringatan / warning: ${w}\n`);
      });
  },
};
