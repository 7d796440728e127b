import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'notify',
  register(program, ctx) {
    const notify = program.command('notify').description('notifikasi / notifications');
    notify
      .command('test')
      .description(
        'kirim satu pesan uji lewat setiap saluran grup / send one test message through every channel of a group and print each answer',
      )
      .requiredOption('-g, --group <group>', 'notification group (alerting.notifications.groups)')
      .option('--json', 'print the answers as JSON')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(async (opts: { group: string; json?: boolean; config?: string }) => {
        const { loadConfig } = await import('../../core/config/load.js');
        const { sendTestNotification } = await import('../../alerting/notify/test-send.js');
        const { formatLocal, zoneOf } = await import('../../core/period.js');
        const { userInfo } = await import('node:os');
        const { config, region } = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        const zone = zoneOf(config.reports.zone ?? region.timeZone);
        const results = await sendTestNotification({
          notifications: config.alerting.notifications,
          group: opts.group,
          by: `${userInfo().username} (cli)`,
          now: () => Date.now(),
          atText: `${formatLocal(Date.now(), zone)} ${zone.name}`,
        });
        if (opts.json) ctx.stdout.write(`${JSON.stringify(results)}\n`);
        else
          for (const r of results)
            ctx.stdout.write(
              `${r.ok ? 'OK   ' : 'GAGAL'} ${r.channel.padEnd(8)} ${r.target}  ${r.answer} (${r.ms} ms)\n`,
            );
        if (results.some((r) => !r.ok)) ctx.setExitCode(1);
      });
  },
};
