import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { getLang, setLang, t } from './i18n.js';

/** The login card; resolves once the session cookie is set (the cookie itself is HttpOnly). */
export function showLogin(root: HTMLElement): Promise<void> {
  return new Promise((resolve) => {
    const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
    const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const err = h('div', { class: 'form-error', role: 'alert' });
    const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, t('login'));
    const form = h(
      'form',
      {
        class: 'login-card',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          btn.setAttribute('disabled', '');
          err.textContent = '';
          try {
            await api.login(user.value.trim(), pass.value);
            resolve();
          } catch (x) {
            err.textContent = x instanceof ApiError && x.status === 429 ? t('loginLimited') : t('loginFailed');
            pass.value = '';
            pass.focus();
          } finally {
            btn.removeAttribute('disabled');
          }
        },
      },
      h('div', { class: 'brand brand-big' }, h('span', { class: 'brand-dot' }), 'pantau'),
      h('p', { class: 'login-sub' }, t('title')),
      h('label', {}, t('username'), user),
      h('label', {}, t('password'), pass),
      err,
      btn,
      h(
        'button',
        {
          type: 'button',
          class: 'link lang-link',
          onclick: () => {
            setLang(getLang() === 'id' ? 'en' : 'id');
            location.reload();
          },
        },
        t('language'),
      ),
    );
    root.replaceChildren(h('div', { class: 'login-wrap' }, form));
    user.focus();
  });
}
