/**
 * Probe worker threads (ADR 0208): SNMP and ONVIF runs leave the main thread, which keeps the
 * scheduler, the alert engine, SQLite and the server. Each worker builds the probers of the
 * offloaded kinds itself; a device always goes to the same worker (shardOf), so per-device prober
 * state (counter rates, reboots) stays in one place. A worker that dies fails its runs in flight
 * (the collector reports them as PANTAU_PROBE_INTERNAL) and is started again.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../core/logger.js';
import { CODE_EXT } from '../../../core/paths.js';
import type { Device, ProbeResult } from '../../../core/types.js';
import { abortReason } from '../../probe-error.js';
import type { PolledKind, Prober } from '../definition.js';
import { LEVEL_NAMES, shardOf, type FromWorker, type ToWorker, type WorkerInit } from './wire.js';

export interface ProbeWorkers {
  /** A prober for `kind` whose runs happen in the workers. */
  prober(kind: PolledKind): Prober<ProbeResult>;
  /** Resolves once every worker built its probers; rejects with the first worker's start-up error. */
  ready(): Promise<void>;
  /** Stops the workers: runs still in flight fail. */
  close(): Promise<void>;
  readonly size: number;
}

interface Pending {
  resolve: (r: ProbeResult[]) => void;
  reject: (e: Error) => void;
}

// From the sources a worker loads thread.ts through boot.mjs (tsx's require hook); from the prebuilt
// tree (dist/, ADR 0011) it runs thread.js directly.
const BOOT = new URL(CODE_EXT === '.js' ? './thread.js' : './boot.mjs', import.meta.url);

export function startProbeWorkers(opts: { count: number; init: WorkerInit; logger: Logger }): ProbeWorkers {
  const log = opts.logger.child({ module: 'collector/workers' });
  let closing = false;
  let nextId = 1;

  /** Re-logs a worker's pino line through the collector's logger (level, fields and message kept; `probeWorker` says which). */
  function relog(line: string) {
    try {
      const {
        level,
        msg,
        time: _t,
        ...fields
      } = JSON.parse(line) as Record<string, unknown> & { level: number; msg?: string };
      opts.logger[LEVEL_NAMES[level] ?? 'info'](fields, msg ?? '');
    } catch {
      log.info(line.trim());
    }
  }

  class Slot {
    worker!: Worker;
    readonly pending = new Map<number, Pending>();
    ready!: Promise<void>;
    constructor(readonly index: number) {
      this.spawn();
    }
    spawn() {
      const w = new Worker(BOOT, {
        workerData: { init: opts.init, index: this.index },
        name: `pantau-probes-${this.index}`,
      });
      this.worker = w;
      this.ready = new Promise<void>((resolve, reject) => {
        w.on('message', (m: FromWorker) => {
          if (m.op === 'ready') return resolve();
          if (m.op === 'fatal') return reject(new Error(`probe worker: ${m.message}`));
          if (m.op === 'log') return relog(m.line);
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if (m.op === 'done') p.resolve(m.results);
          else p.reject(new Error(m.message));
        });
        w.on('error', (err) => {
          reject(err);
          if (!closing) log.error({ err, worker: this.index }, 'probe worker failed');
        });
        w.on('exit', (code) => {
          reject(new Error(`probe worker exited (${code})`));
          const gone = new Error(`probe worker ${this.index} exited (${code})`);
          for (const p of this.pending.values()) p.reject(gone);
          this.pending.clear();
          if (closing || this.worker !== w) return;
          log.error({ worker: this.index, code }, 'probe worker exited: starting it again');
          this.spawn();
          this.ready.catch((err: unknown) =>
            log.error({ err, worker: this.index }, 'probe worker did not start again'),
          );
        });
      });
      // Nobody may await a restarted worker's readiness: its failure is logged above.
      this.ready.catch(() => {});
      // Workers never keep the process alive on their own.
      w.unref();
    }
    post(m: ToWorker) {
      this.worker.postMessage(m);
    }
    run(kind: PolledKind, devices: Device[], signal: AbortSignal): Promise<ProbeResult[]> {
      const id = nextId++;
      return new Promise<ProbeResult[]>((resolve, reject) => {
        const onAbort = () => {
          const r = abortReason(signal);
          this.post({ op: 'abort', id, reason: { name: r.name, message: r.message } });
        };
        const settle = () => signal.removeEventListener('abort', onAbort);
        this.pending.set(id, {
          resolve: (v) => {
            settle();
            resolve(v);
          },
          reject: (e) => {
            settle();
            reject(e);
          },
        });
        this.post({ op: 'run', id, kind, devices });
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  const slots = Array.from({ length: Math.max(1, opts.count) }, (_, i) => new Slot(i));

  return {
    size: slots.length,
    prober(kind) {
      return {
        async run(devices, { signal }) {
          const byShard = new Map<number, Device[]>();
          for (const d of devices) {
            const s = shardOf(d.id, slots.length);
            const list = byShard.get(s);
            if (list) list.push(d);
            else byShard.set(s, [d]);
          }
          const parts = await Promise.all([...byShard].map(([s, list]) => slots[s]!.run(kind, list, signal)));
          return parts.flat();
        },
        forget(deviceId) {
          slots[shardOf(deviceId, slots.length)]!.post({ op: 'forget', deviceId });
        },
      };
    },
    ready: () => Promise.all(slots.map((s) => s.ready)).then(() => undefined),
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
