import type { Logger } from '../../core/logger.js';
import type { Inventory } from '../../core/inventory/topology.js';
import type { AlertingConfig } from '../../core/config/sections/alerting.js';
import type { Alert, Severity } from '../../core/types.js';
import { batchText, noticeText, type Lang, type Renderer } from '../i18n.js';
import type { NoticeRow, OutboxRow, Repo } from '../store/repo.js';
import { route, type RouteDecision } from './routing.js';
import type { NotifierTransports } from './transports.js';
import { NotifyError, type Send } from './channels/channel.js';
import { CHANNELS } from './channels/list.js';

export interface Dispatcher {
  routeOf(a: Alert): RouteDecision;
  /** The following three run inside the caller's transaction, next to the alert write. */
  onRaised(a: Alert, now: number): void;
  /** `silent`: withdraw what is still pending but send no recovery notice (an alert folded into its root cause's). */
  onResolved(a: Alert, now: number, opts?: { silent?: boolean }): void;
  /** The alert's severity changed from `from` to `a.severity`: a rise is news (ack or not), a fall is not. */
  onSeverityChanged(a: Alert, from: Severity, now: number): void;
  escalate(open: readonly Alert[], now: number): void;
  /** Closes storm windows: pending notices → one outbox message per recipient. Own transaction. */
  flush(now: number, alertById: (id: string) => Alert | undefined): number;
  /** Sends what is due; each success is marked sent in the same transaction that records it. */
  deliver(now: number, signal: AbortSignal): Promise<{ sent: number; failed: number }>;
}

/*
 * Notification pipeline (all of it in SQLite, so a crash loses nothing):
 *   alert raised/resolved/escalated ─▶ alerting_notice (per group)
 *     ─ storm window closed ─▶ alerting_outbox (one row per recipient, several alerts per message)
 *       ─ sent ─▶ status sent + alerting_delivery row, one transaction
 *       ─ failed ─▶ attempts+1, next_at = now + backoff (retry-after honoured); permanent or too old ─▶ dead
 * A raise and its resolve inside one storm window cancel out: nobody hears about a blip.
 * Severity rises (ADR 0403) are notices of kind 'severity' to the groups routed at the new severity;
 * a pending notice renders the alert as it is when the window closes, so one per group is enough,
 * and a fall (or the resolve) inside the window withdraws a rise nobody has heard yet.
 */
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** Is `to` worse than `from`? */
export const severityRose = (from: Severity, to: Severity): boolean => RANK[to] > RANK[from];

