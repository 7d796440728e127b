import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parse, stringify } from 'yaml';
import { main } from '../../../cli/main.js';
import { loadConfig } from '../../../core/config/load.js';
import { openStore } from '../../../core/store/store.js';
import { createUserStore } from '../../../server/auth/users.js';
import { route, technicianRoutingWarnings } from '../../../alerting/notify/routing.js';
import type { Alert } from '../../../core/types.js';
import { tempTree } from '../../helpers/tmp.js';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const w = (f: (s: string) => void) =>
    new Writable({
      write(c, _e, cb) {
        f(String(c));
        cb();
      },
    });
  const code = await main(args, {
    stdout: w((s) => {
      out += s;
    }),
    stderr: w((s) => {
      err += s;
    }),
    env: {},
  });
  return { code, stdout: out, stderr: err };
}

describe('technicians never see a false all-clear (routing in the shipped config, pantau validate)', () => {
  const shipped = loadConfig('config/pantau.yaml', {});

  it("the shipped config routes every kecamatan's alerts, warning and critical, to a technician group", () => {
    const kec = [...new Set(shipped.inventory.devices.map((d) => d.kecamatan))];
    expect(kec).to.have.length(13);
    for (const k of kec) {
      for (const severity of ['warning', 'critical'] as const) {
        const groups = route(shipped.config.alerting.routing, {
          kecamatan: k,
          deviceType: 'fiber',
          severity,
        } as Alert).groups;
        expect(
          groups.filter((g) => g.startsWith('teknisi-')),
          `${k} ${severity}`,
        ).to.have.length(1);
      }
    }
  });

  it('warns per technician whose groups no route names (pure)', () => {
    const w = technicianRoutingWarnings(
      [
        { username: 'budi', role: 'technician', groups: ['teknisi-barat'] },
        { username: 'sari', role: 'technician', groups: ['tim-lama'] },
        { username: 'eko', role: 'technician', groups: [] },
        { username: 'ops', role: 'operator', groups: [] },
      ],
      shipped.config.alerting.routing,
    );
    expect(w).to.have.length(2);
    expect(w[0]).to.match(/^technician "sari" is in "tim-lama", which no route/);
    expect(w[1]).to.match(/^technician "eko" belongs to no notification group/);
  });

  it("pantau validate reads the store's technicians and warns about the unrouted one, exit 0", async function () {
    this.timeout(20_000);
    const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, unknown>;
    cfg['inventory'] = [resolve('config/inventory/oku.yaml')];
    // validate checks everything start loads (issue 13): the copied config's rules file must resolve.
    (cfg['alerting'] as Record<string, unknown>)['rulesFile'] = resolve('config/rules/default.yaml');
    cfg['store'] = { path: 'pantau.db' };
    const t = tempTree({ 'pantau.yaml': stringify(cfg) });
    try {
      const store = openStore(t.path('pantau.db'));
      const users = createUserStore(store, { now: () => 0 });
      await users.add({ username: 'budi', role: 'technician', password: 'rahasia-123', groups: ['teknisi-barat'] });
      await users.add({ username: 'sari', role: 'technician', password: 'rahasia-123', groups: ['tim-lama'] });
      store.close();
      const r = await run(['validate', '--config', t.path('pantau.yaml')]);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.match(/warning: technician "sari" is in "tim-lama"/);
      expect(r.stderr).not.to.include('budi');
      expect(r.stderr).not.to.include('kecamatan');
    } finally {
      t.cleanup();
    }
  });

  it('pantau validate warns about kecamatan no route covers', async () => {
    const cfg = parse(readFileSync('config/pantau.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    cfg['inventory'] = [resolve('config/inventory/oku.yaml')] as never;
    cfg['store'] = { path: 'pantau.db' };
    cfg['alerting']!['routing'] = [{ match: { kecamatan: ['Lengkiti'] }, groups: ['teknisi-barat'] }];
    cfg['alerting']!['rulesFile'] = resolve('config/rules/default.yaml');
    const t = tempTree({ 'pantau.yaml': stringify(cfg) });
    try {
      const r = await run(['validate', '--config', t.path('pantau.yaml')]);
      expect(r.code).to.equal(0);
      expect(r.stderr.match(/kecamatan "/g)).to.have.length(12);
      expect(r.stderr).to.include('kecamatan "Baturaja Timur": no route');
    } finally {
      t.cleanup();
    }
  });
});
