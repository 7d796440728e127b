import { z } from 'zod';
import { secretString } from '../../../core/config/secret-schema.js';
import { defineChannel, NotifyError, transient, type Send } from './channel.js';

const config = z
  .object({
    baseUrl: z.url().default('https://api.telegram.org'),
    botToken: secretString(),
  })
  .strict();

/** Telegram Bot API sendMessage. The token only appears in the URL path, never in errors. */
export function telegramTransport(cfg: z.infer<typeof config>): Send {
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
    const body = (await res.json().catch(() => null)) as {
      ok?: boolean;
      description?: string;
      parameters?: { retry_after?: number };
    } | null;
    if (res.ok && body?.ok) return;
    const retryAfter = body?.parameters?.retry_after;
    throw new NotifyError(
      `telegram: HTTP ${res.status} ${body?.description ?? ''}`.trim(),
      !transient(res.status),
      retryAfter ? retryAfter * 1000 : undefined,
    );
  };
}

export const telegramChannel = defineChannel({
  name: 'telegram',
  config,
  /** A chat id: a person, a group "-100…" or a channel "@name". */
  recipient: z.string().min(1),
  needs: 'botToken',
  build: (cfg) => ({ send: telegramTransport(cfg) }),
});
