import { expect } from 'chai';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { DASHBOARDS } from '../../../dashboards/src/index.js';
import { panelsOf, queriesOf, variablesOf } from '../../../dashboards/src/inspect.js';
import { DATASOURCE, TIMEZONE } from '../../../dashboards/src/common.js';

const require = createRequire(import.meta.url);

/** JSON Schema of @grafana/schema's Dashboard type (the raw v1 dashboard model Grafana stores). */
function dashboardSchema(): object {
  const pkg = dirname(require.resolve('@grafana/schema/package.json'));
  return createGenerator({
    path: join(pkg, 'dist/types/raw/dashboard/x/types.gen.d.ts'),
    type: 'Dashboard',
    // Panel options, InfluxQL targets and legacy annotation keys are plugin-defined: allowed.
    additionalProperties: true,
    skipTypeCheck: true,
  }).createSchema('Dashboard');
}

describe('dashboards/schema', function () {
  // Generating the schema walks @grafana/schema's types: ~2 s idle, more on a loaded machine.
  this.timeout(60_000);
  let validate: ReturnType<Ajv['compile']>;
  before(() => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(dashboardSchema());
  });

  it('the generated schema rejects a dashboard that breaks it', () => {
    expect(validate({ title: 'x' }), 'schemaVersion is required').to.equal(false);
    expect(validate({ schemaVersion: 42, panels: [{ title: 'no type' }] }), 'a panel needs a type').to.equal(false);
    expect(
      validate({ schemaVersion: 42, panels: [{ type: 'stat', gridPos: { x: 0, y: 0, w: 'wide', h: 4 } }] }),
    ).to.equal(false);
  });

  for (const spec of DASHBOARDS) {
    describe(spec.file, () => {
      const d = JSON.parse(JSON.stringify(spec.build())) as Record<string, unknown>;

      it('validates against the @grafana/schema Dashboard JSON Schema', () => {
        const ok = validate(d);
        expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).to.equal(true);
      });

      it('is in WIB, has a pantau uid, and every panel reads the pantau InfluxDB with InfluxQL', () => {
        expect(d['timezone']).to.equal(TIMEZONE);
        expect(d['uid']).to.match(/^pantau-[a-z-]+$/);
        const panels = panelsOf(d) as Array<{
          title?: string;
          datasource?: unknown;
          targets?: Array<Record<string, unknown>>;
        }>;
        expect(panels.length).to.be.greaterThan(3);
        for (const p of panels) {
          expect(p.title, 'every panel has a title').to.be.a('string').and.not.equal('');
          expect(p.datasource).to.deep.equal(DATASOURCE);
          expect(p.targets?.length, `panel ${p.title} has no query`).to.be.greaterThan(0);
          for (const t of p.targets ?? []) {
            expect(t).to.include({ rawQuery: true });
            expect(t['resultFormat']).to.be.oneOf(['time_series', 'table']);
            expect(t['refId']).to.match(/^[A-Z]$/);
          }
        }
      });

      it('has unique panel ids and every query variable is defined before use', () => {
        const ids = (d['panels'] as Array<{ id: number; panels?: Array<{ id: number }> }>).flatMap((p) => [
          p.id,
          ...(p.panels ?? []).map((c) => c.id),
        ]);
        expect(new Set(ids).size).to.equal(ids.length);
        const vars = variablesOf(d).map((v) => v.name);
        for (const q of queriesOf(d)) {
          for (const m of q.query.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
            if (m[1] === 'timeFilter' || m[1]?.startsWith('__') || m[1]?.startsWith('tag_')) continue;
            expect(vars, `${q.where} uses $${m[1]}`).to.include(m[1]);
          }
        }
      });
    });
  }
});
