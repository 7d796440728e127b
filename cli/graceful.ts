/**
 * Stopping long-running commands (`pantau start`, `pantau lab`, the demo) within 5 s of SIGTERM or
 * SIGINT, as a service manager expects (systemd sends SIGKILL after TimeoutStopSec). The first
 * signal starts an orderly stop; a second signal, or the orderly stop overrunning its deadline,
 * exits at once with a log line saying so.
 */
import { Worker } from 'node:worker_threads';

type SignalSource = Pick<NodeJS.Process, 'once' | 'off'>;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Resolves with the first SIGINT or SIGTERM. */
export function untilStopSignal(proc: SignalSource = process): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      for (const s of SIGNALS) proc.off(s, on);
      resolve(sig);
    };
    for (const s of SIGNALS) proc.once(s, on);
  });
}

export interface StopWithinOptions {
  /** Default 4,000 ms: with process exit, inside the 5 s the issue (and a TimeoutStopSec=5 unit) allows, even on a loaded machine. */
  deadlineMs?: number;
  /** Told why the stop is forced ('deadline' | 'signal'), before `exit`. */
  onForced: (why: 'deadline' | 'signal') => void;
  exit?: (code: number) => void;
  proc?: SignalSource;
  /**
   * Default 4,800 ms: the last resort when the event loop is blocked past the deadline (a long
   * synchronous write at 10,000 devices, a starved machine), so the deadline timer cannot run: a
   * watchdog thread SIGKILLs the process (counted from the signal, until the process is gone).
   * 0 = no watchdog (tests that call this inside their own process).
   */
  killAfterMs?: number;
}

/**
 * A thread that SIGKILLs this process after `ms` unless cancelled. It runs beside the event loop, so
 * it fires even while the main thread is busy in a synchronous call. Unref'd: never keeps a process up.
 */
export function killIfStillAliveAfter(ms: number): { cancel(): void } {
  const code = `const { workerData } = require('node:worker_threads');
setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);`;
  // execArgv [] : plain CommonJS whatever flags this process runs with (--input-type, loaders).
  const w = new Worker(code, {
    eval: true,
    execArgv: [],
    workerData: { ms, pid: process.pid },
    name: 'pantau-stop-watchdog',
  });
  w.on('error', () => {
    /* a watchdog that cannot start leaves the deadline timer in charge */
  });
  w.unref();
  return {
    cancel: () => {
      void w.terminate();
    },
  };
}

/** Runs `stop`; forces `exit(1)` if it overruns the deadline or another signal arrives meanwhile. */
export async function stopWithin(stop: () => Promise<void>, opts: StopWithinOptions): Promise<void> {
  const proc = opts.proc ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const force = (why: 'deadline' | 'signal') => {
    opts.onForced(why);
    exit(1);
  };
  const timer = setTimeout(() => force('deadline'), opts.deadlineMs ?? 4000);
  timer.unref();
  const killAfter = opts.killAfterMs ?? 4800;
  const watchdog = killAfter > 0 ? killIfStillAliveAfter(killAfter) : undefined;
  const again = () => force('signal');
  for (const s of SIGNALS) proc.once(s, again);
  try {
    await stop();
  } finally {
    clearTimeout(timer);
    // The watchdog stays until the process is gone: ending it (freeing a 1 GB heap, worker threads)
    // is part of the 5 s too. It is unref'd, so a clean exit never waits for it.
    void watchdog;
    for (const s of SIGNALS) proc.off(s, again);
  }
}

/**
 * After an orderly stop the process should end by itself; if some handle (a socket, a timer of a
 * library) keeps it alive, end it anyway a moment later. Unref'd: it never delays a clean exit.
 */
export function exitSoonIfStuck(ms = 200, exit: () => void = () => process.exit()): void {
  setTimeout(exit, ms).unref();
}
