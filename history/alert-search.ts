/**
 * The alert history query: every alert (open, acknowledged, resolved) active in a time range,
 * filtered and paginated in SQLite. Reads alerting's tables (alerting_alert, alerting_history)
 * read-only: alerting owns and writes them; the row's JSON `data` is the `Alert` of core/types.
 */
import type { Db } from '../core/store/store.js';
import type { Alert, AlertStatus, Severity } from '../core/types.js';

export interface AlertSearchQuery {
  /** Alerts active at some instant of [from, to): opened before `to`, not resolved before `from`. */
  from: number;
  to: number;
  kecamatan?: readonly string[];
  type?: readonly string[];
  severity?: readonly Severity[];
  status?: readonly AlertStatus[];
  deviceId?: string;
  /** Text: alert id, device id, title (Bahasa Indonesia), device name (via `deviceIdsNamed`). */
  q?: string;
  /** Devices whose name matches `q` (the inventory knows names; alerts only ids). */
  deviceIdsNamed?: readonly string[];
  /** Technicians: only alerts this predicate accepts (routing is code, not SQL). */
  visible?: (a: Alert) => boolean;
  offset: number;
  /** 0 = all rows (CSV export). */
  limit: number;
}

export interface AckRecord {
  by: string;
  at: number;
  comment?: string;
}

export interface AlertHistoryRow extends Alert {
  /** Every acknowledgement, oldest first. */
  ackLog: AckRecord[];
  /** resolvedAt (or now, for an alert still open) − openedAt. */
  durationMs: number;
  /** The device whose fault explains the alert (the alert's device: topology root cause), and what it took down. */
  rootCause: string;
  impact: number;
}

const json = (f: string) => `json_extract(data, '$.${f}')`;

export function createAlertSearch(db: Db) {
  const acksOf = db.prepare(
    "SELECT alert_id, at, by, detail FROM alerting_history WHERE event = 'acknowledged' AND alert_id IN (SELECT value FROM json_each(?)) ORDER BY at, rowid",
  );

  function where(q: AlertSearchQuery): { sql: string; args: unknown[] } {
    const parts = ['opened_at < ?', `COALESCE(${json('resolvedAt')}, 9e15) >= ?`];
    const args: unknown[] = [q.to, q.from];
    const inList = (expr: string, list: readonly string[] | undefined) => {
      if (!list || list.length === 0) return;
      parts.push(`${expr} IN (SELECT value FROM json_each(?))`);
      args.push(JSON.stringify(list));
    };
    inList(json('kecamatan'), q.kecamatan);
    inList(json('deviceType'), q.type);
    inList(json('severity'), q.severity);
    inList('status', q.status);
    if (q.deviceId) {
      parts.push(`${json('deviceId')} = ?`);
      args.push(q.deviceId);
    }
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(
        `(lower(id) LIKE ? ESCAPE '\\' OR lower(${json('deviceId')}) LIKE ? ESCAPE '\\' OR lower(${json('title')}) LIKE ? ESCAPE '\\' OR ${json('deviceId')} IN (SELECT value FROM json_each(?)))`,
      );
      args.push(like, like, like, JSON.stringify(q.deviceIdsNamed ?? []));
    }
    return { sql: parts.join(' AND '), args };
  }

  function enrich(alerts: Alert[], now: number): AlertHistoryRow[] {
    const acks = new Map<string, AckRecord[]>();
    if (alerts.length > 0) {
      for (const r of acksOf.all(JSON.stringify(alerts.map((a) => a.id))) as {
        alert_id: string;
        at: number;
        by: string | null;
        detail: string | null;
      }[]) {
        const comment = r.detail ? (JSON.parse(r.detail) as { comment?: string } | null)?.comment : undefined;
        const list = acks.get(r.alert_id) ?? [];
        list.push({ by: r.by ?? '', at: r.at, ...(comment ? { comment } : {}) });
        acks.set(r.alert_id, list);
      }
    }
    return alerts.map((a) => ({
      ...a,
      ackLog:
        a.acks ??
        acks.get(a.id) ??
        (a.acknowledgedAt
          ? [{ by: a.acknowledgedBy ?? '', at: a.acknowledgedAt, ...(a.ackComment ? { comment: a.ackComment } : {}) }]
          : []),
      durationMs: (a.resolvedAt ?? Math.max(now, a.openedAt)) - a.openedAt,
      rootCause: a.deviceId,
      impact: a.affected.length,
    }));
  }

  return {
    search(q: AlertSearchQuery, now: number): { total: number; rows: AlertHistoryRow[] } {
      const w = where(q);
      const select = `SELECT data FROM alerting_alert WHERE ${w.sql} ORDER BY opened_at DESC, seq DESC`;
      const parse = (r: unknown) => JSON.parse((r as { data: string }).data) as Alert;
      if (q.visible) {
        // Routing decides visibility: filter in code, then page.
        const all: Alert[] = [];
        for (const r of db.prepare(select).iterate(...w.args)) {
          const a = parse(r);
          if (q.visible(a)) all.push(a);
        }
        return {
          total: all.length,
          rows: enrich(q.limit > 0 ? all.slice(q.offset, q.offset + q.limit) : all.slice(q.offset), now),
        };
      }
      const total = (
        db.prepare(`SELECT COUNT(*) AS n FROM alerting_alert WHERE ${w.sql}`).get(...w.args) as { n: number }
      ).n;
      const rows =
        q.limit > 0
          ? db.prepare(`${select} LIMIT ? OFFSET ?`).all(...w.args, q.limit, q.offset)
          : db.prepare(`${select} LIMIT -1 OFFSET ?`).all(...w.args, q.offset);
      return { total, rows: enrich(rows.map(parse), now) };
    },
  };
}

export type AlertSearch = ReturnType<typeof createAlertSearch>;
