/**
 * Stopping long-running commands (`pantau start`, `pantau lab`, the demo) within 5 s of SIGTERM or
 * SIGINT, as a service manager expects (systemd sends SIGKILL after TimeoutStopSec). The first
 * signal starts an orderly stop; a second signal, or the orderly stop overrunning its deadline,
 * exits at once with a log line saying so.
 */
type SignalSource = Pick<NodeJS.Process, 'once' | 'off'>;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Resolves with the first SIGINT or SIGTERM. */
export function untilStopSignal(proc: SignalSource = process): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => { for (const s of SIGNALS) proc.off(s, on); resolve(sig); };
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
}

/** Runs `stop`; forces `exit(1)` if it overruns the deadline or another signal arrives meanwhile. */
export async function stopWithin(stop: () => Promise<void>, opts: StopWithinOptions): Promise<void> {
  const proc = opts.proc ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const force = (why: 'deadline' | 'signal') => { opts.onForced(why); exit(1); };
  const timer = setTimeout(() => force('deadline'), opts.deadlineMs ?? 4000);
  timer.unref();
  const again = () => force('signal');
  for (const s of SIGNALS) proc.once(s, again);
  try {
    await stop();
  } finally {
    clearTimeout(timer);
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
