import { expect } from 'chai';
import { signWebhook } from '../../../alerting/notify/channels/webhook.js';
import { startHttpCapture, type HttpCapture } from '../../helpers/http-capture.js';
import { startSmtpCapture, type SmtpCapture } from '../../helpers/smtp.js';
import { BOT_TOKEN, WEBHOOK_SECRET, startAlerting } from './setup.js';

const telegramTexts = (t: HttpCapture) =>
  t.accepted().map((r) => JSON.parse(r.body) as { chat_id: string; text: string });

describe('alerting: fiber cut on a distribution node (real Telegram stand-in, SMTP, webhook)', function () {
  this.timeout(120_000);
  let telegram: HttpCapture;
  let webhook: HttpCapture;
  let smtp: SmtpCapture;
  let sys: ReturnType<typeof startAlerting>;

  before(async () => {
    [telegram, webhook, smtp] = await Promise.all([startHttpCapture(), startHttpCapture(), startSmtpCapture()]);
    sys = startAlerting({ ep: { telegramUrl: telegram.url, smtp, webhookUrl: webhook.url } });
  });
  after(async () => {
    await sys?.close();
    await Promise.all([telegram?.close(), webhook?.close(), smtp?.close()]);
  });

  it('one critical alert naming the 10, one message per routed group and channel; the repair, one recovery each', async () => {
    const node = 'fo-pengandonan';
    const below = sys.inventory.descendants(node).map((d) => d.id);
    expect(below).to.have.length(10);

    await sys.world.run(60_000);
    expect(sys.alerting.statuses().every((s) => s.state === 'UP')).to.equal(true);

    sys.world.cut(node);
    await sys.world.run(3 * 60_000);

    const alerts = sys.alerting.listAlerts();
    expect(alerts).to.have.length(1);
    const a = alerts[0]!;
    expect(a).to.include({
      key: `device_down:${node}`,
      severity: 'critical',
      status: 'open',
      kecamatan: 'Pengandonan',
    });
    expect(a.affected).to.have.members(below);
    expect(a.title).to.equal('Node Distribusi Pengandonan mati — 10 perangkat tidak terjangkau (10 fiber)');
    const st = new Map(sys.alerting.statuses().map((s) => [s.deviceId, s]));
    expect(st.get(node)!.state).to.equal('DOWN');
    for (const id of below) expect(st.get(id), id).to.deep.include({ state: 'UNREACHABLE', rootCauseId: node });

    // Telegram: one per group, Indonesian for the technicians, English for the NOC, token only in the path.
    const tg = telegramTexts(telegram);
    expect(tg.map((m) => m.chat_id).sort()).to.deep.equal(['-1000', '-1001']);
    expect(tg.find((m) => m.chat_id === '-1001')!.text)
      .to.include('KRITIS: Node Distribusi Pengandonan mati — 10 perangkat tidak terjangkau (10 fiber)')
      .and.include('WIB');
    expect(tg.find((m) => m.chat_id === '-1000')!.text).to.include(
      'CRITICAL: Node Distribusi Pengandonan DOWN — 10 devices unreachable (10 fiber)',
    );
    expect(telegram.accepted().every((r) => r.url === `/bot${BOT_TOKEN}/sendMessage` && r.method === 'POST')).to.equal(
      true,
    );

    // Email: one per group.
    expect(smtp.mails.map((m) => m.to.join(',')).sort()).to.deep.equal([
      'noc@okukab.go.id',
      'teknisi.pengandonan@okukab.go.id',
    ]);
    expect(smtp.mails.find((m) => m.to[0] === 'teknisi.pengandonan@okukab.go.id')!.text).to.include(
      '10 perangkat tidak terjangkau',
    );

    // Webhook: one, HMAC-signed over timestamp.body, with the alert as JSON.
    expect(webhook.accepted()).to.have.length(1);
    const hook = webhook.accepted()[0]!;
    expect(hook.url).to.equal('/wa');
    expect(hook.headers['x-pantau-signature']).to.equal(
      signWebhook(WEBHOOK_SECRET, String(hook.headers['x-pantau-timestamp']), hook.body),
    );
    const doc = JSON.parse(hook.body) as { notices: { kind: string; alert: { id: string; affected: string[] } }[] };
    expect(doc.notices).to.have.length(1);
    expect(doc.notices[0]!.kind).to.equal('open');
    expect(doc.notices[0]!.alert.affected).to.have.length(10);

    // The repair.
    sys.world.repair(node);
    await sys.world.run(2 * 60_000);
    expect(sys.alerting.getAlert(a.id)!.status).to.equal('resolved');
    expect(sys.alerting.listAlerts()).to.have.length(1);
    expect(sys.alerting.statuses().every((s) => s.state === 'UP')).to.equal(true);

    const tg2 = telegramTexts(telegram);
    expect(tg2).to.have.length(4);
    expect(
      tg2
        .slice(2)
        .map((m) => m.chat_id)
        .sort(),
    ).to.deep.equal(['-1000', '-1001']);
    expect(tg2.find((m) => m.chat_id === '-1001' && m.text.startsWith('✅'))!.text)
      .to.match(/^✅ PULIH: Node Distribusi Pengandonan kembali normal — 10 perangkat terjangkau lagi/)
      .and.match(/Lama gangguan/);
    expect(tg2.find((m) => m.chat_id === '-1000' && m.text.startsWith('✅'))!.text).to.match(
      /^✅ RESOLVED: Node Distribusi Pengandonan is back UP/,
    );
    expect(smtp.mails).to.have.length(4);
    expect(webhook.accepted()).to.have.length(2);
    expect((JSON.parse(webhook.accepted()[1]!.body) as { notices: { kind: string }[] }).notices[0]!.kind).to.equal(
      'resolved',
    );
    expect(sys.alerting.history(a.id).map((h) => h.event)).to.deep.equal(['opened', 'resolved']);
    expect(sys.alerting.outboxCounts()).to.deep.equal({ sent: 10 });
  });
});
