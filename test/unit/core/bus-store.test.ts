import { expect } from 'chai';
import { createInProcessBus } from '../../../core/bus.js';
import { openStore } from '../../../core/store/store.js';
import { silentLogger } from '../../../core/logger.js';
import { tempTree } from '../../helpers/tmp.js';
import type { IcmpResult } from '../../../core/types.js';

const icmp = (deviceId: string): IcmpResult => ({
  kind: 'icmp',
  deviceId,
  ts: 1,
  durationMs: 1,
  ok: true,
  sent: 3,
  received: 3,
  lossPct: 0,
  rttMinMs: 1,
  rttAvgMs: 1,
  rttMaxMs: 1,
  jitterMs: 0,
});

describe('core/bus', () => {
  it('delivers in publish order, never inside publish, and survives a throwing handler', async () => {
    const bus = createInProcessBus({ logger: silentLogger() });
    const seen: string[] = [];
    bus.subscribe('probe.result', () => {
      throw new Error('boom');
    });
    bus.subscribe('probe.result', (r) => {
      seen.push(r.deviceId);
    });
    bus.publish('probe.result', icmp('a'));
    bus.publish('probe.result', icmp('b'));
    expect(seen).to.deep.equal([]);
    await bus.drain();
    expect(seen).to.deep.equal(['a', 'b']);
  });

  it('stops delivering after unsubscribe and after close', async () => {
    const bus = createInProcessBus();
    let n = 0;
    const off = bus.subscribe('probe.result', () => {
      n++;
    });
    bus.publish('probe.result', icmp('a'));
    await bus.drain();
    off();
    bus.publish('probe.result', icmp('a'));
    await bus.close();
    bus.publish('probe.result', icmp('a'));
    expect(n).to.equal(1);
  });
});

describe('core/store', () => {
  it("applies each module's migrations once, in order, and keeps data across reopen", () => {
    const t = tempTree({});
    try {
      const path = t.path('db/pantau.db');
      const migrations = [
        { version: 2, sql: 'ALTER TABLE things ADD COLUMN label TEXT' },
        { version: 1, sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY)' },
      ];
      let store = openStore(path);
      store.migrate('test', migrations);
      store.db.prepare('INSERT INTO things (id, label) VALUES (1, ?)').run('x');
      store.close();
      store = openStore(path);
      store.migrate('test', migrations);
      store.migrate('other', [{ version: 1, sql: 'CREATE TABLE other_things (id INTEGER)' }]);
      expect(store.db.prepare('SELECT label FROM things').get()).to.deep.equal({ label: 'x' });
      const rows = store.db.prepare('SELECT module, version FROM schema_migrations ORDER BY module, version').all();
      expect(rows).to.deep.equal([
        { module: 'other', version: 1 },
        { module: 'test', version: 1 },
        { module: 'test', version: 2 },
      ]);
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const store = openStore(':memory:');
    expect(() => store.migrate('bad', [{ version: 1, sql: 'CREATE TABLE t (id INTEGER); NOT SQL' }])).to.throw();
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'bad'").get()).to.deep.equal({
      n: 0,
    });
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).to.equal(undefined);
    store.close();
  });
});
