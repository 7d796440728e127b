import type { Alert } from '../../core/types.js';
import type { HistoryPoint, HistorySeries } from '../../core/services.js';
import type { SessionUser, UiConfig } from '../../core/realtime.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const j = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, j.error?.code ?? 'HTTP', j.error?.message ?? res.statusText);
  return j as T;
}

export const api = {
  me: () => call<{ user: SessionUser; ui: UiConfig }>('GET', '/api/auth/me'),
  login: (username: string, password: string) =>
    call<{ user: SessionUser }>('POST', '/api/auth/login', { username, password }),
  logout: () => call('POST', '/api/auth/logout', {}),
  ack: (id: string, comment: string, publicMessage = '') =>
    call<{ alert: Alert }>('POST', `/api/alerts/${encodeURIComponent(id)}/ack`, {
      ...(comment ? { comment } : {}),
      ...(publicMessage ? { publicMessage } : {}),
    }),
  history: (deviceId: string, series: HistorySeries, from: number, to: number) =>
    call<{ points: HistoryPoint[] }>(
      'GET',
      `/api/devices/${encodeURIComponent(deviceId)}/history?series=${series}&from=${from}&to=${to}`,
    ),
  maintenance: (deviceId: string, subtree: boolean, minutes: number, reason: string) => {
    const startsAt = Date.now();
    return call<{ window: { id: string } }>('POST', '/api/maintenance', {
      deviceId,
      subtree,
      reason,
      startsAt,
      endsAt: startsAt + minutes * 60_000,
    });
  },
  summary: () =>
    call<{
      types: Record<string, Record<string, number>>;
      availabilityToday: { key: string; availabilityPct: number }[] | null;
    }>('GET', '/api/summary'),
};
