/**
 * The contract of one notification channel (issue 17). Each `alerting/notify/channels/<name>.ts`
 * exports one definition and `list.ts` collects them; the config schema (`notifications.<name>` and a
 * group's `<name>` recipients), the outbox row's channel, the dispatcher's targets, the test send and
 * the transports are all derived from that list. Adding a channel touches its file and the list.
 * The config schema imports the list: a definition does no I/O at import time.
 */
import type { z } from 'zod';
import { PantauError } from '../../../core/errors.js';

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

/** A send failure; `permanent` ones (bad chat id, 4xx) are not retried. */
export class NotifyError extends PantauError {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super('PANTAU_NOTIFY', message, cause === undefined ? {} : { cause });
  }
}

/** HTTP statuses worth a retry. */
export const transient = (status: number) => status >= 500 || status === 408 || status === 429;

export interface ChannelDefinition<
  N extends string = string,
  C extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  name: N;
  /** `alerting.notifications.<name>`: how to reach the service (secrets as secretString). */
  config: C;
  /** One recipient in a group's `<name>` list (a chat id, an address, a URL). */
  recipient: R;
  /** What the config error says a group's recipients need, e.g. "botToken" or "SMTP". */
  needs: string;
  /** The sender for a configured channel; `close` (if any) runs at shutdown. */
  build(cfg: z.infer<C>, ctx: { now: () => number }): { send: Send; close?: () => unknown };
}

/** Identity with type inference: `export const smsChannel = defineChannel({ name: 'sms', … })`. */
export function defineChannel<N extends string, C extends z.ZodType, R extends z.ZodType>(
  def: ChannelDefinition<N, C, R>,
): ChannelDefinition<N, C, R> {
  return def;
}
