/**
 * "Test notification": one message through every channel and recipient of a group, right now
 * (not through the outbox: the point is to see what each channel answers). Used by
 * `pantau notify test --group <g>` and the admin button (POST /api/notify/test).
 */
import type { NotificationsConfig } from '../../core/config/sections/alerting.js';
import { PantauError } from '../../core/errors.js';
import { buildTransports, type NotifierTransports } from './transports.js';
import type { Send } from './channels/channel.js';
import { CHANNELS, type ChannelName } from './channels/list.js';

export interface TestSendResult {
  channel: ChannelName;
  target: string;
  ok: boolean;
  /** "OK" or the channel's error (HTTP status, SMTP reply…), never a secret. */
  answer: string;
  ms: number;
}

const TEXT = {
  id: (g: string, by: string, at: string) =>
    `Uji notifikasi pantau untuk grup "${g}" (dikirim oleh ${by}, ${at}). Jika pesan ini sampai, saluran ini bekerja.`,
  en: (g: string, by: string, at: string) =>
    `pantau test notification for group "${g}" (sent by ${by}, ${at}). If this arrives, this channel works.`,
} as const;

export async function sendTestNotification(o: {
  notifications: NotificationsConfig;
  group: string;
  by: string;
  now: () => number;
  /** Local time text for the message (the region's zone). */
  atText: string;
  transports?: NotifierTransports;
  signal?: AbortSignal;
  timeoutMs?: number;
}): Promise<TestSendResult[]> {
  const g = o.notifications.groups[o.group];
  if (!g) {
    const known = Object.keys(o.notifications.groups);
    throw new PantauError(
      'PANTAU_INVALID_INPUT',
      `unknown notification group "${o.group}"${known.length ? ` (known: ${known.join(', ')})` : ' (no groups configured in alerting.notifications.groups)'}`,
    );
  }
  const lang = g.language ?? o.notifications.language;
  const text = TEXT[lang](o.group, o.by, o.atText);
  const subject = lang === 'id' ? `[pantau] Uji notifikasi — ${o.group}` : `[pantau] Test notification — ${o.group}`;
  const transports = o.transports ?? buildTransports(o.notifications, o.now);
  const jobs: { channel: ChannelName; target: string; send: Send | undefined }[] = CHANNELS.flatMap((c) =>
    g[c.name].map((t) => ({ channel: c.name, target: t, send: transports[c.name] })),
  );
  if (jobs.length === 0) throw new PantauError('PANTAU_INVALID_INPUT', `group "${o.group}" has no recipients`);
  const id = o.now();
  try {
    return await Promise.all(
      jobs.map(async (j): Promise<TestSendResult> => {
        const start = performance.now();
        const signal = AbortSignal.any([AbortSignal.timeout(o.timeoutMs ?? 20_000), ...(o.signal ? [o.signal] : [])]);
        try {
          if (!j.send) throw new Error(`${j.channel} is not configured`);
          await j.send(
            {
              id,
              target: j.target,
              subject,
              text,
              payload: { kind: 'test', group: o.group, text, by: o.by, at: o.now() },
            },
            { signal },
          );
          return {
            channel: j.channel,
            target: j.target,
            ok: true,
            answer: 'OK',
            ms: Math.round(performance.now() - start),
          };
        } catch (err) {
          return {
            channel: j.channel,
            target: j.target,
            ok: false,
            answer: (err as Error).message,
            ms: Math.round(performance.now() - start),
          };
        }
      }),
    );
  } finally {
    if (!o.transports) await transports.close?.();
  }
}
