import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The module boundaries of ADR 0004 (eslint.boundaries.js) are a lint rule: these lint real text
 * as if it sat at a path inside a module, with the repository's own eslint.config.js.
 */
describe('lint: module boundaries (ADR 0004)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const boundaryErrors = async (text: string, filePath: string) => {
    const [res] = await eslint.lintText(text, { filePath: join(REPO_ROOT, filePath) });
    return (res?.messages ?? [])
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.line);
  };

  it('fails the fixture: the page importing the server, history, and core/config values', async () => {
    const fixture = readFileSync(join(REPO_ROOT, 'test/fixtures/lint/web-imports-server.ts.txt'), 'utf8');
    expect(await boundaryErrors(fixture, 'web/src/boundary-fixture.ts')).to.deep.equal([3, 4, 5]);
  });

  it('lets the page import core/ (and only types from its zod parts)', async () => {
    const ok =
      "import { DEVICE_TYPES } from '../../core/vocabulary/device-types.js';\nimport type { Config } from '../../core/config/schema.js';\nexport const x: [typeof DEVICE_TYPES, Config | null] = [DEVICE_TYPES, null];\n";
    expect(await boundaryErrors(ok, 'web/src/boundary-fixture.ts')).to.deep.equal([]);
  });

  const cases: [string, string, string, boolean][] = [
    ['dashboards → collector', 'dashboards/src/dashboards/x.ts', '../../../collector/collector.js', false],
    ['dashboards → core', 'dashboards/src/dashboards/x.ts', '../../../core/vocabulary/measurements.js', true],
    ['alerting → server', 'alerting/engine/x.ts', '../../server/server.js', false],
    ['alerting → the probe registry', 'alerting/rules/x.ts', '../../collector/probes/list.js', true],
    ["alerting → a probe kind's files", 'alerting/rules/x.ts', '../../collector/probes/snmp/probe.js', false],
    ['core → alerting', 'core/config/x.ts', '../../alerting/alerting.js', false],
    ['collector → alerting', 'collector/probes/icmp/x.ts', '../../../alerting/i18n.js', false],
    ['bench → a unit test fixture', 'bench/x.ts', '../test/unit/core/fixtures.js', false],
    ['bench → the test helpers', 'bench/x.ts', '../test/helpers/influxd.js', true],
    ['server → history', 'server/http/x.ts', '../../history/service.js', true],
    ['server (not a root) → collector', 'server/http/x.ts', '../../collector/collector.js', false],
    ['server/main.ts (composition root) → collector', 'server/main.ts', '../collector/collector.js', true],
    ['cli (composition root) → anything', 'cli/commands/x.ts', '../../server/main.js', true],
  ];
  for (const [name, file, spec, allowed] of cases) {
    it(`${allowed ? 'allows' : 'forbids'} ${name}`, async () => {
      const text = `import { x } from '${spec}';\nexport const y = x;\n`;
      expect(await boundaryErrors(text, file)).to.have.length(allowed ? 0 : 1);
    });
  }
});
