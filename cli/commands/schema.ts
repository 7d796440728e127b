import { readFile, writeFile } from 'node:fs/promises';
import type { CommandModule } from '../context.js';

export const SCHEMA_FILE = 'config/schema.json';

export const command: CommandModule = {
  name: 'schema',
  register(program, ctx) {
    program
      .command('schema')
      .description(
        `print the JSON Schema of pantau.yaml; --write updates ${SCHEMA_FILE}, --check fails when it is stale`,
      )
      .option('--write', `write ${SCHEMA_FILE}`)
      .option('--check', `exit 1 when ${SCHEMA_FILE} differs from the zod schema`)
      .action(async (opts: { write?: boolean; check?: boolean }) => {
        const { renderConfigSchema } = await import('../../core/config/schema-file.js');
        const text = renderConfigSchema();
        if (opts.check) {
          const current = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
          if (current !== text) {
            ctx.stderr.write(`${SCHEMA_FILE} is stale: run npm run schema\n`);
            ctx.setExitCode(1);
          }
          return;
        }
        if (opts.write) await writeFile(SCHEMA_FILE, text);
        else ctx.stdout.write(text);
      });
  },
};
