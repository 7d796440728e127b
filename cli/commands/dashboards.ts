import type { CommandModule } from '../context.js';

const GENERATED = 'dashboards/generated';

export const command: CommandModule = {
  name: 'dashboards',
  register(program, ctx) {
    const dashboards = program.command('dashboards').description('Grafana dashboards as code (dashboards/src → dashboards/generated)');
    dashboards
      .command('build')
      .description(`write the dashboards' JSON to ${GENERATED}/; --check exits 1 when the committed JSON is stale`)
      .option('--check', 'compare instead of writing; exit 1 when a file is stale, missing or left over')
      .action(async (opts: { check?: boolean }) => {
        const { checkDashboards, writeDashboards } = await import('../../dashboards/src/build.js');
        if (opts.check) {
          const r = await checkDashboards();
          const problems = [
            ...r.stale.map((f) => `${GENERATED}/${f} is stale`),
            ...r.missing.map((f) => `${GENERATED}/${f} is missing`),
            ...r.extra.map((f) => `${GENERATED}/${f} is not produced by dashboards/src (delete it)`),
          ];
          for (const p of problems) ctx.stderr.write(`${p}\n`);
          if (problems.length > 0) {
            ctx.stderr.write('run: npx pantau dashboards build\n');
            ctx.setExitCode(1);
          } else ctx.stdout.write(`dashboards: ${GENERATED} is current\n`);
          return;
        }
        const written = await writeDashboards();
        for (const f of written) ctx.stdout.write(`wrote ${f}\n`);
      });
  },
};
