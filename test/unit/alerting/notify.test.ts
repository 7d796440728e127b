import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { route } from '../../../alerting/notify/routing.js';
import { NotifyError } from '../../../alerting/notify/channels/channel.js';
import { telegramTransport } from '../../../alerting/notify/channels/telegram.js';
import { signWebhook } from '../../../alerting/notify/channels/webhook.js';
import { batchText, createRenderer, noticeText, breakdown } from '../../../alerting/i18n.js';
import { windowActive } from '../../../alerting/maintenance.js';
import { alertingSection } from '../../../core/config/sections/alerting.js';
import { createLogger } from '../../../core/logger.js';
import { createInProcessBus } from '../../../core/bus.js';
import { openStore } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { createAlerting } from '../../../alerting/alerting.js';
import { Secret } from '../../../core/secret.js';
import type { Alert } from '../../../core/types.js';
import { alertingConfig, createWorld, okuInventory } from './support.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'A-00007',
  key: 'device_down:fo-lengkiti-01',
  rule: 'device_down',
  deviceId: 'fo-lengkiti-01',
  deviceType: 'fiber',
  kecamatan: 'Lengkiti',
  severity: 'critical',
  status: 'open',
  messageKey: 'alert.device_down',
  params: {
    device: 'Node fiber Kantor Camat Lengkiti',
    deviceId: 'fo-lengkiti-01',
    count: 7,
    fiber: 0,
    cctv: 3,
    wifi: 4,
    village: 0,
  },
  title: '',
  affected: [],
  openedAt: Date.UTC(2026, 10, 28, 1, 15, 3),
  updatedAt: Date.UTC(2026, 10, 28, 1, 15, 3),
  ...over,
});

