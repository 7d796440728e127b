import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBES } from '../../../collector/probes/list.js';
import { CHANNELS } from '../../../alerting/notify/channels/list.js';
import { DEVICE_TYPES } from '../../../core/vocabulary/device-types.js';
import { SEVERITIES } from '../../../core/vocabulary/severities.js';
import { SHIPPED_VENDORS } from '../../../core/inventory/schema.js';
import { DASHBOARDS } from '../../../dashboards/src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** A real example for each placeholder, so every listed path can be checked. */
const EXAMPLE: Record<string, string> = {
  kind: 'icmp',
  name: 'telegram',
  vendor: 'mikrotik',
  dashboard: 'noc-overview',
  view: 'history-page',
};

interface Section {
  title: string;
  count: number;
  files: string[];
}

/** `## Title` … `Files it touches: N` and the `- \`path\`` lines right after it. */
function sections(md: string): Section[] {
  const out: Section[] = [];
  for (const part of md.split(/^## /m).slice(1)) {
    const title = part.split('\n')[0]!;
    const m = /^Files it touches: (\d+)\n((?:- `[^`]+`.*\n?)*)/m.exec(part);
    if (!m) continue;
    out.push({ title, count: Number(m[1]), files: [...m[2]!.matchAll(/^- `([^`]+)`/gm)].map((x) => x[1]!) });
  }
  return out;
}

/** Source files of the repository (no generated, vendored or test files). */
function sources(dir = ROOT): string[] {
  const skip = new Set(['node_modules', '.git', 'dist', 'generated', 'test', 'results', 'artifacts', '.pantau']);
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return skip.has(f) ? [] : sources(p);
    return /\.(ts|mjs|js)$/.test(f) ? [relative(ROOT, p)] : [];
  });
}

describe('docs/contributing.md', () => {
  const md = read('docs/contributing.md');
  const all = sections(md);

  it('names the files of every extension point: probe, channel, vendor, dashboard panel, rule, device type, page view', () => {
    expect(all.map((s) => s.title.split(' (')[0])).to.deep.equal([
      'A probe kind',
      'A notification channel',
      'A vendor',
      'A dashboard panel',
      'An alert rule',
      'A device type',
      'A page view',
    ]);
  });

  for (const s of all) {
    it(`${s.title}: the count says how many files are listed, and each exists`, () => {
      expect(s.files, s.title).to.have.length(s.count);
      for (const f of s.files) {
        const path = f.replace(/<(\w+)>/g, (_, k: string) => EXAMPLE[k] ?? `<${k}>`);
        expect(existsSync(join(ROOT, path)), `${s.title}: ${path}`).to.equal(true);
      }
    });
  }

  // The counts stay true only while each list is the ONE place: these fail when an entry is missing
  // from its list or a second hand-written list appears elsewhere.
  it('probe kinds: every kind folder in collector/probes/ is in the list, and the list is every kind folder', () => {
    // A kind's folder has its schema part (schema.ts); other folders (the worker pool) are not kinds.
    const folders = readdirSync(join(ROOT, 'collector/probes')).filter((f) =>
      existsSync(join(ROOT, 'collector/probes', f, 'schema.ts')),
    );
    expect(PROBES.map((p) => p.kind as string).sort()).to.deep.equal(folders.sort());
  });

  it('channels: every file in alerting/notify/channels/ is in CHANNELS', () => {
    const files = readdirSync(join(ROOT, 'alerting/notify/channels'))
      .filter((f) => !['channel.ts', 'list.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(CHANNELS.map((c) => c.name as string).sort()).to.deep.equal(files.sort());
  });

  it('vendors: SHIPPED_VENDORS is the profiles folder', () => {
    const files = readdirSync(join(ROOT, 'config/profiles'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect([...SHIPPED_VENDORS].sort()).to.deep.equal(files.sort());
  });

  it('dashboards: every file in dashboards/src/dashboards/ is in DASHBOARDS and generated', () => {
    const files = readdirSync(join(ROOT, 'dashboards/src/dashboards')).map((f) => f.replace(/\.ts$/, '.json'));
    expect(DASHBOARDS.map((d) => d.file).sort()).to.deep.equal(files.sort());
    for (const f of files) expect(existsSync(join(ROOT, 'dashboards/generated', f)), f).to.equal(true);
  });

  for (const [what, names, home] of [
    ['device types', DEVICE_TYPES as readonly string[], 'core/vocabulary/device-types.ts'],
    ['channel names', CHANNELS.map((c) => c.name) as readonly string[], 'alerting/notify/channels/list.ts'],
    ['severities', SEVERITIES as readonly string[], 'core/vocabulary/severities.ts'],
  ] as const) {
    it(`no source file but ${home} lists all the ${what} by hand`, () => {
      // Three or more of the names quoted in a row, in any order: a hand-written copy of the list.
      const quoted = `'(?:${names.join('|')})'`;
      const copy = new RegExp(`${quoted}(?:\\s*,\\s*${quoted}){${Math.min(names.length, 3) - 1},}`);
      const copies = sources().filter((f) => f !== home && copy.test(read(f)));
      expect(copies).to.deep.equal([]);
    });
  }
});
