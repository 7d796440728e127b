import type { Alert, ProbeErrorCode } from '../../core/types.js';
import { fmtTime } from './clock.js';
import { api, ApiError } from './api.js';
import { clear, h } from './dom.js';
import { getLang, hasKey, t } from './i18n.js';
import type { LiveState } from './live.js';
import { probeErrorText } from '../../core/probe-error-text.js';

/** The alert in the page language; Indonesian title from the engine when the key is unknown here. */
export function alertText(a: Alert): string {
  if (a.messageKey === 'alert.device_down' && Number(a.params['count'] ?? 0) > 0)
    return t('alert.device_down.count', a.params);
  // A degraded check with a probe error code says what failed (wrong password, timeout), not only which protocol.
  const code = a.params['code'];
  if (
    a.severity !== 'critical' &&
    typeof code === 'string' &&
    code.startsWith('PANTAU_PROBE_') &&
    a.params['device'] !== undefined
  ) {
    const kind = /snmp/.test(a.messageKey) ? 'snmp' : /onvif|camera/.test(a.messageKey) ? 'onvif' : undefined;
    // The degraded alert is only raised while ping answers: a silent SNMP agent points at its credentials.
    const hint = kind === 'snmp' && code === 'PANTAU_PROBE_TIMEOUT' ? ('snmp_credentials' as const) : undefined;
    return t('alert.degraded.code', {
      device: a.params['device'],
      why: probeErrorText(code as ProbeErrorCode, kind, getLang(), hint),
    });
  }
  // A template whose params are missing would show "{x}": the engine's own title is better then.
  if (!hasKey(a.messageKey)) return localTitle(a.title);
  const text = t(a.messageKey, a.params);
  return /\{\w+\}/.test(text) ? localTitle(a.title) : text;
}

/** The engine's own title, without the English state word inside an Indonesian sentence. */
function localTitle(title: string): string {
  return getLang() === 'id' ? title.replace(/\bDOWN\b/g, 'mati') : title;
}

export function canAck(live: LiveState): boolean {
  const r = live.user?.role;
  return r === 'admin' || r === 'operator' || r === 'technician';
}

/** "5 mnt" style age, in the page language. */
function age(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (m < 60) return `${m} ${t('min')}`;
  const hrs = Math.floor(m / 60);
  return hrs < 48 ? `${hrs} ${t('hr')} ${m % 60} ${t('min')}` : `${Math.floor(hrs / 24)} ${t('day')}`;
}

export interface AlertList {
  render(): void;
  blink(ids: string[]): void;
}

export function createAlertList(
  el: HTMLElement,
  live: LiveState,
  opts: { onSelect(deviceId: string): void; onAck(a: Alert): void; filter(a: Alert): boolean },
): AlertList {
  const blinking = new Map<string, number>();
  const render = () => {
    const list = live.activeAlerts().filter(opts.filter);
    clear(el);
    if (list.length === 0) {
      el.appendChild(h('div', { class: 'empty' }, h('div', { class: 'empty-icon' }, '✓'), t('noAlerts')));
      return;
    }
    const now = Date.now();
    for (const a of list) {
      const dev = live.devices.get(a.deviceId);
      const item = h(
        'article',
        {
          class: `alert sev-${a.severity} st-${a.status}${blinking.has(a.id) ? ' blink' : ''}`,
          'data-alert-id': a.id,
          'data-device-id': a.deviceId,
          tabindex: 0,
          onclick: () => opts.onSelect(a.deviceId),
          onkeydown: (e: Event) => {
            if ((e as KeyboardEvent).key === 'Enter') opts.onSelect(a.deviceId);
          },
        },
        h(
          'div',
          { class: 'alert-top' },
          h('span', { class: `sev sev-${a.severity}` }, t(a.severity)),
          h('span', { class: 'alert-title' }, alertText(a)),
        ),
        h(
          'div',
          { class: 'alert-meta' },
          h('span', {}, dev ? `${t(dev.type)} · ${dev.kecamatan}` : a.kecamatan),
          h(
            'span',
            { title: fmtTime(a.openedAt) },
            `${fmtTime(a.openedAt, { seconds: false }).slice(11)} · ${age(now - a.openedAt)}`,
          ),
        ),
        a.affected.length > 0 ? h('div', { class: 'alert-affected' }, `${a.affected.length} ${t('affected')}`) : null,
        a.status === 'acknowledged' ? ackLines(a) : null,
        canAck(live)
          ? h(
              'button',
              {
                class: 'btn btn-ack',
                'data-ack': a.id,
                onclick: (e: Event) => {
                  e.stopPropagation();
                  opts.onAck(a);
                },
              },
              a.status === 'acknowledged' ? t('ackAgain') : t('ack'),
            )
          : null,
      );
      el.appendChild(item);
    }
  };
  return {
    render,
    blink(ids) {
      for (const id of ids) {
        clearTimeout(blinking.get(id));
        blinking.set(
          id,
          window.setTimeout(() => {
            blinking.delete(id);
            el.querySelector(`[data-alert-id="${CSS.escape(id)}"]`)?.classList.remove('blink');
          }, 12_000),
        );
      }
      render();
    },
  };
}

