import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { secretString } from '../../../core/config/secret-schema.js';
import { defineChannel, NotifyError, transient, type Send } from './channel.js';

const config = z.object({ secret: secretString() }).strict();

/** `sha256=<hex>` over `<timestamp>.<body>`, so a receiver can reject replays. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookTransport(cfg: z.infer<typeof config>, now: () => number): Send {
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

export const webhookChannel = defineChannel({
  name: 'webhook',
  config,
  /** A URL (JSON POST, HMAC-SHA256 signed); WhatsApp gateways take these. */
  recipient: z.url(),
  needs: 'secret',
  build: (cfg, { now }) => ({ send: webhookTransport(cfg, now) }),
});
