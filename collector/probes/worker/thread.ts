/**
 * A probe worker thread (started by pool.ts through boot.mjs): builds the probers of its kinds from
 * the same definitions the collector uses and runs what the collector sends, one message per run.
 * Results go back as plain data; log lines go back as pino JSON and are re-logged by the collector.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { OnvifCredential, SnmpCredential } from '../../../core/config/sections/credentials.js';
import { REDACT_PATHS } from '../../../core/logger.js';
import type { ProbeResult } from '../../../core/types.js';
import type { PolledKind, Prober } from '../definition.js';
import { probeOf } from '../list.js';
import { decodeSecrets, type FromWorker, type ToWorker, type WorkerInit } from './wire.js';

const port = parentPort!;
const { init, index } = workerData as { init: WorkerInit; index: number };
const send = (m: FromWorker) => port.postMessage(m);

const logger = pino(
  { level: init.logLevel, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' }, base: { probeWorker: index } },
  { write: (line: string) => send({ op: 'log', line }) },
);

const probers = new Map<PolledKind, Prober<ProbeResult>>();
try {
  const credentials = decodeSecrets(init.credentials) as {
    snmp: Record<string, SnmpCredential>;
    onvif: Record<string, OnvifCredential>;
  };
  for (const kind of init.kinds) {
    probers.set(
      kind,
      probeOf(kind).create({
        settings: init.settings[kind],
        timeoutMs: init.timeoutsMs[kind]!,
        credentials,
        configDir: init.configDir,
        profilesDir: init.profilesDir,
        now: Date.now,
        logger,
        hooks: {},
      }) as Prober<ProbeResult>,
    );
  }
} catch (err) {
  send({ op: 'fatal', message: String((err as Error)?.message ?? err) });
  process.exit(1);
}

const running = new Map<number, AbortController>();

port.on('message', (m: ToWorker) => {
  if (m.op === 'abort') {
    running.get(m.id)?.abort(new DOMException(m.reason.message, m.reason.name));
    return;
  }
  if (m.op === 'forget') {
    for (const p of probers.values()) p.forget?.(m.deviceId);
    return;
  }
  const prober = probers.get(m.kind);
  if (!prober) {
    send({ op: 'failed', id: m.id, message: `probe worker has no ${m.kind} prober` });
    return;
  }
  const ac = new AbortController();
  running.set(m.id, ac);
  prober
    .run(m.devices, { signal: ac.signal })
    .then(
      (results) => send({ op: 'done', id: m.id, results }),
      (err: unknown) => send({ op: 'failed', id: m.id, message: String((err as Error)?.message ?? err).slice(0, 300) }),
    )
    .finally(() => running.delete(m.id));
});

send({ op: 'ready' });
