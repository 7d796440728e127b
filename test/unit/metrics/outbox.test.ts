import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openOutbox } from '../../../metrics/outbox.js';
import { lineTimestamp, toLine, type Point } from '../../../metrics/point.js';

const point = (ts: number): Point => ({
  measurement: 'icmp',
  tags: { device: 'd', kecamatan: 'Ulu Ogan' },
  fields: { up: 1, state: 'UP' },
  ts,
});
const pt = (ts: number): string => toLine(point(ts));

describe('metrics/outbox', () => {
  it('keeps points in order across a reopen (durable) and round-trips them exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-outbox-'));
    try {
      const a = openOutbox(join(dir, 'o.db'), 1000);
      a.append([pt(1), pt(2), pt(3)]);
      a.remove([a.peek(1)[0]!.id]);
      a.close();
      const b = openOutbox(join(dir, 'o.db'), 1000);
      expect(b.size()).to.equal(2);
      expect(b.peek(10).map((r) => r.line)).to.deep.equal([pt(2), pt(3)]);
      b.remove(b.peek(10).map((r) => r.id));
      b.append([pt(4)]);
      // ids keep growing after the table emptied (AUTOINCREMENT): order stays write order.
      expect(b.peek(10).map((r) => lineTimestamp(r.line))).to.deep.equal([4]);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops the oldest at the bound and reports how many', () => {
    const o = openOutbox(':memory:', 1000);
    expect(o.append(Array.from({ length: 900 }, (_, i) => pt(i)))).to.deep.equal({ dropped: 0 });
    expect(o.append(Array.from({ length: 300 }, (_, i) => pt(900 + i)))).to.deep.equal({ dropped: 200 });
    expect(o.size()).to.equal(1000);
    expect(lineTimestamp(o.peek(1)[0]!.line)).to.equal(200);
    // One append larger than the bound keeps only its newest points.
    expect(o.append(Array.from({ length: 1500 }, (_, i) => pt(5000 + i)))).to.deep.equal({ dropped: 1500 });
    expect(lineTimestamp(o.peek(1)[0]!.line)).to.equal(5500);
    expect(o.size()).to.equal(1000);
    o.close();
  });

  it('stores quarantined lines with status and reason', () => {
    const o = openOutbox(':memory:', 1000);
    o.quarantine([{ at: 1, line: 'system x=1 5', status: 400, error: 'field type conflict' }]);
    expect(o.quarantineCount()).to.equal(1);
    expect(o.quarantined()[0]).to.include({ line: 'system x=1 5', status: 400, error: 'field type conflict' });
    o.close();
  });

  it('converts rows an older pantau left as JSON into line protocol, in order, on open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-outbox-'));
    try {
      const path = join(dir, 'o.db');
      // The version 1 layout, exactly as the first outbox wrote it.
      const db = new Database(path);
      db.exec(`CREATE TABLE schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version));
        INSERT INTO schema_migrations VALUES ('metrics-outbox', 1, 0);
        CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, point TEXT NOT NULL);
        CREATE TABLE quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, line TEXT NOT NULL, status INTEGER, error TEXT NOT NULL);`);
      const ins = db.prepare('INSERT INTO outbox (point) VALUES (?)');
      for (const ts of [7, 8, 9]) {
        const p = point(ts);
        ins.run(JSON.stringify([p.measurement, p.tags, p.fields, p.ts]));
      }
      db.close();
      const o = openOutbox(path, 1000);
      expect(o.size()).to.equal(3);
      expect(o.peek(10).map((r) => r.line)).to.deep.equal([pt(7), pt(8), pt(9)]);
      expect(pt(7)).to.equal('icmp,device=d,kecamatan=Ulu\\ Ogan state="UP",up=1 7');
      o.append([pt(10)]);
      expect(o.peek(10, o.peek(2)[1]!.id).map((r) => lineTimestamp(r.line))).to.deep.equal([9, 10]);
      o.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
