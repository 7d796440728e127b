import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'cluster',
  register(program, ctx) {
    const cluster = program
      .command('cluster')
      .description('pantau over Redis (--role collector|core|web): members and zones');
    cluster
      .command('status')
      .description(
        'print the live members (role, zones, devices owned, buffered results, core lag) and zones no collector serves',
      )
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(async (opts: { config?: string }) => {
        const { loadConfig } = await import('../../core/config/load.js');
        const { redisRequired } = await import('../../cluster/require-redis.js');
        const { connectRedis } = await import('../../core/redis/connect.js');
        const { readMembers } = await import('../../cluster/membership.js');
        const { formatClusterStatus } = await import('../../cluster/status.js');
        const { zonesOf } = await import('../../cluster/assign.js');
        const { collectorsSeenKey } = await import('../../cluster/health-view.js');
        const { decodeInventory, inventoryKey } = await import('../../cluster/inventory-share.js');
        const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        if (!loaded.config.redis) throw redisRequired('collector|core|web', loaded.configPath);
        const redis = connectRedis(loaded.config.redis, loaded.configDir, { name: 'pantau:cluster-status' });
        redis.on('error', () => undefined);
        try {
          const members = await Promise.race([
            readMembers(redis, loaded.config.redis.keyPrefix),
            new Promise<never>((_, reject) =>
              setTimeout(
                () => reject(new Error(`Redis ${loaded.config.redis!.url} tidak menjawab / does not answer`)),
                loaded.config.redis!.connectTimeoutMs,
              ),
            ),
          ]);
          const prefix = loaded.config.redis.keyPrefix;
          // The zones of the inventory the cluster runs on (the core's copy), else of this config's files.
          const copy = await redis.get(inventoryKey(prefix));
          let inventory = loaded.inventory;
          if (copy !== null) {
            try {
              inventory = decodeInventory(copy, loaded.refs).inventory;
            } catch (err) {
              ctx.stderr.write(
                `inventaris inti tidak terbaca / the core's inventory copy is unreadable: ${(err as Error).message}\n`,
              );
            }
          }
          const seen = new Map(
            Object.entries(await redis.hgetall(collectorsSeenKey(prefix)))
              .map(([k, v]) => [k, Number(v)] as const)
              .filter(([, v]) => Number.isFinite(v)),
          );
          const text = formatClusterStatus(members, zonesOf(inventory), Date.now(), seen);
          ctx.stdout.write(text.text);
          if (text.problems > 0) ctx.setExitCode(1);
        } finally {
          redis.disconnect();
        }
      });
  },
};
