import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CommandModule } from '../context.js';
import { configPathFrom } from '../context.js';

export const command: CommandModule = {
  name: 'inventory',
  register(program, ctx) {
    const inv = program.command('inventory').description('inventory tools (impor / import)');
    inv
      .command('import <csv>')
      .description(
        'turn a spreadsheet export (CSV) into inventory YAML; bad rows are reported by row number and nothing is written',
      )
      .option('-o, --out <file>', 'write the YAML here (default: standard output)')
      .option(
        '-c, --config <file>',
        'config whose inventory holds parents and credentials (default config/pantau.yaml)',
      )
      .option('--standalone', 'do not check against an existing config')
      .action(async (csvPath: string, opts: { out?: string; config?: string; standalone?: boolean }) => {
        const { importDevicesCsv, devicesToYaml } = await import('../../core/inventory/import-csv.js');
        const { loadConfig } = await import('../../core/config/load.js');
        const { PantauError } = await import('../../core/errors.js');
        const csv = await readFile(csvPath, 'utf8').catch((cause: unknown) => {
          throw new PantauError('PANTAU_IMPORT_INVALID', `${csvPath}: cannot read file`, { cause });
        });
        const configPath = configPathFrom(opts, ctx.env);
        const useConfig = !opts.standalone && (opts.config !== undefined || existsSync(configPath));
        const loaded = useConfig ? loadConfig(configPath, ctx.env) : null;
        const known = loaded
          ? {
              snmpCredentials: new Set(Object.keys(loaded.config.credentials.snmp)),
              onvifCredentials: new Set(Object.keys(loaded.config.credentials.onvif)),
            }
          : { snmpCredentials: new Set<string>(), onvifCredentials: new Set<string>() };
        const result = importDevicesCsv(
          csv,
          loaded?.inventory.devices ?? [],
          loaded ? known : { snmpCredentials: anySet(), onvifCredentials: anySet() },
        );
        if (result.problems.length > 0) {
          throw new PantauError(
            'PANTAU_IMPORT_INVALID',
            `${csvPath}: ${result.problems.length} bad row(s); nothing written`,
            { details: result.problems },
          );
        }
        const yaml = devicesToYaml(result.devices, basename(csvPath));
        if (opts.out) {
          await writeFile(opts.out, yaml, { flag: 'wx' }).catch((cause: unknown) => {
            throw new PantauError('PANTAU_IMPORT_INVALID', `${opts.out}: cannot write (exists already?)`, { cause });
          });
          ctx.stderr.write(`${result.devices.length} devices written to ${opts.out}\n`);
        } else {
          ctx.stdout.write(yaml);
        }
      });
  },
};

/** Without a config, credential names cannot be checked: accept any. */
function anySet(): ReadonlySet<string> {
  return { has: () => true } as unknown as ReadonlySet<string>;
}
