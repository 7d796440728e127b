import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distState, listSources, sourceStamp, staleReason } from '../../../bin/dist.mjs';
import { runtimeLogLine } from '../../../cli/runtime.js';
import { findPackageRoot, PACKAGE_ROOT } from '../../../core/paths.js';

/** A scratch package: package.json, a few sources, optionally a dist/ stamp. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pantau-dist-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  mkdirSync(join(dir, 'cli', 'commands'), { recursive: true });
  mkdirSync(join(dir, 'core'));
  writeFileSync(join(dir, 'cli', 'main.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'cli', 'commands', 'start.ts'), 'export const b = 2;\n');
  writeFileSync(join(dir, 'core', 'x.test.ts'), 'not a source\n');
  writeFileSync(join(dir, 'core', 'y.d.ts'), 'not a source\n');
  writeFileSync(join(dir, 'core', 'notes.md'), 'not a source\n');
  return dir;
}

function stampDist(dir: string): void {
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'cli', 'main.js'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'dist', 'BUILD.json'), JSON.stringify(sourceStamp(dir)));
}

describe('cli: the prebuilt tree (bin/dist.mjs, ADR 0011)', () => {
  let dir = '';
  beforeEach(() => {
    dir = scratch();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists only run-time TypeScript sources (no tests, no .d.ts, no other files)', () => {
    expect(listSources(dir)).to.deep.equal(['cli/commands/start.ts', 'cli/main.ts']);
  });

  it('a missing dist/ is stale, with the command that builds it', () => {
    expect(distState(dir)).to.deep.equal({ fresh: false, reason: 'dist/ is missing (npm run build)' });
  });

  it('dist/ built from the sources as they are is fresh', () => {
    stampDist(dir);
    expect(distState(dir)).to.deep.equal({ fresh: true });
  });

  it('an edited, touched, added or removed source makes dist/ stale', () => {
    stampDist(dir);
    writeFileSync(join(dir, 'cli', 'main.ts'), 'export const a = 10;\n');
    expect(distState(dir).fresh, 'edited (size)').to.equal(false);

    stampDist(dir);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'cli', 'main.ts'), later, later);
    expect(distState(dir).fresh, 'touched (mtime, e.g. git pull)').to.equal(false);

    stampDist(dir);
    writeFileSync(join(dir, 'core', 'new.ts'), '');
    expect(distState(dir).reason).to.match(/has 2 files, the sources 3/);

    stampDist(dir);
    rmSync(join(dir, 'cli', 'commands', 'start.ts'));
    expect(distState(dir).fresh, 'removed').to.equal(false);
  });

  it('an install with only dist/ (no sources, the container image) runs dist/', () => {
    stampDist(dir);
    rmSync(join(dir, 'cli'), { recursive: true });
    mkdirSync(join(dir, 'cli'));
    expect(staleReason({ files: 2, bytes: 40, newestMtimeMs: 1 }, sourceStamp(dir))).to.equal(null);
  });

  it('a damaged stamp is stale, not trusted', () => {
    stampDist(dir);
    writeFileSync(join(dir, 'dist', 'BUILD.json'), '{"files":"2"');
    expect(distState(dir)).to.deep.equal({ fresh: false, reason: 'dist/ has no build stamp (npm run build)' });
  });
});

describe('core/paths: the package root from the sources and from dist/', () => {
  it('finds package.json above core/ and above dist/core/', () => {
    expect(findPackageRoot(join(PACKAGE_ROOT, 'core'))).to.equal(PACKAGE_ROOT);
    expect(findPackageRoot(join(PACKAGE_ROOT, 'dist', 'core'))).to.equal(PACKAGE_ROOT);
  });
});

describe('cli/runtime: the start-up line says how pantau runs', () => {
  it('names tsx and why, or dist/', () => {
    const tsx = runtimeLogLine({ code: 'tsx', reason: 'dist/ is missing (npm run build)' });
    expect(tsx.fields).to.deep.equal({ code: 'tsx', reason: 'dist/ is missing (npm run build)' });
    expect(tsx.msg).to.match(/sumber TypeScript.*npm run build/);
    expect(runtimeLogLine({ code: 'dist' }).msg).to.match(/dist\//);
  });
});