describe('alerting/notify', () => {
  describe('routing', () => {
    const routes = alertingSection.parse({
      notifications: { groups: { lengkiti: {}, noc: {}, kabid: {}, cctv: {} } },
      routing: [
        {
          match: { kecamatan: ['Lengkiti'] },
          groups: ['lengkiti'],
          escalate: [
            { afterMin: 15, groups: ['noc'] },
            { afterMin: 60, groups: ['kabid'] },
          ],
          continue: true,
        },
        { match: { type: ['cctv'] }, groups: ['cctv'] },
        { match: { severity: ['critical'] }, groups: ['noc'] },
      ],
    }).routing;
    const cases: { name: string; a: Partial<Alert>; groups: string[]; escalate: string[][] }[] = [
      {
        name: 'kecamatan match continues to the severity route; noc is not escalated to twice',
        a: {},
        groups: ['lengkiti', 'noc'],
        escalate: [['kabid']],
      },
      {
        name: 'type route stops evaluation',
        a: { deviceType: 'cctv' },
        groups: ['lengkiti', 'cctv'],
        escalate: [['noc'], ['kabid']],
      },
      { name: 'no match → nobody', a: { kecamatan: 'Peninjauan', severity: 'warning' }, groups: [], escalate: [] },
      { name: 'severity only', a: { kecamatan: 'Peninjauan' }, groups: ['noc'], escalate: [] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = route(routes, alert(c.a));
        expect(r.groups).to.deep.equal(c.groups);
        expect(r.escalate.map((e) => e.groups)).to.deep.equal(c.escalate);
      });
    }
    it('config rejects routes to unknown groups and recipients without a transport, with paths', () => {
      const res = alertingSection.safeParse({
        notifications: { groups: { noc: { telegram: ['-1'] } } },
        routing: [{ groups: ['nope'] }],
      });
      expect(res.success).to.equal(false);
      const msgs = res.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      expect(msgs).to.include('routing.0: unknown notification group "nope" (define it under notifications.groups)');
      expect(msgs).to.include(
        'notifications.groups.noc.telegram: telegram recipients need notifications.telegram (botToken)',
      );
    });
    it('secrets are Secret objects that print redacted', () => {
      const cfg = alertingSection.parse({
        notifications: { telegram: { botToken: 'abc:123' }, webhook: { secret: 's3cret' } },
      });
      expect(cfg.notifications.telegram!.botToken).to.be.instanceOf(Secret);
      expect(JSON.stringify(cfg)).to.not.include('abc:123').and.not.include('s3cret');
    });
  });

  describe('templates', () => {
    const r = createRenderer([]);
    it('renders the issue example in Bahasa Indonesia, WIB', () => {
      expect(r.title('alert.device_down', alert().params, 'id')).to.equal(
        'Node fiber Kantor Camat Lengkiti mati — 7 perangkat tidak terjangkau (3 CCTV, 4 Wi-Fi)',
      );
      expect(noticeText(r, alert(), 'open', 'id')).to.equal(
        '🔴 KRITIS: Node fiber Kantor Camat Lengkiti mati — 7 perangkat tidak terjangkau (3 CCTV, 4 Wi-Fi)\nKec. Lengkiti · 28/11/2026 08.15.03 WIB · A-00007',
      );
    });
    it('and in English', () => {
      expect(noticeText(r, alert(), 'open', 'en')).to.match(
        /^🔴 CRITICAL: Node fiber Kantor Camat Lengkiti DOWN — 7 devices unreachable \(3 CCTV, 4 Wi-Fi\)/,
      );
      expect(breakdown({ village: 2, fiber: 1 }, 'en')).to.equal('1 fiber, 2 village internet');
    });
    it('recovery says how long it lasted; escalation says why', () => {
      const resolved = alert({ status: 'resolved', resolvedAt: alert().openedAt + 75 * 60_000 });
      expect(noticeText(r, resolved, 'resolved', 'id')).to.equal(
        '✅ PULIH: Node fiber Kantor Camat Lengkiti kembali normal — 7 perangkat terjangkau lagi\nKec. Lengkiti · Lama gangguan 1 jam 15 menit · pulih 28/11/2026 09.30.03 WIB',
      );
      expect(noticeText(r, alert(), 'escalated', 'id', { escalatedAfterMin: 15 })).to.include(
        '⏫ Eskalasi: belum diakui selama 15 menit',
      );
    });
    it('a region in WITA writes its messages in WITA (issue 13)', () => {
      const wita = createRenderer([], 'WITA');
      expect(noticeText(wita, alert(), 'open', 'id')).to.include('· 28/11/2026 09.15.03 WITA · A-00007');
    });
    it('a storm becomes one message', () => {
      expect(batchText(['a\nx', 'b\ny'], 'id')).to.deep.equal({
        subject: 'pantau: 2 pemberitahuan',
        text: 'pantau: 2 pemberitahuan\n\na\nx\n\nb\ny',
      });
      expect(batchText(['a\nx'], 'id')).to.deep.equal({ subject: 'a', text: 'a\nx' });
    });
  });

  it('webhook signature is HMAC-SHA256 over "<timestamp>.<body>"', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac k
    expect(signWebhook('k', '1700000000', '{"a":1}')).to.equal(
      'sha256=1b6ad1bc9bf48c52ce01939866d5877c6cc4e87ddad27e16673cb8c4964394a3',
    );
    expect(signWebhook('k', '1', 'x')).to.not.equal(signWebhook('k', '2', 'x'));
    expect(signWebhook('k', '1', 'x')).to.match(/^sha256=[0-9a-f]{64}$/);
  });

  it('maintenance: weekly recurrence on the given WIB weekdays only', () => {
    // 2026-11-29 is a Sunday. 01:00 WIB Sunday = Saturday 18:00 UTC.
    const w = {
      id: 'w',
      deviceId: 'x',
      subtree: false,
      reason: '',
      createdBy: '',
      startsAt: 0,
      endsAt: Date.UTC(2030, 0, 1),
      recurrence: { every: 'week' as const, days: [0], durationMin: 120, startMinuteWib: 0 },
    };
    expect(windowActive(w, Date.UTC(2026, 10, 28, 18, 0))).to.equal(true);
    expect(windowActive(w, Date.UTC(2026, 10, 28, 19, 30))).to.equal(false);
    expect(windowActive(w, Date.UTC(2026, 10, 27, 18, 0))).to.equal(false);
  });

  it('Telegram failures are retryable (5xx, refused) or permanent (400), and never carry the token', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const send = telegramTransport({ baseUrl: `http://127.0.0.1:${port}`, botToken: new Secret('999:SECRET-TOKEN') });
    try {
      await send({ id: 1, target: '-1', subject: 's', text: 't', payload: {} }, { signal: AbortSignal.timeout(5000) });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(NotifyError);
      expect((err as NotifyError).permanent).to.equal(false);
      expect((err as Error).message).to.not.include('SECRET-TOKEN');
    }
  });

  it('a failing Telegram is logged without the bot token', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    const inventory = okuInventory();
    const store = openStore(':memory:');
    const bus = createInProcessBus();
    const clock = createManualClock();
    const config = alertingConfig({
      notifications: {
        stormWindowS: 0,
        telegram: { baseUrl: 'http://127.0.0.1:9', botToken: '999:SECRET-TOKEN' },
        groups: { noc: { telegram: ['-1'] } },
      },
      routing: [{ groups: ['noc'] }],
    });
    const alerting = createAlerting({ config: { alerting: config }, inventory, store, bus, clock, logger });
    alerting.start();
    const world = createWorld({ inventory, bus, clock, alerting });
    await world.run(20_000);
    world.cut('cctv-01');
    await world.run(60_000);
    await alerting.stop();
    store.close();
    expect(logged).to.include('notification failed, will retry');
    expect(logged).to.not.include('SECRET-TOKEN');
  });
});

describe('alerting/docs', () => {
  it('the pantau.yaml example in docs/alerting.md is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { substituteEnv } = await import('../../../core/config/env.js');
    const md = readFileSync(new URL('../../../docs/alerting.md', import.meta.url), 'utf8');
    const block = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith('alerting:'))!;
    const env = { PANTAU_TELEGRAM_BOT_TOKEN: 't', PANTAU_SMTP_PASSWORD: 'p', PANTAU_WEBHOOK_SECRET: 's' };
    const { value, problems } = substituteEnv(parse(block), env);
    expect(problems).to.deep.equal([]);
    const res = alertingSection.safeParse((value as { alerting: unknown }).alerting);
    expect(res.success, JSON.stringify(res.error?.issues)).to.equal(true);
  });
});
