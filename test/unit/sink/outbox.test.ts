import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox } from '../../../collector/sink/outbox.js';
import type { Point } from '../../../collector/sink/point.js';

const pt = (ts: number): Point => ({ measurement: 'icmp', tags: { device: 'd', kecamatan: 'Ulu Ogan' }, fields: { up: 1, state: 'UP' }, ts });

describe('collector/sink/outbox', () => {
  it('keeps points in order across a reopen (durable) and round-trips them exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pantau-outbox-'));
    try {
      const a = openOutbox(join(dir, 'o.db'), 1000);
      a.append([pt(1), pt(2), pt(3)]);
      a.remove([a.peek(1)[0]!.id]);
      a.close();
      const b = openOutbox(join(dir, 'o.db'), 1000);
      expect(b.size()).to.equal(2);
      expect(b.peek(10).map((r) => r.point)).to.deep.equal([pt(2), pt(3)]);
      b.remove(b.peek(10).map((r) => r.id));
      b.append([pt(4)]);
      // ids keep growing after the table emptied (AUTOINCREMENT): order stays write order.
      expect(b.peek(10).map((r) => r.point.ts)).to.deep.equal([4]);
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
    expect(o.peek(1)[0]!.point.ts).to.equal(200);
    // One append larger than the bound keeps only its newest points.
    expect(o.append(Array.from({ length: 1500 }, (_, i) => pt(5000 + i)))).to.deep.equal({ dropped: 1500 });
    expect(o.peek(1)[0]!.point.ts).to.equal(5500);
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
});
