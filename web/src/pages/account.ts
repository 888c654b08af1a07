// Sign-in, change of one's own password, and (administrators) the list of accounts.
import { apiGet, apiPost } from '../api/client';
import { t, tCode } from '../messages/i18n';
import { can, current, forget, signIn } from '../session';
import { errorBox, field, formValues, h, mount, notice, section, table } from '../ui';

export function signInPage(app: HTMLElement, done: () => void): void {
  const msg = h('div');
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const v = formValues(form);
        mount(msg);
        try {
          await signIn(v.username, v.password);
          done();
        } catch (e) {
          mount(msg, errorBox(e));
        }
      },
    },
    h('h1', null, t('app.title')),
    h('p', null, t('signin.intro')),
    field('signin.username', h('input', { name: 'username', autocomplete: 'username', required: true })),
    field(
      'signin.password',
      h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    h('button', { type: 'submit' }, t('signin.submit')),
    msg,
  );
  mount(app, h('main', { class: 'signin-page' }, form));
}

export async function accountPage(main: HTMLElement): Promise<void> {
  const me = current()!;
  const msg = h('div');
  const form = h(
    'form',
    {
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const v = formValues(form);
        if (v.new_password !== v.repeat) {
          mount(msg, h('div', { class: 'error' }, t('account.mismatch')));
          return;
        }
        try {
          await apiPost('/api/v1/session/password', {
            current_password: v.current_password,
            new_password: v.new_password,
          });
          forget();
          mount(main, notice(t('account.changed')), h('p', null, h('a', { href: '#/signin' }, t('signin.submit'))));
        } catch (e) {
          mount(msg, errorBox(e));
        }
      },
    },
    field('account.current', h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true })),
    field('account.new', h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true }), 'account.rule'),
    field('account.repeat', h('input', { name: 'repeat', type: 'password', autocomplete: 'new-password', required: true })),
    h('button', { type: 'submit' }, t('account.change')),
    msg,
  );
  mount(
    main,
    h('h1', null, t('nav.account')),
    h('p', null, t('account.signed_in_as', { name: me.username, role: tCode('role', me.role) })),
    h('p', null, t('account.permissions'), ' ', me.permissions.map((p) => h('code', null, p, ' '))),
    section('account.password', form),
  );
  if (can('manage_accounts')) {
    const { data } = await apiGet('/api/v1/accounts');
    main.append(
      section(
        'account.accounts',
        table(
          ['account.name', 'account.role', 'account.state'],
          data.accounts.map((a) => [
            a.name,
            tCode('role', a.role),
            a.disabled ? t('account.disabled') : a.locked ? t('account.locked') : t('account.active'),
          ]),
        ),
        h('p', { class: 'hint' }, t('account.manage_hint')),
      ),
    );
  }
}
