/**
 * Clean stops (issue 12 item 5), end to end with the shipped defaults: `pantau lab --generate`
 * writes a config for its devices (`--write-config`), `pantau start` polls them, and both stop
 * within 5 s of SIGTERM / SIGINT with exit code 0 and no unhandled rejection, while probes are in
 * flight. 1,000 devices keep the test short; bench/scale.ts measures the same stop at 10,000.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { until } from '../../helpers/wait.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

function run(args: string[]) {
  const child = spawn(process.execPath, ['bin/pantau.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PANTAU_LOG_LEVEL: 'info' },
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, out: () => out, exited };
}

/** Waits for `ok` while the process runs: a process that exits first fails the wait at once, with its output. */
function whileRunning(
  what: string,
  ok: () => boolean | Promise<boolean>,
  p: { child: ChildProcess; out: () => string },
  ms = 150_000,
) {
  return until(
    async () => {
      if (p.child.exitCode !== null)
        throw new Error(`${what}: exited with ${p.child.exitCode}:\n${p.out().slice(-3000)}`);
      return ok();
    },
    ms,
    what,
    250,
    () => p.out().slice(-3000),
  );
}

async function stopTimed(p: ReturnType<typeof run>, sig: NodeJS.Signals) {
  const t0 = performance.now();
  p.child.kill(sig);
  const code = await Promise.race([p.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
  if (code === 'hung') p.child.kill('SIGKILL');
  return { code, ms: performance.now() - t0 };
}

describe('clean stops: pantau start and pantau lab (1,000 generated devices, shipped defaults)', function () {
  this.timeout(240_000);
  let dir: string;
  let lab: ReturnType<typeof run> | undefined;
  let pantau: ReturnType<typeof run> | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-stop-'));
  });
  after(() => {
    for (const p of [pantau, lab]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('both stop within 5 s of the signal, exit 0, with no unhandled rejection, while probes are in flight', async () => {
    const cfg = join(dir, 'scale');
    lab = run([
      'lab',
      '--generate',
      '1000',
      '--netns',
      'none',
      '--write-config',
      cfg,
      '--control',
      String(await freePort()),
    ]);
    const l = lab;
    await whileRunning(
      'lab ready',
      () => /kontrol \/ control/.test(l.out()) && existsSync(join(cfg, 'pantau.yaml')),
      l,
    );
    const file = join(cfg, 'pantau.yaml');
    const port = await freePort();
    // The generated config is the shipped one; only the HTTP port moves (several tests share loopback).
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+)port: 3000$/m, `$1port: ${port}`));
    pantau = run(['start', '--config', file]);
    const p = pantau;
    await whileRunning(
      'pantau serving',
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      p,
    );
    // Polls running: the schedule counters move.
    await whileRunning(
      'polls completed',
      async () => {
        const m = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
        return Number(/^pantau_polls_completed_total\{kind="icmp"\} (\d+)/m.exec(m)?.[1] ?? 0) >= 1000;
      },
      p,
      60_000,
    );

    const s1 = await stopTimed(p, 'SIGTERM');
    expect(s1.code, p.out().slice(-2000)).to.equal(0);
    expect(s1.ms).to.be.lessThan(5000);
    expect(p.out()).to.not.match(/unhandled|AbortError|collector stopping/i);
    expect(p.out()).to.include('berhenti / stopped');

    const s2 = await stopTimed(l, 'SIGINT');
    expect(s2.code, l.out().slice(-2000)).to.equal(0);
    expect(s2.ms).to.be.lessThan(5000);
    expect(l.out())
      .to.include('[lab] selesai / stopped')
      .and.not.match(/unhandled/i);
  });
});
