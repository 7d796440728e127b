/**
 * The senders of the configured channels (alerting/notify/channels/list.ts), built once per process;
 * the contract (OutMessage, Send, NotifyError) lives in channels/channel.ts.
 */
import type { NotificationsConfig } from '../../core/config/sections/alerting.js';
import type { Send } from './channels/channel.js';
import { CHANNELS, type ChannelName } from './channels/list.js';

export type NotifierTransports = { [N in ChannelName]?: Send } & { close?: () => Promise<void> };

/** The real transports for what is configured; `overrides` replace any of them (tests, other gateways). */
export function buildTransports(
  cfg: NotificationsConfig,
  now: () => number,
  overrides: NotifierTransports = {},
): NotifierTransports {
  const out: NotifierTransports = {};
  const closers: (() => unknown)[] = [];
  for (const channel of CHANNELS) {
    const c = cfg[channel.name];
    if (!c) continue;
    // Each entry's config type is its own channel's: the list's union cannot say so to the compiler.
    const built = (
      channel.build as (cfg: unknown, ctx: { now: () => number }) => { send: Send; close?: () => unknown }
    )(c, { now });
    out[channel.name] = built.send;
    if (built.close) closers.push(built.close);
  }
  Object.assign(out, overrides);
  out.close = async () => {
    for (const c of closers) await c();
    await overrides.close?.();
  };
  return out;
}
