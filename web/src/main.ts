// The web interface: a hash router over pages, each shown only to the roles that may use it.
import 'leaflet/dist/leaflet.css';
import './style.css';
import { setOnUnauthenticated, type Permission } from './api/client';
import { t, type MessageKey } from './messages/i18n';
import { accountPage, signInPage } from './pages/account';
import { auditPage } from './pages/audit';
import { figuresPage } from './pages/figures';
import { identificationsPage } from './pages/identifications';
import { incidentsPage } from './pages/incidents';
import { mapPage } from './pages/map';
import { personEditPage, personPage } from './pages/person';
import { personsPage } from './pages/persons';
import { remainsItemPage, remainsPage } from './pages/remains';
import { can, current, forget, restore, signOut } from './session';
import { errorBox, h, mount } from './ui';

export interface Route {
  pattern: RegExp;
  needs: Permission | null;
  nav?: MessageKey;
  href?: string;
  render: (main: HTMLElement, args: string[], query: URLSearchParams) => void | Promise<void>;
}

const routes: Route[] = [
  { pattern: /^persons\/new$/, needs: 'write_persons', render: (m) => personEditPage(m, null) },
  { pattern: /^persons\/(\d+)\/edit$/, needs: 'write_persons', render: (m, a) => personEditPage(m, Number(a[0])) },
  { pattern: /^persons\/(\d+)$/, needs: 'read_persons', render: (m, a) => personPage(m, Number(a[0])) },
  { pattern: /^persons$/, needs: 'read_persons', nav: 'nav.persons', href: '#/persons', render: personsPage },
  { pattern: /^map$/, needs: 'read_sites', nav: 'nav.map', href: '#/map', render: mapPage },
  { pattern: /^remains\/(\d+)$/, needs: 'read_remains', render: (m, a) => remainsItemPage(m, Number(a[0])) },
  { pattern: /^remains$/, needs: 'read_remains', nav: 'nav.remains', href: '#/remains', render: remainsPage },
  { pattern: /^identifications$/, needs: 'read_identifications', nav: 'nav.identifications', href: '#/identifications', render: identificationsPage },
  { pattern: /^figures$/, needs: 'read_figures', nav: 'nav.figures', href: '#/figures', render: figuresPage },
  { pattern: /^incidents$/, needs: 'read_persons', nav: 'nav.incidents', href: '#/incidents', render: incidentsPage },
  { pattern: /^audit$/, needs: 'read_audit', nav: 'nav.audit', href: '#/audit', render: auditPage },
  { pattern: /^account$/, needs: null, nav: 'nav.account', href: '#/account', render: accountPage },
];

/** The first page of a role: the one its work starts from. */
function home(): string {
  const role = current()?.role;
  if (role === 'statistics') return 'figures';
  if (role === 'field_team') return 'map';
  if (role === 'dna_analyst') return 'identifications';
  if (role === 'auditor') return 'audit';
  return 'persons';
}

const app = document.getElementById('app')!;

function shell(active: string): HTMLElement {
  const me = current()!;
  const main = h('main', { id: 'main' });
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    routes
      .filter((r) => r.nav && (r.needs === null || can(r.needs)))
      .map((r) =>
        h('a', { href: r.href, class: active.startsWith(r.href!.slice(2)) ? 'active' : '' }, t(r.nav!)),
      ),
  );
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: '#/' }, t('app.title')),
    nav,
    h(
      'div',
      { class: 'who' },
      h('span', { 'data-testid': 'who' }, t('account.signed_in_as', { name: me.username, role: t(`role.${me.role}` as MessageKey) })),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: async () => {
            await signOut().catch(() => {});
            location.hash = '#/signin';
            void render();
          },
        },
        t('account.sign_out'),
      ),
    ),
  );
  mount(app, header, main);
  return main;
}

export async function render(): Promise<void> {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const query = new URLSearchParams(qs ?? '');
  if (!current()) {
    try {
      await restore();
    } catch (e) {
      mount(app, errorBox(e));
      return;
    }
  }
  if (!current()) {
    signInPage(app, () => {
      location.hash = '#/' + (path && path !== 'signin' ? raw : home());
      void render();
    });
    return;
  }
  if (!path || path === 'signin') {
    location.replace('#/' + home());
    return;
  }
  const main = shell(path);
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.needs && !can(r.needs)) {
      mount(main, h('div', { class: 'error', role: 'alert', 'data-testid': 'not-for-role' }, t('error.not_for_role')));
      return;
    }
    try {
      await r.render(main, m.slice(1), query);
    } catch (e) {
      mount(main, errorBox(e));
    }
    main.dataset.ready = '1'; // the page has its data (tests wait for it)
    return;
  }
  mount(main, h('p', { class: 'error' }, t('error.no_page')));
}

setOnUnauthenticated(() => {
  forget();
  void render();
});
window.addEventListener('hashchange', () => void render());
document.documentElement.lang = t('meta.locale');
document.title = t('app.title');
void render();
