import type { CommandModule } from '../context.js';

const GENERATED = 'dashboards/generated';

export const command: CommandModule = {
  name: 'dashboards',
  register(program, ctx) {
    const dashboards = program
      .command('dashboards')
      .description('Grafana dashboards as code (dashboards/src → dashboards/generated)');
    dashboards
      .command('build')
      .description(`write the dashboards' JSON to ${GENERATED}/; --check exits 1 when the committed JSON is stale`)
      .option('--check', 'compare instead of writing; exit 1 when a file is stale, missing or left over')
      .option(
        '-c, --config <file>',
        "build for this config's region (time zone, name); default: the committed OKU dashboards",
      )
      .option('-o, --out <dir>', `folder of the JSON files (default ${GENERATED})`)
      .action(async (opts: { check?: boolean; config?: string; out?: string }) => {
        const { checkDashboards, writeDashboards, SOURCE_REGION } = await import('../../dashboards/src/build.js');
        // Only an explicit --config changes the region: the committed JSON (and its CI check) is OKU's.
        let region = SOURCE_REGION;
        if (opts.config) {
          const { loadConfig } = await import('../../core/config/load.js');
          const r = loadConfig(opts.config, ctx.env).region;
          region = { shortName: r.shortName, timeZone: r.timeZone };
        }
        const dir = opts.out ?? GENERATED;
        if (opts.check) {
          const r = await checkDashboards(dir, region);
          const problems = [
            ...r.stale.map((f) => `${dir}/${f} is stale`),
            ...r.missing.map((f) => `${dir}/${f} is missing`),
            ...r.extra.map((f) => `${dir}/${f} is not produced by dashboards/src (delete it)`),
          ];
          for (const p of problems) ctx.stderr.write(`${p}\n`);
          if (problems.length > 0) {
            ctx.stderr.write('run: npx pantau dashboards build\n');
            ctx.setExitCode(1);
          } else ctx.stdout.write(`dashboards: ${dir} is current\n`);
          return;
        }
        const written = await writeDashboards(dir, region);
        for (const f of written) ctx.stdout.write(`wrote ${f}\n`);
      });
  },
};
