/**
 * ICMP sweep of N loopback hosts (1,000; quick: 100), one echo each with a 500 ms timeout:
 *   pantau   the collector's fping engine (collector/probes/icmp/client.ts), as the collector runs it
 *   fping    raw `fping -c1 -t500 -q -i1` over the same hosts (the floor)
 *   blackbox prometheus-blackbox-exporter, module icmp, /probe per host, 50 scrapes at a time
 * Wall time and CPU (this process + children for pantau and fping; the exporter's own process).
 * Alternating order, 5 rounds (quick: 1), medians.
 *   unshare -n bash -c 'ip link set lo up && node --import tsx bench/icmp-peer.ts [--quick]'
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createFpingEngine, findBinary } from '../collector/probes/icmp/client.js';
import { childrenCpuMs, load1, median, selfCpuMs, type BenchFigure, type BenchOptions } from './figure.js';
import { scrapeAll, startExporter } from './peers.js';

function rawFping(bin: string, hosts: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-c1', '-t500', '-q', '-i1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => (code !== null && code <= 1 ? resolve() : reject(new Error(`fping exited ${code}`))));
    child.stdin.end(`${hosts.join('\n')}\n`);
  });
}

export async function run(opts: BenchOptions): Promise<BenchFigure[]> {
  const n = opts.quick ? 100 : 1000;
  const rounds = opts.quick ? 1 : 5;
  const hosts = Array.from({ length: n }, (_, i) => `127.9.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const fping = await findBinary('fping');
  if (!fping) throw new Error('fping not found (scripts/install-system-deps.sh)');
  const engine = createFpingEngine(fping);
  const tmp = mkdtempSync(join(tmpdir(), 'pantau-bench-icmp-'));
  const cfg = join(tmp, 'blackbox.yml');
  writeFileSync(
    cfg,
    'modules:\n  icmp:\n    prober: icmp\n    timeout: 1s\n    icmp:\n      preferred_ip_protocol: ip4\n',
  );
  const blackbox = await startExporter('/usr/bin/prometheus-blackbox-exporter', (listen) => [
    `--config.file=${cfg}`,
    `--web.listen-address=${listen}`,
  ]);
  const r = {
    pantau: [] as number[],
    pantauCpu: [] as number[],
    fping: [] as number[],
    fpingCpu: [] as number[],
    bb: [] as number[],
    bbCpu: [] as number[],
  };
  try {
    const measure = async (who: string) => {
      const c0 = selfCpuMs() + childrenCpuMs();
      const t0 = performance.now();
      if (who === 'pantau') {
        const res = await engine.sweep(hosts, {
          count: 1,
          intervalMs: 20,
          timeoutMs: 500,
          signal: AbortSignal.timeout(60_000),
        });
        const alive = [...res.values()].filter((s) => s.received > 0).length;
        if (alive < n) throw new Error(`pantau: only ${alive}/${n} hosts answered`);
        r.pantau.push(performance.now() - t0);
        r.pantauCpu.push(selfCpuMs() + childrenCpuMs() - c0);
      } else if (who === 'fping') {
        await rawFping(fping, hosts);
        r.fping.push(performance.now() - t0);
        r.fpingCpu.push(selfCpuMs() + childrenCpuMs() - c0);
      } else {
        const b0 = blackbox.cpuMs();
        const good = await scrapeAll(
          hosts.map((h) => `${blackbox.url}/probe?target=${h}&module=icmp`),
          50,
          (b) => /probe_success 1/.test(b),
        );
        if (good < n) throw new Error(`blackbox: only ${good}/${n} probes succeeded`);
        r.bb.push(performance.now() - t0);
        r.bbCpu.push(blackbox.cpuMs() - b0);
      }
    };
    for (let i = 0; i < rounds; i++) {
      const order = [
        ['pantau', 'fping', 'blackbox'],
        ['blackbox', 'fping', 'pantau'],
        ['fping', 'pantau', 'blackbox'],
      ][i % 3]!;
      for (const who of order) await measure(who);
      opts.log.info(
        `icmp round ${i + 1}: pantau ${Math.round(r.pantau.at(-1)!)} ms, fping ${Math.round(r.fping.at(-1)!)} ms, blackbox ${Math.round(r.bb.at(-1)!)} ms (load ${load1()})`,
      );
    }
  } finally {
    await blackbox.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const note = `${n} loopback hosts, one echo each, 500 ms timeout; ${rounds} alternating rounds, medians`;
  const ms = (xs: number[]) => xs.map(Math.round);
  return [
    {
      id: 'icmp.sweep.fping',
      title: `ICMP sweep, ${n} hosts (wall)`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(r.pantau)),
      samples: ms(r.pantau),
      peer: { name: 'raw fping -c1 -t500 -i1', value: Math.round(median(r.fping)), samples: ms(r.fping) },
      goal: { op: '<=', value: 1.2, of: 'ratio' },
      note: `${note}; pantau = the collector's fping engine`,
    },
    {
      id: 'icmp.sweep.blackbox',
      title: `ICMP sweep, ${n} hosts (wall) vs blackbox_exporter`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(r.pantau)),
      samples: ms(r.pantau),
      peer: {
        name: 'prometheus-blackbox-exporter, 50 scrapes at a time',
        value: Math.round(median(r.bb)),
        samples: ms(r.bb),
      },
      note,
    },
    {
      id: 'icmp.sweep.cpu',
      title: `ICMP sweep, ${n} hosts (CPU)`,
      unit: 'ms',
      better: 'lower',
      pantau: Math.round(median(r.pantauCpu)),
      samples: ms(r.pantauCpu),
      peer: {
        name: 'prometheus-blackbox-exporter (its process)',
        value: Math.round(median(r.bbCpu)),
        samples: ms(r.bbCpu),
      },
      note: `pantau: node + fping child; raw fping alone: ${Math.round(median(r.fpingCpu))} ms`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(
    JSON.stringify(
      await run({ quick: process.argv.includes('--quick'), log: { info: (m) => console.log(m) } }),
      null,
      2,
    ),
  );
}
