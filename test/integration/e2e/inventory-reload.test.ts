/**
 * End to end through startPantau: an admin edits the inventory file while pantau runs; the
 * collector's file watcher → reloadInventory → server.updateInventory, and REST shows the change.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createLogger } from '../../../core/logger.js';
import { startPantau, type RunningPantau } from '../../../server/main.js';
import { PASSWORD, writeFastConfig } from './stack.js';
import { until } from '../../helpers/wait.js';

describe('e2e: editing the inventory file while pantau runs', function () {
  this.timeout(120_000);
  let dir: string;
  let pantau: RunningPantau | undefined;
  after(async () => {
    await pantau?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a device added to the file appears over REST, a removed one disappears', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pantau-invreload-'));
    // The core and its distribution nodes: a small, valid inventory of our own to edit.
    const all = (
      parse(readFileSync('config/inventory/oku.yaml', 'utf8')) as { devices: Array<Record<string, unknown>> }
    ).devices;
    const devices = all.filter((d) => d['id'] === 'fo-core' || d['parent'] === 'fo-core');
    const invPath = join(dir, 'inventory.yaml');
    writeFileSync(invPath, stringify({ devices }));
    const configPath = writeFastConfig(dir);
    const cfg = parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    cfg['inventory'] = [invPath];
    writeFileSync(configPath, stringify(cfg));

    pantau = await startPantau({
      configPath,
      env: {},
      logger: createLogger({ level: process.env['PANTAU_TEST_LOG'] ?? 'warn' }),
      host: '127.0.0.1',
      port: 0,
    });
    await pantau.server.users.add({ username: 'operator', role: 'operator', password: PASSWORD, groups: ['noc'] });
    const base = `http://127.0.0.1:${pantau.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const ids = async () => {
      const res = await fetch(`${base}/api/devices`, { headers: { cookie } });
      return ((await res.json()) as { devices: Array<{ id: string }> }).devices.map((d) => d.id);
    };
    const before = await ids();
    expect(before).to.have.length(devices.length);

    const removed = devices.at(-1)!['id'] as string;
    const added = { ...devices[1]!, id: 'fo-baru-01', name: 'Node Baru', address: '127.20.250.1' };
    writeFileSync(invPath, stringify({ devices: [...devices.slice(0, -1), added] }));

    const after = await until(
      async () => {
        const now = await ids();
        return now.includes('fo-baru-01') ? now : undefined;
      },
      30_000,
      'the added device over REST',
      100,
    );
    expect(after).to.not.include(removed);
    expect(after).to.have.length(devices.length);
    const one = await fetch(`${base}/api/devices/fo-baru-01`, { headers: { cookie } });
    expect(one.status).to.equal(200);
    expect((await fetch(`${base}/api/devices/${removed}`, { headers: { cookie } })).status).to.equal(404);
  });
});
