/**
 * Emails last month's availability report (PDF attached, CSV too) on the 1st of each month, at
 * `reports.monthly.hour` in the region's zone, to the email recipients of `reports.monthly.group`.
 * Checked on a timer; the month is remembered in SQLite, so a restart neither skips nor repeats
 * it, and a pantau that was down on the 1st sends it when it comes back (within the first week).
 */
import type { Config } from '../core/config/schema.js';
import { PantauError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../core/store/store.js';
import type { Clock } from '../core/time.js';
import { HISTORY_MIGRATIONS } from './migrations.js';
import { monthName, previousMonth } from '../core/period.js';
import { REPORT_TEXT, formatPct } from './report-text.js';
import type { Reports } from './reports.js';

export interface MonthlyMailer {
  /** Sends last month's report if it is due and not sent yet; resolves to the month sent, if any. */
  check(): Promise<string | null>;
  start(everyMs?: number): void;
  stop(): void;
}

export function createMonthlyMailer(deps: {
  config: Pick<Config, 'reports' | 'alerting'>;
  reports: Reports;
  store: Store;
  clock: Clock;
  logger: Logger;
}): MonthlyMailer | null {
  const m = deps.config.reports.monthly;
  if (!m) return null;
  const n = deps.config.alerting.notifications;
  const group = n.groups[m.group];
  if (!group)
    throw new PantauError('PANTAU_CONFIG_INVALID', `reports.monthly.group: unknown notification group "${m.group}"`);
  if (group.email.length === 0)
    throw new PantauError('PANTAU_CONFIG_INVALID', `reports.monthly.group: group "${m.group}" has no email recipients`);
  if (!n.email)
    throw new PantauError('PANTAU_CONFIG_INVALID', 'reports.monthly needs alerting.notifications.email (SMTP)');
  const smtp = n.email;
  deps.store.migrate('history', HISTORY_MIGRATIONS);
  const sent = deps.store.db.prepare('SELECT month FROM history_report_sent WHERE month = ?');
  const markSent = deps.store.db.prepare(
    'INSERT OR REPLACE INTO history_report_sent (month, sent_at, recipients) VALUES (?, ?, ?)',
  );
  const log = deps.logger.child({ module: 'report-mailer' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string | null> | null = null;

  async function send(month: string): Promise<void> {
    const lang = group!.language ?? deps.config.reports.language;
    const t = REPORT_TEXT[lang];
    const pdf = await deps.reports.render(month, 'pdf', lang);
    const csv = await deps.reports.render(month, 'csv', lang);
    const total = deps.reports.compute(month).total;
    // nodemailer (~15 MB of a process) is loaded for the first mail, not at start-up (issue 12, OKU RSS).
    const { default: nodemailer } = await import('nodemailer');
    const transporter = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password?.reveal() ?? '' } } : {}),
      tls: { rejectUnauthorized: !smtp.allowInvalidCerts },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    try {
      await transporter.sendMail({
        from: smtp.from,
        to: group!.email,
        subject: `[pantau] ${t.title} ${monthName(month, lang)}`,
        text:
          lang === 'id'
            ? `Terlampir laporan ketersediaan jaringan bulan ${monthName(month, 'id')}.\nKetersediaan seluruh jaringan: ${formatPct(total.availabilityPct, 'id')} %, ${total.outages} gangguan.\n\n— pantau`
            : `Attached is the network availability report for ${monthName(month, 'en')}.\nWhole network availability: ${formatPct(total.availabilityPct, 'en')} %, ${total.outages} outages.\n\n— pantau`,
        attachments: [
          { filename: pdf.filename, content: pdf.body, contentType: pdf.contentType },
          { filename: csv.filename, content: csv.body, contentType: csv.contentType },
        ],
        messageId: `<pantau-report-${month}@pantau.local>`,
      });
    } finally {
      transporter.close();
    }
  }

  async function check(): Promise<string | null> {
    const now = deps.clock.now();
    const zone = deps.reports.zone();
    const local = new Date(now + zone.offsetMs);
    // Due from the 1st at `hour` on; a pantau down on the 1st catches up within the first week
    // (later than that, a fresh install would mail a month it never watched).
    if (local.getUTCDate() === 1 && local.getUTCHours() < m!.hour) return null;
    if (local.getUTCDate() > 7) return null;
    const month = previousMonth(now, zone);
    if (sent.get(month)) return null;
    try {
      await send(month);
    } catch (err) {
      log.error({ err, month }, 'laporan bulanan gagal dikirim / monthly report not sent (retried on the next check)');
      return null;
    }
    markSent.run(month, deps.clock.now(), JSON.stringify(group!.email));
    log.info({ month, recipients: group!.email.length }, 'laporan bulanan terkirim / monthly report sent');
    return month;
  }

  return {
    check() {
      running ??= check().finally(() => {
        running = null;
      });
      return running;
    },
    start(everyMs = 60_000) {
      if (timer) return;
      timer = setInterval(() => {
        void this.check();
      }, everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
