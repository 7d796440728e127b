import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import { secretString } from '../../../core/config/secret-schema.js';
import { defineChannel, NotifyError, type Send } from './channel.js';

const config = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    user: z.string().optional(),
    password: secretString().optional(),
    from: z.string().min(3),
    /** Accept self-signed certificates (a lab SMTP server). */
    allowInvalidCerts: z.boolean().default(false),
  })
  .strict();

export function emailTransport(cfg: z.infer<typeof config>): { send: Send; close: () => void } {
  // nodemailer (~15 MB of a process) is loaded for the first mail, not at start-up (issue 12, OKU RSS).
  let transporter: Promise<Transporter> | undefined;
  const open = () =>
    (transporter ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: cfg.host,
        port: cfg.port,
        secure: cfg.secure,
        ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password?.reveal() ?? '' } } : {}),
        tls: { rejectUnauthorized: !cfg.allowInvalidCerts },
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    ));
  return {
    async send(m, { signal }) {
      if (signal.aborted) throw new NotifyError('email: aborted', false);
      try {
        await (
          await open()
        ).sendMail({
          from: cfg.from,
          to: m.target,
          subject: m.subject,
          text: m.text,
          // Stable per outbox row: a retry after a crash carries the same Message-ID, so mail clients fold duplicates.
          messageId: `<pantau-${m.id}@pantau.local>`,
          headers: { 'X-Pantau-Outbox-Id': String(m.id) },
        });
      } catch (cause) {
        const code = (cause as { responseCode?: number }).responseCode;
        throw new NotifyError(
          `email: ${(cause as Error).message.split('\n')[0]}`,
          code !== undefined && code >= 500 && code < 600 && code !== 552,
          undefined,
          cause,
        );
      }
    },
    close: () => void transporter?.then((t) => t.close()),
  };
}

export const emailChannel = defineChannel({
  name: 'email',
  config,
  recipient: z.email(),
  needs: 'SMTP',
  build: (cfg) => emailTransport(cfg),
});
