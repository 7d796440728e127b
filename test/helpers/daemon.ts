import { spawn, type ChildProcess } from 'node:child_process';
import { waitHttp } from './influxd.js';

/** A server binary the tests start, crash (SIGKILL) and start again on the same data. */
export interface Daemon {
  /** Spawns it and waits until it is ready; on failure kills it and throws with its last output. */
  launch(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
  running(): boolean;
}

export type DaemonOptions = {
  name: string;
  bin: string;
  /** Evaluated at each launch (a port may change between attempts). */
  args: string[] | (() => string[]);
} &
  /** Ready when `readyUrl` answers `ready(status)`. */
  (
    | { readyUrl: string; ready: (status: number) => boolean; waitReady?: never }
    /** Or its own check (e.g. redis PING), given a function that says whether the process exited. */
    | { waitReady: (exited: () => string | null) => Promise<void>; readyUrl?: never; ready?: never }
  );

export function createDaemon(opts: DaemonOptions): Daemon {
  let child: ChildProcess | null = null;
  return {
    async launch() {
      let output = '';
      let exit: string | null = null;
      const c = spawn(opts.bin, typeof opts.args === 'function' ? opts.args() : opts.args, {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.once('error', (err) => {
        exit = err.message;
      });
      c.once('exit', (code, sig) => {
        exit = `code ${code} signal ${sig}`;
      });
      const keep = (d: Buffer) => {
        output = (output + d.toString()).slice(-4000);
      };
      c.stdout?.on('data', keep);
      c.stderr?.on('data', keep);
      try {
        if (opts.waitReady) await opts.waitReady(() => exit);
        else await waitHttp(opts.readyUrl, opts.ready, 30_000, opts.name, () => exit);
      } catch (err) {
        c.kill('SIGKILL');
        child = null;
        throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
      }
    },
    async kill(signal) {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
      child = null;
    },
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
  };
}
