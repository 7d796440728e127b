import { expect } from 'chai';
import { groupsNamedByRouting, scopeUser } from '../../../server/auth/scope.js';
import { alertVisibleTo } from '../../../server/auth/roles.js';
import type { Alert } from '../../../core/types.js';
import type { SessionUser } from '../../../core/realtime.js';

const tech = (groups: string[]): SessionUser => ({
  id: 1,
  username: 't',
  displayName: 't',
  role: 'technician',
  groups,
});
const alert = { id: 'a', kecamatan: 'Lengkiti' } as Alert;
const routedTo = (groups: string[]) => ({ routedGroups: () => groups });

describe('server/auth/scope', () => {
  it('collects every group a route or escalation step names', () => {
    expect(
      [...groupsNamedByRouting([{ groups: ['a'], escalate: [{ groups: ['b'] }] }, { groups: ['c'] }])].sort(),
    ).to.deep.equal(['a', 'b', 'c']);
    expect(groupsNamedByRouting([]).size).to.equal(0);
  });
  const cases: { name: string; user: SessionUser; receiving: Set<string> | undefined; allAlerts: boolean }[] = [
    {
      name: 'shipped routing: [] → a technician sees all',
      user: tech(['tim-barat']),
      receiving: new Set(),
      allAlerts: true,
    },
    {
      name: 'a technician whose group no route names sees all',
      user: tech(['tim-barat']),
      receiving: new Set(['tim-timur']),
      allAlerts: true,
    },
    {
      name: 'a routed technician is scoped',
      user: tech(['tim-timur']),
      receiving: new Set(['tim-timur']),
      allAlerts: false,
    },
    {
      name: 'no routing known (tests without config) → scoped',
      user: tech(['x']),
      receiving: undefined,
      allAlerts: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const u = scopeUser(c.user, c.receiving);
      expect(!!u.allAlerts).to.equal(c.allAlerts);
      // an alert routed elsewhere: visible exactly when the technician sees all
      expect(alertVisibleTo(u, alert, routedTo(['noc']))).to.equal(c.allAlerts);
    });
  }
  it('leaves other roles alone', () => {
    const op: SessionUser = { ...tech([]), role: 'operator' };
    expect(scopeUser(op, new Set())).to.equal(op);
  });
});
