import type { Command } from 'commander';

export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Commands report failure here; `main` returns it as the exit code. */
  setExitCode(code: number): void;
}

/**
 * One CLI command, one file under cli/commands/. `register` must stay cheap: import heavy
 * modules (net-snmp, express, …) inside the action with `await import()`, so `pantau --help`
 * and `pantau validate` start fast.
 */
export interface CommandModule {
  name: string;
  register(program: Command, ctx: CliContext): void;
}

export const DEFAULT_CONFIG = 'config/pantau.yaml';

/** The config path from --config, else PANTAU_CONFIG, else config/pantau.yaml. */
export function configPathFrom(opts: { config?: string }, env: NodeJS.ProcessEnv): string {
  return opts.config ?? env['PANTAU_CONFIG'] ?? DEFAULT_CONFIG;
}
