import { expect } from 'chai';
import { startHttpCapture, type HttpCapture } from '../../helpers/http-capture.js';
import { startSmtpCapture, type SmtpCapture } from '../../helpers/smtp.js';
import { startAlerting } from './setup.js';

describe('alerting: Telegram answering 500 and SMTP refusing for a while', function () {
  this.timeout(120_000);
  let telegram: HttpCapture;
  let smtp: SmtpCapture;
  let sys: ReturnType<typeof startAlerting>;

  before(async () => {
    [telegram, smtp] = await Promise.all([startHttpCapture(), startSmtpCapture()]);
    sys = startAlerting({ ep: { telegramUrl: telegram.url, smtp } });
  });
  after(async () => {
    await sys?.close();
    await Promise.all([telegram?.close(), smtp?.close()]);
  });

  it('every message arrives, exactly once, after the endpoints recover', async () => {
    await sys.world.run(30_000);
    telegram.respondWith(500);
    smtp.failTemporarily(true);

    // Three notifications for the NOC group during the outage: two raises and one recovery.
    sys.world.cut('cctv-01');
    await sys.world.run(2 * 60_000);
    sys.world.cut('wifi-01');
    await sys.world.run(2 * 60_000);
    sys.world.repair('cctv-01');
    await sys.world.run(6 * 60_000);

    expect(telegram.accepted()).to.have.length(0);
    expect(smtp.mails).to.have.length(0);
    const attempts = telegram.requests.length;
    expect(attempts, 'telegram was retried').to.be.greaterThan(6);
    expect(sys.alerting.outboxCounts()).to.deep.equal({ pending: 6 });

    telegram.respondWith(200);
    smtp.failTemporarily(false);
    await sys.world.run(3 * 60_000);

    const texts = telegram.accepted().map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts).to.have.length(3);
    expect(new Set(texts).size).to.equal(3);
    expect(texts.filter((t) => t.includes('CCTV Simpang Tugu Ogan DOWN'))).to.have.length(1);
    expect(texts.filter((t) => t.startsWith('✅ RESOLVED: CCTV Simpang Tugu Ogan is back UP'))).to.have.length(1);
    expect(texts.filter((t) => t.includes('Wi-Fi Publik Alun-alun Baturaja DOWN'))).to.have.length(1);
    expect(smtp.mails).to.have.length(3);
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).to.equal(3);
    expect(sys.alerting.outboxCounts()).to.deep.equal({ sent: 6 });

    // Nothing more goes out later.
    await sys.world.run(5 * 60_000);
    expect(telegram.accepted()).to.have.length(3);
    expect(smtp.mails).to.have.length(3);
  });
});
