import { expect } from 'chai';
import type { Alert } from '../../../core/types.js';
import { behindKinds } from '../../../web/src/schedule.js';

const alert = (over: Partial<Alert>): Alert => ({
  id: 'x',
  key: 'k',
  rule: 'pantau_health',
  deviceId: 'pantau',
  deviceType: '',
  kecamatan: '',
  severity: 'warning',
  status: 'open',
  messageKey: 'alert.pantau_health',
  params: {},
  title: 't',
  affected: [],
  openedAt: 1,
  updatedAt: 1,
  ...over,
});

describe('web/schedule', () => {
  it('lists the kinds behind schedule from open pantau_health alerts only', () => {
    const r = behindKinds([
      alert({ params: { component: 'schedule.snmp', message: 'snmp late' } }),
      alert({ params: { component: 'schedule.icmp', message: 'icmp late' } }),
      alert({ params: { component: 'schedule.onvif', message: 'old' }, status: 'resolved' }),
      alert({ params: { component: 'sink', message: 'outbox full' } }),
      alert({ rule: 'device_down', params: { component: 'schedule.icmp' } }),
    ]);
    expect(r.kinds).to.deep.equal(['ICMP', 'SNMP']);
    expect(r.messages).to.deep.equal(['snmp late', 'icmp late']);
    expect(behindKinds([]).kinds).to.deep.equal([]);
  });
});
