import { expect } from 'chai';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDashboards, renderDashboards, writeDashboards, GENERATED_DIR } from '../../../dashboards/src/build.js';
import { main } from '../../../cli/main.js';

function sink() {
  let text = '';
  return {
    stream: {
      write: (s: string) => {
        text += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

describe('dashboards/generated', () => {
  it('the committed dashboard JSON is current (run `npx pantau dashboards build` when this fails)', async () => {
    const r = await checkDashboards(GENERATED_DIR);
    expect(r, 'dashboards/generated is stale: run npx pantau dashboards build').to.deep.equal({
      stale: [],
      missing: [],
      extra: [],
    });
  });

  it('`pantau dashboards build --check` exits 0 on the committed tree', async () => {
    const out = sink();
    const err = sink();
    const code = await main(['dashboards', 'build', '--check'], { stdout: out.stream, stderr: err.stream });
    expect(code, err.text()).to.equal(0);
    expect(out.text()).to.match(/current/);
  });

  it("`pantau dashboards build --config` builds another regency's dashboards in its zone (Makassar, WITA)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pantau-dash-region-'));
    try {
      const out = sink();
      const err = sink();
      const code = await main(
        ['dashboards', 'build', '--config', 'config/examples/makassar/pantau.yaml', '--out', dir],
        { stdout: out.stream, stderr: err.stream },
      );
      expect(code, err.text()).to.equal(0);
      for (const file of renderDashboards().keys()) {
        const d = JSON.parse(await readFile(join(dir, file), 'utf8')) as { timezone: string; description: string };
        expect(d.timezone, file).to.equal('Asia/Makassar');
        expect(d.description, file).to.not.match(/\bWIB\b|\bOKU\b/);
      }
      const overview = JSON.parse(await readFile(join(dir, 'noc-overview.json'), 'utf8')) as { description: string };
      expect(overview.description).to.include('Makassar').and.include('Waktu WITA');
      // OKU's (the committed ones) are untouched by the option's existence.
      expect(JSON.parse(renderDashboards().get('noc-overview.json')!).timezone).to.equal('Asia/Jakarta');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('check against a scratch folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pantau-dash-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports missing, stale and left-over files', async () => {
      await writeDashboards(dir);
      const [first] = [...renderDashboards().keys()];
      if (!first) throw new Error('no dashboards');
      const text = await readFile(join(dir, first), 'utf8');
      await writeFile(join(dir, first), text.replace('"Asia/Jakarta"', '"browser"'));
      await writeFile(join(dir, 'old.json'), '{}\n');
      expect(await checkDashboards(dir)).to.deep.equal({ stale: [first], missing: [], extra: ['old.json'] });
      await rm(join(dir, first));
      expect((await checkDashboards(dir)).missing).to.deep.equal([first]);
    });

    it('is clean right after a build', async () => {
      await writeDashboards(dir);
      expect(await checkDashboards(dir)).to.deep.equal({ stale: [], missing: [], extra: [] });
    });
  });
});