/** Every acknowledgement of an alert, oldest first (who, when in WIB, comment). */
export function ackLines(a: Alert): HTMLElement {
  const acks =
    a.acks ??
    (a.acknowledgedBy && a.acknowledgedAt
      ? [{ by: a.acknowledgedBy, at: a.acknowledgedAt, ...(a.ackComment ? { comment: a.ackComment } : {}) }]
      : []);
  return h(
    'ul',
    { class: 'alert-acks', 'data-acks': String(acks.length) },
    ...acks.map((k) =>
      h(
        'li',
        { class: 'alert-ack' },
        `✔ ${t('acked')} ${t('ackBy')} ${k.by} · ${fmtTime(k.at, { seconds: false })}${k.comment ? ` — “${k.comment}”` : ''}` +
          (k.publicMessage ? ` · ${t('publicMessageShort')}: “${k.publicMessage}”` : ''),
      ),
    ),
  );
}

/** The acknowledge dialog: internal comment, optional public message (for /status), then POST. */
export function ackDialog(a: Alert, onDone: (updated: Alert) => void): void {
  const comment = h('textarea', {
    name: 'comment',
    maxlength: 500,
    rows: 3,
    placeholder: t('comment'),
    'aria-label': t('comment'),
  });
  const publicMessage = h('textarea', {
    name: 'publicMessage',
    maxlength: 280,
    rows: 2,
    placeholder: t('publicMessage'),
    'aria-label': t('publicMessage'),
  });
  if (a.publicMessage) publicMessage.value = a.publicMessage;
  const publicHint = h('p', { class: 'modal-hint' }, t('publicMessageHint'));
  const err = h('div', { class: 'form-error', role: 'alert' });
  const close = () => dlg.remove();
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const pub = publicMessage.value.trim();
      const r = await api.ack(a.id, comment.value.trim(), pub === (a.publicMessage ?? '') ? '' : pub);
      onDone(r.alert);
      close();
    } catch (x) {
      err.textContent = x instanceof ApiError ? x.message : String(x);
    }
  };
  const dlg = h(
    'div',
    { class: 'modal', role: 'dialog', 'aria-modal': 'true' },
    h(
      'form',
      { class: 'modal-card', onsubmit: submit },
      h('h2', {}, t('ackTitle')),
      h('p', { class: 'modal-sub' }, alertText(a)),
      comment,
      publicMessage,
      publicHint,
      err,
      h(
        'div',
        { class: 'modal-actions' },
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: close }, t('cancel')),
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-confirm-ack': '1' }, t('ack')),
      ),
    ),
  );
  dlg.addEventListener('click', (e) => {
    if (e.target === dlg) close();
  });
  document.body.appendChild(dlg);
  comment.focus();
}