export function createDispatcher(deps: {
  repo: Repo;
  config: AlertingConfig;
  inventory: Inventory;
  renderer: Renderer;
  transports: NotifierTransports;
  logger: Logger;
}): Dispatcher {
  const { repo, config, inventory, renderer, transports, logger } = deps;
  const n = config.notifications;
  const windowMs = n.stormWindowS * 1000;

  const routeOf = (a: Alert) => route(config.routing, a, inventory.byId.get(a.deviceId)?.tags ?? []);
  const langOf = (grp: string): Lang => n.groups[grp]?.language ?? n.language;

  function backoff(attempts: number, retryAfterMs?: number): number {
    const base = Math.min(n.retry.initialS * 1000 * 2 ** attempts, n.retry.maxS * 1000);
    return Math.max(base, retryAfterMs ?? 0);
  }

  function sendFor(channel: OutboxRow['channel']): Send | undefined {
    return transports[channel];
  }

  return {
    routeOf,
    onRaised(a, now) {
      for (const g of routeOf(a).groups) {
        if (repo.addGroup(a.id, g, 0, now)) repo.addNotice(g, a.id, 'open', 0, now);
      }
    },
    onResolved(a, now, opts = {}) {
      const pending = repo.pendingNoticesOf(a.id);
      for (const { grp, level } of repo.groupsOf(a.id)) {
        const mine = pending.filter((p) => p.grp === grp);
        // The group has not heard of the alert yet (its first notice is still waiting): tell it nothing.
        const neverTold = mine.some(
          (p) => p.kind === 'open' || p.kind === 'escalated' || (p.kind === 'severity' && p.first === 1),
        );
        // A rise still waiting is overtaken by the recovery: one message, "resolved".
        for (const p of mine) repo.deleteNotice(p.id);
        if (neverTold || opts.silent) continue;
        if (n.sendRecovery) repo.addNotice(grp, a.id, 'resolved', level, now);
      }
    },
    onSeverityChanged(a, from, now) {
      const pending = repo.pendingNoticesOf(a.id);
      const routed = routeOf(a).groups;
      if (severityRose(from, a.severity)) {
        for (const g of routed) {
          // A waiting open/escalated/severity notice will show the new severity when its window closes.
          if (pending.some((p) => p.grp === g && p.kind !== 'resolved')) continue;
          // addGroup false: the group already had the alert (it gets the recovery either way).
          const first = repo.addGroup(a.id, g, 0, now);
          repo.addSeverityNotice(g, a.id, from, first, now);
        }
        return;
      }
      // A fall sends nothing and withdraws rises that are no longer true before anyone heard them.
      for (const p of pending) {
        if (p.kind !== 'severity') continue;
        if (p.first === 1) {
          if (routed.includes(p.grp)) continue;
          repo.deleteNotice(p.id);
          repo.deleteGroup(a.id, p.grp);
        } else if (!severityRose(p.from_severity ?? a.severity, a.severity)) repo.deleteNotice(p.id);
      }
    },
    escalate(open, now) {
      for (const a of open) {
        if (a.status !== 'open') continue;
        routeOf(a).escalate.forEach((step, i) => {
          if (now - a.openedAt < step.afterMin * 60_000) return;
          for (const g of step.groups) {
            if (repo.addGroup(a.id, g, i + 1, now)) {
              repo.addNotice(g, a.id, 'escalated', i + 1, now);
              repo.history(a.id, now, 'escalated', null, { group: g, level: i + 1 });
            }
          }
        });
      }
    },
    flush(now, alertById) {
      return repo.tx(() => {
        const byGroup = new Map<string, NoticeRow[]>();
        for (const row of repo.notices()) {
          let list = byGroup.get(row.grp);
          if (!list) byGroup.set(row.grp, (list = []));
          list.push(row);
        }
        let messages = 0;
        for (const [grp, rows] of byGroup) {
          if (now - rows[0]!.created_at < windowMs) continue;
          const g = n.groups[grp];
          const lang = langOf(grp);
          const items = rows
            .map((r) => ({ row: r, alert: alertById(r.alert_id) }))
            .filter((x): x is { row: NoticeRow; alert: Alert } => x.alert !== undefined)
            // Defensive: a rise that is no longer a rise is dropped for groups that already know the alert.
            .filter(
              ({ row, alert }) =>
                row.kind !== 'severity' ||
                row.first === 1 ||
                severityRose(row.from_severity ?? alert.severity, alert.severity),
            );
          for (const r of rows) repo.deleteNotice(r.id);
          if (!g || items.length === 0) continue;
          const kindOf = ({ row, alert }: { row: NoticeRow; alert: Alert }): NoticeRow['kind'] =>
            // A first notice whose rise was taken back is, for this group, simply the alert.
            row.kind === 'severity' && !severityRose(row.from_severity ?? alert.severity, alert.severity)
              ? 'open'
              : row.kind;
          const texts = items.map((it) => {
            const { row, alert } = it;
            const kind = kindOf(it);
            if (kind === 'severity')
              return noticeText(renderer, alert, kind, lang, {
                ...(row.from_severity ? { fromSeverity: row.from_severity } : {}),
                raisedAt: row.created_at,
              });
            const afterMin = kind === 'escalated' ? routeOf(alert).escalate[row.level - 1]?.afterMin : undefined;
            return noticeText(
              renderer,
              alert,
              kind,
              lang,
              afterMin === undefined ? {} : { escalatedAfterMin: afterMin },
            );
          });
          const { subject, text } = batchText(texts, lang);
          const notices = items.map((it) => {
            const kind = kindOf(it);
            return {
              kind,
              alert: it.alert,
              ...(kind === 'severity' && it.row.from_severity ? { fromSeverity: it.row.from_severity } : {}),
            };
          });
          const payload = JSON.stringify({ source: 'pantau', group: grp, language: lang, subject, text, notices });
          const targets = CHANNELS.flatMap((c) => g[c.name].map((t): [OutboxRow['channel'], string] => [c.name, t]));
          for (const [channel, target] of targets) {
            repo.addOutbox({ grp, channel, target, subject, body: text, payload }, now);
            messages++;
          }
        }
        return messages;
      });
    },
    async deliver(now, signal) {
      let sent = 0;
      let failed = 0;
      const due = repo.due(now, 50);
      await Promise.all(
        due.map(async (row) => {
          const send = sendFor(row.channel);
          const log = logger.child({ outboxId: row.id, channel: row.channel, group: row.grp });
          if (!send) {
            repo.markDead(row.id, `no ${row.channel} transport configured`);
            log.error({ code: 'PANTAU_NOTIFY' }, 'notification dropped: channel not configured');
            failed++;
            return;
          }
          try {
            await send(
              {
                id: row.id,
                target: row.target,
                subject: row.subject,
                text: row.body,
                payload: JSON.parse(row.payload) as unknown,
              },
              {
                signal: AbortSignal.any([signal, AbortSignal.timeout(n.retry.timeoutS * 1000)]),
              },
            );
            repo.markSent(row, now);
            sent++;
          } catch (err) {
            failed++;
            // Duck-typed: a custom transport may bring its own copy of NotifyError.
            const e = err as Partial<NotifyError>;
            const ne =
              err instanceof NotifyError || typeof e.permanent === 'boolean'
                ? {
                    code: 'PANTAU_NOTIFY',
                    message: (err as Error).message,
                    permanent: e.permanent === true,
                    retryAfterMs: e.retryAfterMs,
                  }
                : {
                    code: 'PANTAU_NOTIFY',
                    message: `${row.channel}: ${(err as Error).message}`,
                    permanent: false,
                    retryAfterMs: undefined,
                  };
            const tooOld = now - row.created_at > n.retry.maxAgeH * 3_600_000;
            if (ne.permanent || tooOld) {
              repo.markDead(row.id, ne.message);
              log.error({ code: ne.code, attempts: row.attempts + 1, reason: ne.message }, 'notification given up');
            } else {
              const next = now + backoff(row.attempts, ne.retryAfterMs);
              repo.markRetry(row.id, next, ne.message);
              log.warn(
                { code: ne.code, attempts: row.attempts + 1, reason: ne.message, nextAt: next },
                'notification failed, will retry',
              );
            }
          }
        }),
      );
      return { sent, failed };
    },
  };
}
