import { expect } from 'chai';
import type { Alert } from '../../../core/types.js';
import { alertVisibleTo, can, type Permission } from '../../../server/auth/roles.js';
import { startOfWibDay } from '../../../server/http/routes-data.js';
import type { Role, SessionUser } from '../../../core/realtime.js';

const user = (role: Role, groups: string[] = []): SessionUser => ({
  id: 1,
  username: role,
  displayName: role,
  role,
  groups,
});

describe('server/auth/roles', () => {
  const table: [Role, Permission, boolean][] = [
    ['admin', 'users', true],
    ['admin', 'ack', true],
    ['operator', 'ack', true],
    ['operator', 'maintenance', true],
    ['operator', 'users', false],
    ['technician', 'ack', true],
    ['technician', 'maintenance', false],
    ['viewer', 'read', true],
    ['viewer', 'ack', false],
    ['viewer', 'maintenance', false],
  ];
  for (const [role, p, ok] of table)
    it(`${role} ${ok ? 'may' : 'may not'} ${p}`, () => expect(can(user(role), p)).to.equal(ok));

  it('shows a technician only alerts routed to one of their groups', () => {
    const a = { kecamatan: 'Lengkiti' } as Alert;
    const routing = { routedGroups: (x: Alert) => (x.kecamatan === 'Lengkiti' ? ['tim-barat'] : ['noc']) };
    expect(alertVisibleTo(user('technician', ['tim-barat']), a, routing)).to.equal(true);
    expect(alertVisibleTo(user('technician', ['tim-timur']), a, routing)).to.equal(false);
    expect(alertVisibleTo(user('viewer'), a, routing)).to.equal(true);
  });

  it('starts "today" at midnight WIB', () => {
    // 2026-11-28 01:00 UTC = 08:00 WIB → the WIB day began 2026-11-27 17:00 UTC
    expect(new Date(startOfWibDay(Date.UTC(2026, 10, 28, 1))).toISOString()).to.equal('2026-11-27T17:00:00.000Z');
    // 18:00 UTC is already the next WIB day (01:00 WIB)
    expect(new Date(startOfWibDay(Date.UTC(2026, 10, 28, 18))).toISOString()).to.equal('2026-11-28T17:00:00.000Z');
  });
});
