import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { parseFpingC, statsFromRtts, type PingStats } from './parse.js';

export type IcmpEngineName = 'fping' | 'ping';

export interface IcmpOptions {
  count: number;
  intervalMs: number;
  timeoutMs: number;
  /** Between any two packets of the sweep (fping -i); default 1 ms. */
  spacingMs?: number;
  signal: AbortSignal;
}

/** Sweeps many hosts at once; a host that is missing from the map did not answer at all. */
export interface IcmpEngine {
  name: IcmpEngineName;
  sweep(hosts: readonly string[], opts: IcmpOptions): Promise<Map<string, PingStats>>;
}

const PATH_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin', '/usr/local/sbin'];

export async function findBinary(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const dirs = [...(env['PATH'] ?? '').split(':').filter(Boolean), ...PATH_DIRS];
  // Synchronous on purpose: fs.promises.access waits for libuv's thread pool, which a busy start-up
  // (module loading, dozens of SNMP/ONVIF probes) held for seconds while the first sweep's timeout
  // was already running — every first ping of `pantau poll --once` then failed as a timeout.
  for (const d of dirs) {
    const p = `${d}/${name}`;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* try the next folder */
    }
  }
  return null;
}

/** One fping process for the whole batch: hosts go in on stdin, so 1,000 hosts never hit ARG_MAX. */
export function createFpingEngine(binary: string): IcmpEngine {
  return {
    name: 'fping',
    sweep(hosts, opts) {
      if (hosts.length === 0) return Promise.resolve(new Map());
      return new Promise((resolve, reject) => {
        // -i: pause between any two packets of the run (fping 5 takes fractions of a ms), -p: per host.
        const args = [
          '-C',
          String(opts.count),
          '-q',
          '-i',
          String(opts.spacingMs ?? 1),
          '-p',
          String(Math.max(opts.intervalMs, 1)),
          '-t',
          String(opts.timeoutMs),
          '-r',
          '0',
        ];
        const child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'], signal: opts.signal });
        let stderr = '';
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d: string) => {
          stderr += d;
        });
        child.on('error', (err) => reject(err));
        // fping exits 1 when some host is unreachable and 2 on resolver errors: both are results.
        child.on('close', (code) => {
          if (code !== null && code > 2) reject(new Error(`fping exited ${code}: ${stderr.slice(0, 200)}`));
          else resolve(parseFpingC(stderr));
        });
        // fping may die (signal, abort) before reading its host list: the EPIPE is not ours to crash on;
        // its exit code/'error' event above reports the failure.
        child.stdin.on('error', () => {});
        child.stdin.end(`${hosts.join('\n')}\n`);
      });
    },
  };
}

/** Fallback: npm `ping` runs the system ping once per host, so bound how many run at once. */
export function createPingEngine(concurrency = 50): IcmpEngine {
  return {
    name: 'ping',
    async sweep(hosts, opts) {
      const ping = (await import('ping')).default;
      const out = new Map<string, PingStats>();
      let next = 0;
      const worker = async () => {
        while (next < hosts.length && !opts.signal.aborted) {
          const host = hosts[next++]!;
          try {
            const r = await ping.promise.probe(host, {
              timeout: Math.max(1, Math.ceil(opts.timeoutMs / 1000)),
              extra: ['-c', String(opts.count), '-i', String(Math.max(opts.intervalMs, 200) / 1000)],
            });
            const times = (r as { times?: number[] }).times ?? [];
            const rtts: (number | null)[] = times.map(Number);
            while (rtts.length < opts.count) rtts.push(null);
            out.set(host, statsFromRtts(rtts.slice(0, opts.count)));
          } catch {
            // ping missing or failed: leave the host out, the caller reports it unreachable
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, hosts.length) }, worker));
      return out;
    },
  };
}

/** `auto` prefers fping (one process per sweep; see docs/adr/0200). */
export async function pickIcmpEngine(
  choice: 'auto' | 'fping' | 'ping',
  env: NodeJS.ProcessEnv = process.env,
): Promise<IcmpEngine> {
  if (choice === 'ping') return createPingEngine();
  const fping = await findBinary('fping', env);
  if (fping) return createFpingEngine(fping);
  if (choice === 'fping') throw new Error('fping not found on PATH');
  return createPingEngine();
}
