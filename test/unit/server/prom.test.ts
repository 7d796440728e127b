import { expect } from 'chai';
import * as full from 'prom-client';
import { collectDefaultMetrics, Counter, Registry } from '../../../server/http/prom.js';

/**
 * server/http/prom.ts loads prom-client from its own files without @opentelemetry/api (ADR 0011):
 * /metrics must stay what prom-client's collectDefaultMetrics gives, name for name and type for type.
 */
describe('server/prom: prom-client without @opentelemetry/api', () => {
  it('the default metrics have prom-client’s names, types and help texts', async () => {
    const ours = new Registry();
    collectDefaultMetrics({ register: ours, prefix: 'pantau_' });
    const theirs = new full.Registry();
    full.collectDefaultMetrics({ register: theirs, prefix: 'pantau_' });
    const shape = async (r: { getMetricsAsJSON(): Promise<Array<{ name: string; type: unknown; help: string }>> }) =>
      (await r.getMetricsAsJSON()).map((m) => `${m.name} ${String(m.type)} ${m.help}`).sort();
    const a = await shape(ours);
    expect(a).to.deep.equal(await shape(theirs));
    expect(a.some((l) => l.startsWith('pantau_process_cpu_seconds_total counter'))).to.equal(true);
  });

  it('process CPU seconds grow with work, user + system = total', async () => {
    const r = new Registry();
    collectDefaultMetrics({ register: r, prefix: 'p_' });
    const value = async (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await r.metrics())?.[1] ?? NaN);
    await r.metrics();
    const end = Date.now() + 60;
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    const text = await r.metrics();
    const [u, s, t] = [
      'p_process_cpu_user_seconds_total',
      'p_process_cpu_system_seconds_total',
      'p_process_cpu_seconds_total',
    ].map((n) => Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN));
    expect(u).to.be.greaterThan(0.03);
    expect(t).to.be.closeTo(u! + s!, 1e-6);
    expect(await value('p_process_cpu_seconds_total')).to.be.at.least(t!);
    expect(x).to.be.greaterThan(0);
  });

  it('the classes are prom-client’s own', () => {
    expect(Counter).to.equal(full.Counter);
    expect(Registry).to.equal(full.Registry);
  });
});
