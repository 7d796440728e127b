import { Resolver } from 'node:dns/promises';
import type { ProbeError } from '../../../core/types.js';
import { probeErrorOf } from '../net-errors.js';

export interface DnsOutcome {
  ok: boolean;
  error?: ProbeError;
  name: string;
  answers: string[];
  ms: number | null;
}

/** Pure: the answers against what is expected (any expected value present is right). */
export function judgeDns(answers: readonly string[], expect: readonly string[] | null): ProbeError | undefined {
  if (answers.length === 0) return { code: 'PANTAU_PROBE_DNS_NXDOMAIN', message: 'no records' };
  if (expect && !answers.some((a) => expect.includes(a.replace(/\.$/, ''))))
    return { code: 'PANTAU_PROBE_DNS_MISMATCH', message: `got ${answers.join(', ')} (expected ${expect.join(', ')})` };
  return undefined;
}

/** One query with c-ares (node's Resolver), one try, cancelled on abort. */
export async function runDnsCheck(o: {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  server: string;
  expect: readonly string[] | null;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<DnsOutcome> {
  const r = new Resolver({ timeout: Math.max(100, o.timeoutMs - 100), tries: 1 });
  if (o.server) r.setServers([o.server]);
  const onAbort = () => r.cancel();
  o.signal.addEventListener('abort', onAbort, { once: true });
  const t0 = performance.now();
  try {
    const answers =
      o.type === 'A'
        ? await r.resolve4(o.name)
        : o.type === 'AAAA'
          ? await r.resolve6(o.name)
          : await r.resolveCname(o.name);
    const ms = Math.round((performance.now() - t0) * 100) / 100;
    const error = judgeDns(answers, o.expect);
    return { ok: error === undefined, ...(error ? { error } : {}), name: o.name, answers, ms };
  } catch (err) {
    // A server that is not there answers ICMP port-unreachable: c-ares says ECONNREFUSED.
    return {
      ok: false,
      error: probeErrorOf(err, { refused: 'PANTAU_PROBE_DNS_SERVFAIL', timedOut: o.signal.aborted }),
      name: o.name,
      answers: [],
      ms: null,
    };
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
}
