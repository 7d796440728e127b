import type { Alert } from '../../core/types.js';
import { fmtTime } from './clock.js';
import { api, ApiError } from './api.js';
import { clear, h } from './dom.js';
import { getLang, t } from './i18n.js';
import type { LiveState } from './live.js';
import { alertTextIn } from './alert-text.js';

/** The alert in the page language (web/src/alert-text.ts); the engine's Indonesian title when the key is unknown here. */
export function alertText(a: Alert): string {
  return alertTextIn(a, getLang());
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
