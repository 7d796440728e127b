/**
 * THE list of notification channels. Adding a channel: a file `alerting/notify/channels/<name>.ts`
 * exporting one definition (see channel.ts), plus one entry here. The config schema
 * (`notifications.<name>`, a group's `<name>` recipients and the check that they are configured), the
 * outbox row's channel, the dispatcher's targets, the test send and the transports derive from it.
 * Order is the order a group's recipients are written to the outbox.
 */
import { emailChannel } from './email.js';
import { telegramChannel } from './telegram.js';
import { webhookChannel } from './webhook.js';

export const CHANNELS = [telegramChannel, emailChannel, webhookChannel] as const;

export type AnyChannel = (typeof CHANNELS)[number];
export type ChannelName = AnyChannel['name'];
