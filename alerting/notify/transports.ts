import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { PantauError } from '../../core/errors.js';
import type { NotificationsConfig } from '../../core/config/sections/alerting.js';

export interface OutMessage {
  /** Outbox row id: the idempotency key receivers may use. */
  id: number;
  target: string;
  subject: string;
  text: string;
  /** The JSON document a webhook receives. */
  payload: unknown;
}

export type Send = (m: OutMessage, opts: { signal: AbortSignal }) => Promise<void>;

export interface NotifierTransports {
  telegram?: Send;
  email?: Send;
  webhook?: Send;
  close?: () => Promise<void>;
}

/** A send failure; `permanent` ones (bad chat id, 4xx) are not retried. */
export class NotifyError extends PantauError {
  constructor(message: string, readonly permanent: boolean, readonly retryAfterMs?: number, cause?: unknown) {
    super('PANTAU_NOTIFY', message, cause === undefined ? {} : { cause });
  }
}

const transient = (status: number) => status >= 500 || status === 408 || status === 429;

/** Telegram Bot API sendMessage. The token only appears in the URL path, never in errors. */
export function telegramTransport(cfg: NonNullable<NotificationsConfig['telegram']>): Send {
  const base = cfg.baseUrl.replace(/\/+$/, '');
  return async (m, { signal }) => {
    let res: Response;
    try {
      res = await fetch(`${base}/bot${cfg.botToken.reveal()}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: m.target, text: m.text, disable_web_page_preview: true }),
        signal,
      });
    } catch (cause) {
      throw new NotifyError(`telegram: request failed (${(cause as Error).name})`, false, undefined, cause);
    }
    const body = (await res.json().catch(() => null)) as { ok?: boolean; description?: string; parameters?: { retry_after?: number } } | null;
    if (res.ok && body?.ok) return;
    const retryAfter = body?.parameters?.retry_after;
    throw new NotifyError(`telegram: HTTP ${res.status} ${body?.description ?? ''}`.trim(), !transient(res.status), retryAfter ? retryAfter * 1000 : undefined);
  };
}

export function emailTransport(cfg: NonNullable<NotificationsConfig['email']>): { send: Send; close: () => void } {
  const transporter = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.secure,
    ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password?.reveal() ?? '' } } : {}),
    tls: { rejectUnauthorized: !cfg.allowInvalidCerts },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(m, { signal }) {
      if (signal.aborted) throw new NotifyError('email: aborted', false);
      try {
        await transporter.sendMail({
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
        throw new NotifyError(`email: ${(cause as Error).message.split('\n')[0]}`, code !== undefined && code >= 500 && code < 600 && code !== 552, undefined, cause);
      }
    },
    close: () => transporter.close(),
  };
}

/** `sha256=<hex>` over `<timestamp>.<body>`, so a receiver can reject replays. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookTransport(cfg: NonNullable<NotificationsConfig['webhook']>, now: () => number): Send {
  return async (m, { signal }) => {
    const body = JSON.stringify(m.payload);
    const ts = String(Math.floor(now() / 1000));
    let res: Response;
    try {
      res = await fetch(m.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pantau-timestamp': ts,
          'x-pantau-signature': signWebhook(cfg.secret.reveal(), ts, body),
          'idempotency-key': `pantau-${m.id}`,
        },
        body,
        signal,
      });
    } catch (cause) {
      throw new NotifyError(`webhook: request failed (${(cause as Error).name})`, false, undefined, cause);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new NotifyError(`webhook: HTTP ${res.status}`, !transient(res.status));
  };
}

/** The real transports for what is configured; `overrides` replace any of them (tests, other gateways). */
export function buildTransports(cfg: NotificationsConfig, now: () => number, overrides: NotifierTransports = {}): NotifierTransports {
  const out: NotifierTransports = {};
  const closers: (() => unknown)[] = [];
  if (cfg.telegram) out.telegram = telegramTransport(cfg.telegram);
  if (cfg.email) { const e = emailTransport(cfg.email); out.email = e.send; closers.push(e.close); }
  if (cfg.webhook) out.webhook = webhookTransport(cfg.webhook, now);
  Object.assign(out, overrides);
  out.close = async () => { for (const c of closers) await c(); await overrides.close?.(); };
  return out;
}
