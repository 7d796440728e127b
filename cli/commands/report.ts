import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'report',
  register(program, ctx) {
    program
      .command('report')
      .description('laporan ketersediaan bulanan (SLA) / monthly availability report from the store')
      .requiredOption('-m, --month <YYYY-MM>', "month in the region's time zone, e.g. 2026-11")
      .option('-f, --format <format>', 'csv | html | pdf | json', 'csv')
      .option(
        '-o, --out <file>',
        'write to this file (default: stdout for csv/html/json, pantau-ketersediaan-<month>.pdf for pdf)',
      )
      .option('-l, --lang <lang>', 'id | en (default reports.language)')
      .option('-c, --config <file>', 'config file (default config/pantau.yaml or $PANTAU_CONFIG)')
      .action(async (opts: { month: string; format: string; out?: string; lang?: string; config?: string }) => {
        const { PantauError } = await import('../../core/errors.js');
        const { REPORT_FORMATS } = await import('../../history/reports.js');
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format))
          throw new PantauError(
            'PANTAU_INVALID_INPUT',
            `--format ${opts.format}: expected one of ${REPORT_FORMATS.join(', ')}`,
          );
        if (opts.lang !== undefined && opts.lang !== 'id' && opts.lang !== 'en')
          throw new PantauError('PANTAU_INVALID_INPUT', `--lang ${opts.lang}: expected id or en`);
        const { loadConfig } = await import('../../core/config/load.js');
        const { openStore } = await import('../../core/store/store.js');
        const { createStateLog } = await import('../../history/state-log.js');
        const { createReports } = await import('../../history/reports.js');
        const { resolve } = await import('node:path');
        const { writeFileSync } = await import('node:fs');
        const loaded = loadConfig(configPathFrom(opts, ctx.env), ctx.env);
        const { config, configDir } = loaded;
        const store = openStore(config.store.path === ':memory:' ? ':memory:' : resolve(configDir, config.store.path));
        try {
          const reports = createReports({
            stateLog: createStateLog(store),
            inventory: () => loaded.inventory,
            config,
            now: () => Date.now(),
            regionZone: loaded.region.timeZone,
          });
          const out = await reports.render(
            opts.month,
            opts.format as 'csv',
            (opts.lang as 'id' | 'en' | undefined) ?? config.reports.language,
          );
          const file = opts.out ?? (opts.format === 'pdf' ? out.filename : undefined);
          if (file) {
            writeFileSync(file, out.body);
            ctx.stderr.write(`${file} (${out.body.length} bytes)\n`);
          } else {
            ctx.stdout.write(out.body);
          }
        } finally {
          store.close();
        }
      });
  },
};
