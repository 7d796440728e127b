import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createInProcessBus } from '../../../core/bus.js';
import { silentLogger } from '../../../core/logger.js';
import type { ProbeResult, TrapResult } from '../../../core/types.js';
import { createCollector, type Collector } from '../../../collector/collector.js';
import { testConfig, testDevice, testInventory } from './helpers.js';
import { until } from '../../helpers/wait.js';

const run = promisify(execFile);
const configDir = new URL('../../../config', import.meta.url).pathname;

describe('collector/traps with Debian snmptrap', function () {
  this.timeout(30_000);
  const port = 20000 + Math.floor(Math.random() * 30000);
  const seen: ProbeResult[] = [];
  let collector: Collector;

  before(async () => {
    const bus = createInProcessBus();
    bus.subscribe('probe.result', (r) => {
      seen.push(r);
    });
    const config = testConfig({
      credentials: {
        snmp: {
          v2: { version: 'v2c', community: 'public' },
          v3: {
            version: 'v3',
            user: 'pantau',
            level: 'authPriv',
            authProtocol: 'sha',
            authKey: 'pantau-lab-auth',
            privProtocol: 'aes',
            privKey: 'pantau-lab-priv',
          },
        },
      },
      // Long intervals: this test is about traps, the scheduler should stay quiet.
      collector: {
        traps: { enabled: true, address: '127.0.0.1', port },
        intervals: { icmp: 3600, snmp: 3600, onvif: 3600 },
      },
    });
    // snmptrap to 127.0.0.1 leaves from 127.0.0.1: that is the device's address.
    const inventory = testInventory([testDevice('fo-trap', '127.0.0.1', { icmp: { enabled: false } })]);
    collector = createCollector({ config, inventory, bus, logger: silentLogger(), configDir });
    await collector.start();
  });
  after(async () => {
    await collector?.stop();
  });

  const snmptrap = (args: string[]) => run('snmptrap', args, { env: { ...process.env, MIBS: '' } });

  it('a v2c linkDown becomes a TrapResult within 1 s', async () => {
    const t0 = Date.now();
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'public',
      `127.0.0.1:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.3',
      'i',
      '3',
      '1.3.6.1.2.1.2.2.1.2.3',
      's',
      'sfp-sfpplus1',
    ]);
    const tSent = Date.now();
    const r = await until(
      () => seen.find((x): x is TrapResult => x.kind === 'trap' && x.trap === 'linkDown'),
      1000,
      'linkDown trap',
    );
    // Measured from snmptrap's exit (it sends just before): process start-up under load is not ours.
    expect(Date.now() - tSent).to.be.lessThan(1000);
    expect(r.ts).to.be.at.least(t0);
    expect(r).to.deep.include({
      deviceId: 'fo-trap',
      ok: false,
      trapOid: '1.3.6.1.6.3.1.1.5.3',
      source: '127.0.0.1',
      ifIndex: 3,
      ifName: 'sfp-sfpplus1',
    });
  });

  it('v1 linkUp and coldStart are recognised too', async () => {
    await snmptrap([
      '-v',
      '1',
      '-c',
      'public',
      `127.0.0.1:${port}`,
      '1.3.6.1.4.1.14988',
      '127.0.0.1',
      '3',
      '0',
      '',
      '1.3.6.1.2.1.2.2.1.1.3',
      'i',
      '3',
    ]);
    await snmptrap(['-v', '2c', '-c', 'public', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    const up = await until(
      () => seen.find((x): x is TrapResult => x.kind === 'trap' && x.trap === 'linkUp'),
      1000,
      'linkUp',
    );
    expect(up).to.deep.include({ ok: true, ifIndex: 3 });
    await until(() => seen.find((x) => x.kind === 'trap' && x.trap === 'coldStart'), 1000, 'coldStart');
  });

  it('ignores a trap with an unknown community', async () => {
    const before = seen.length;
    await snmptrap(['-v', '2c', '-c', 'wrong', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3']);
    await snmptrap(['-v', '2c', '-c', 'public', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.2']);
    await until(() => seen.find((x) => x.kind === 'trap' && x.trap === 'warmStart'), 1000, 'warmStart');
    expect(seen.slice(before).map((x) => (x as TrapResult).trap)).to.deep.equal(['warmStart']);
  });

  it('a v3 authPriv trap (SHA/AES) from a configured user is accepted; a wrong key is not', async () => {
    const v3 = (authKey: string) => [
      '-v3',
      '-l',
      'authPriv',
      '-u',
      'pantau',
      '-a',
      'SHA',
      '-A',
      authKey,
      '-x',
      'AES',
      '-X',
      'pantau-lab-priv',
      '-e',
      '0x80001f8880aabbccdd',
      `127.0.0.1:${port}`,
      '',
    ];
    const before = seen.length;
    await snmptrap([...v3('wrong-auth-key'), '1.3.6.1.6.3.1.1.5.4']);
    await snmptrap([...v3('pantau-lab-auth'), '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.7', 'i', '7']);
    const r = await until(
      () => seen.slice(before).find((x): x is TrapResult => x.kind === 'trap' && x.ifIndex === 7),
      1000,
      'v3 linkDown',
    );
    expect(r.trap).to.equal('linkDown');
    expect(
      seen
        .slice(before)
        .filter((x) => x.kind === 'trap')
        .map((x) => (x as TrapResult).trap),
    ).to.deep.equal(['linkDown']);
  });
});
