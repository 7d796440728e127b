import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchReport } from '../../../bench/run.js';

/**
 * `npm run bench -- --quick` keeps working: every benchmark runs at tiny sizes against its real
 * peer and reports finite figures. Never judges a figure (speed is the full run's business,
 * docs/performance.md); it fails when a benchmark crashes or reports nothing.
 */
describe('bench: npm run bench -- --quick (every comparison, tiny sizes)', function () {
  this.timeout(900_000);
  it('runs every section without an error and reports finite figures beside their peers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-bench-quick-'));
    try {
      const out = join(dir, 'quick.json');
      // Already inside the test suite's private network namespace (scripts/test-all.sh).
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', `--out=${out}`], {
        encoding: 'utf8',
        env: { ...process.env, PANTAU_BENCH_NETNS: '1' },
        timeout: 840_000,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`.slice(-4000)).to.equal(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
      expect(report.quick).to.equal(true);
      const failed = report.sections.filter((s) => s.status === 'error').map((s) => `${s.name}: ${s.error}`);
      expect(failed, 'sections that crashed').to.deep.equal([]);
      const mine = ['snmp', 'icmp', 'writes', 'alert-spread'];
      for (const name of mine) expect(report.sections.find((s) => s.name === name)?.status, name).to.equal('ok');
      for (const s of report.sections.filter((x) => x.status === 'ok')) {
        expect(s.figures.length, `${s.name} figures`).to.be.greaterThan(0);
        for (const f of s.figures) {
          expect(Number.isFinite(f.pantau), `${f.id} pantau`).to.equal(true);
          if (f.peer) expect(Number.isFinite(f.peer.value) && f.peer.value > 0, `${f.id} peer`).to.equal(true);
        }
      }
      expect(report.machine.cpus).to.be.greaterThan(0);
      expect(report.loadavgStart).to.have.length(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
