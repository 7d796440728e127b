/** Test notifications and the monthly report email, against real SMTP and HTTP servers on loopback. */
import { expect } from 'chai';
import { configSchema } from '../../../core/config/schema.js';
import { silentLogger } from '../../../core/logger.js';
import { openStore } from '../../../core/store/store.js';
import { createManualClock } from '../../../core/time.js';
import { createHistoryApi } from '../../../history/service.js';
import { createMonthlyMailer } from '../../../history/monthly-mailer.js';
import { okuInventory } from '../../unit/alerting/support.js';
import { startSmtpCapture, type SmtpCapture } from '../../helpers/smtp.js';
import { startHttpCapture, type HttpCapture } from '../../helpers/http-capture.js';
import { pdfText } from '../../helpers/pdf.js';

const H = 3600_000;
const wib = (y: number, mo: number, d: number, h: number, m = 0) => Date.UTC(y, mo - 1, d, h, m) - 7 * H;

/** The base64 body of the MIME part whose headers name `filename`. */
function attachment(raw: string, filename: string): Buffer {
  const at =
    raw.indexOf(`filename=${filename}`) >= 0
      ? raw.indexOf(`filename=${filename}`)
      : raw.indexOf(`filename="${filename}"`);
  expect(at, `attachment ${filename}`).to.be.greaterThan(0);
  const start = raw.indexOf('\r\n\r\n', at) + 4;
  const end = raw.indexOf('\r\n--', start);
  return Buffer.from(raw.slice(start, end).replace(/\s+/g, ''), 'base64');
}

