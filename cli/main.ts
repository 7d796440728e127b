import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isPantauError } from '../core/errors.js';
import { CODE_EXT } from '../core/paths.js';
import type { CliContext, CommandModule } from './context.js';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Each file in cli/commands/ exports `command`; adding a command is adding a file. */
async function loadCommands(): Promise<CommandModule[]> {
  const files = readdirSync(commandsDir)
    .filter((f) => f.endsWith(CODE_EXT) && !f.endsWith(`.test${CODE_EXT}`) && !f.endsWith('.d.ts'))
    .sort();
  const mods = await Promise.all(
    files.map((f) => import(pathToFileURL(join(commandsDir, f)).href) as Promise<{ command?: CommandModule }>),
  );
  return mods.flatMap((m) => (m.command ? [m.command] : []));
}

export async function main(
  argv: string[],
  io: Partial<Pick<CliContext, 'stdout' | 'stderr' | 'env'>> = {},
): Promise<number> {
  let exitCode = 0;
  const ctx: CliContext = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('pantau')
    .description('pantau — pemantauan jaringan smart city OKU / network monitoring for the OKU smart-city network')
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError();
  for (const cmd of await loadCommands()) cmd.register(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    // Usage errors (unknown option, missing argument) exit 2, as Unix tools do; help/version stay 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (isPantauError(err)) {
      ctx.stderr.write(`error: ${err.message}\n`);
      for (const d of err.details) ctx.stderr.write(`  ${d}\n`);
      return 1;
    }
    ctx.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    if (ctx.env['PANTAU_DEBUG']) ctx.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return 1;
  }
}