describe('history/notify test and monthly report email', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let telegram: HttpCapture;
  let hook: HttpCapture;
  beforeEach(async () => {
    smtp = await startSmtpCapture();
    telegram = await startHttpCapture();
    hook = await startHttpCapture();
  });
  afterEach(async () => {
    await smtp.close();
    await telegram.close();
    await hook.close();
  });

  const configFor = (extra: Record<string, unknown> = {}) =>
    configSchema.parse({
      inventory: ['inventory/oku.yaml'],
      alerting: {
        notifications: {
          telegram: { botToken: 'bot-secret-token', baseUrl: telegram.url },
          email: { host: smtp.host, port: smtp.port, secure: false, from: 'pantau <pantau@okukab.go.id>' },
          webhook: { secret: 'hook-secret' },
          groups: {
            noc: {
              telegram: ['-100123'],
              email: ['noc@okukab.go.id', 'kabid@okukab.go.id'],
              webhook: [`${hook.url}/wa`],
            },
            kosong: {},
          },
        },
      },
      ...extra,
    });

  it('sends one message per recipient of every channel and reports each answer', async () => {
    hook.respondWith(500);
    const clock = createManualClock(wib(2026, 11, 28, 9, 15));
    const api = createHistoryApi({ store: openStore(':memory:'), inventory: okuInventory, config: configFor(), clock });
    const results = await api.notifyTest('noc', 'admin', undefined);
    const by = (c: string) => results.filter((r) => r.channel === c);
    expect(by('telegram')).to.have.length(1);
    expect(by('telegram')[0]).to.include({ ok: true, answer: 'OK', target: '-100123' });
    expect(by('email').map((r) => [r.target, r.ok])).to.deep.equal([
      ['noc@okukab.go.id', true],
      ['kabid@okukab.go.id', true],
    ]);
    expect(by('webhook')[0]).to.include({ ok: false, answer: 'webhook: HTTP 500' });
    // What really arrived: the SMTP server got both mails, Telegram its sendMessage, the webhook a signed POST.
    expect(smtp.mails.map((m) => m.to[0])).to.have.members(['noc@okukab.go.id', 'kabid@okukab.go.id']);
    expect(smtp.mails[0]!.text)
      .to.include('Uji notifikasi pantau untuk grup "noc"')
      .and.include('28/11/2026 09.15 WIB');
    expect(telegram.requests[0]!.url).to.equal('/botbot-secret-token/sendMessage');
    expect(JSON.parse(telegram.requests[0]!.body)).to.include({ chat_id: '-100123' });
    expect(hook.requests[0]!.headers['x-pantau-signature']).to.match(/^sha256=/);
    // No secret in any answer.
    expect(JSON.stringify(results)).not.to.include('bot-secret-token');
  });

  it('refuses an unknown group or a group without recipients, sending nothing', async () => {
    const api = createHistoryApi({
      store: openStore(':memory:'),
      inventory: okuInventory,
      config: configFor(),
      clock: createManualClock(),
    });
    let err: Error | undefined;
    try {
      await api.notifyTest('tidak-ada', 'admin');
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/unknown notification group "tidak-ada" \(known: noc, kosong\)/);
    err = undefined;
    try {
      await api.notifyTest('kosong', 'admin');
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/no recipients/);
    expect(smtp.mails).to.have.length(0);
    expect(telegram.requests).to.have.length(0);
  });

  it("emails last month's PDF on the 1st at the configured hour, once, and the PDF holds the table", async () => {
    const config = configFor({ reports: { monthly: { group: 'noc', hour: 7 } } });
    const store = openStore(':memory:');
    const clock = createManualClock(wib(2026, 11, 20, 12));
    const api = createHistoryApi({ store, inventory: okuInventory, config, clock });
    // A month of history for two devices: fo-core 1 h down on 2 Nov.
    for (const d of okuInventory().devices)
      api.stateLog.record({
        deviceId: d.id,
        from: 'UNKNOWN',
        to: 'UP',
        at: wib(2026, 10, 31, 12),
        status: { deviceId: d.id, state: 'UP', since: 0 },
      });
    api.stateLog.record({
      deviceId: 'fo-core',
      from: 'UP',
      to: 'DOWN',
      at: wib(2026, 11, 2, 10),
      status: { deviceId: 'fo-core', state: 'DOWN', since: 0 },
    });
    api.stateLog.record({
      deviceId: 'fo-core',
      from: 'DOWN',
      to: 'UP',
      at: wib(2026, 11, 2, 11),
      status: { deviceId: 'fo-core', state: 'UP', since: 0 },
    });
    const mailer = createMonthlyMailer({ config, reports: api.reports, store, clock, logger: silentLogger() })!;

    expect(await mailer.check()).to.equal(null); // 20 Nov: nothing due
    clock.set(wib(2026, 12, 1, 6, 59));
    expect(await mailer.check()).to.equal(null); // before 07:00 WIB on the 1st
    clock.set(wib(2026, 12, 1, 7, 0));
    expect(await mailer.check()).to.equal('2026-11');
    expect(await mailer.check()).to.equal(null); // once
    expect(smtp.mails).to.have.length(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).to.have.members(['noc@okukab.go.id', 'kabid@okukab.go.id']);
    expect(mail.subject).to.include('Laporan Ketersediaan Jaringan November 2026');
    const pages = await pdfText(attachment(mail.raw, 'pantau-ketersediaan-2026-11.pdf'));
    const avail = ((30 * 24 - 1) / (30 * 24)) * 100;
    expect(pages.join(' ')).to.match(new RegExp(`fo-core [^]*?${avail.toFixed(2).replace('.', ',')} +1 +1 j 00 m`));
    const csv = attachment(mail.raw, 'pantau-ketersediaan-2026-11.csv').toString();
    expect(csv).to.include(`device,fo-core,`);

    // A restart (new mailer, same store) does not send it again.
    const again = createMonthlyMailer({ config, reports: api.reports, store, clock, logger: silentLogger() })!;
    expect(await again.check()).to.equal(null);
    expect(smtp.mails).to.have.length(1);
  });

  it('a monthly group that does not exist or has no email is a config error', () => {
    expect(() => configFor({ reports: { monthly: { group: 'nope' } } })).to.throw(
      /unknown notification group .{0,2}"nope/,
    );
    expect(() => configFor({ reports: { monthly: { group: 'kosong' } } })).to.throw(/has no email recipients/);
  });
});
