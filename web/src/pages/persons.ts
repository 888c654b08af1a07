// Persons: search by a name in any script (the server matches across scripts: "Kharatyan" finds
// "Харатян"), filters, sorted by name with ICU collation.
import { apiGet, type Schemas } from '../api/client';
import { nameCollator, t } from '../messages/i18n';
import { can } from '../session';
import { badge, empty, errorBox, fullName, h, link, mount, nameSpan, select } from '../ui';

type Summary = Schemas['PersonSummary'];
const STATUSES = ['open', 'identified', 'found_alive', 'merged', 'withdrawn'] as const;

export async function personsPage(main: HTMLElement, _args: string[], query: URLSearchParams): Promise<void> {
  const results = h('div', { class: 'results' });
  const q = h('input', { name: 'q', type: 'search', value: query.get('q') ?? '', placeholder: t('persons.search_hint'), dir: 'auto', 'aria-label': t('persons.search') });
  const status = select('status', 'status', STATUSES, query.get('status') ?? '', 'filter.any');
  const affiliation = select('affiliation', 'affiliation', ['civilian', 'serviceman'], query.get('affiliation') ?? '', 'filter.any');
  const captured = select('captured', 'captured', ['yes', 'no'], query.get('captured') ?? '', 'filter.any');
  let shown: Summary[] = [];
  let cursor: string | null = null;

  const filtered = () =>
    shown.filter(
      (p) =>
        (!affiliation.value || p.affiliation === affiliation.value) &&
        (!captured.value || (p.capture !== 'none') === (captured.value === 'yes')),
    );

  const draw = () => {
    const rows = filtered().sort((a, b) => nameCollator.compare(fullName(a), fullName(b)));
    mount(
      results,
      h('p', { class: 'count' }, t('persons.count', { n: rows.length })),
      rows.length === 0
        ? empty('persons.none')
        : h(
            'table',
            { class: 'persons' },
            h('thead', null, h('tr', null, (['persons.name', 'persons.other_names', 'persons.born', 'persons.affiliation', 'persons.capture', 'persons.disappeared', 'persons.status'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
            h(
              'tbody',
              null,
              rows.map((p) =>
                h(
                  'tr',
                  null,
                  h('td', null, link(`#/persons/${p.id}`, nameSpan(fullName(p)))),
                  h('td', null, p.other_names.map((n) => [nameSpan(n), ' '])),
                  h('td', null, p.birth_date || (p.birth_year_min ? `${p.birth_year_min}–${p.birth_year_max ?? ''}` : '')),
                  h('td', null, t(`affiliation.${p.affiliation}`)),
                  h('td', null, p.capture === 'none' ? '' : t(`capture.${p.capture}`)),
                  h('td', null, p.disappearance_date, ' ', p.disappearance_place ? nameSpan(p.disappearance_place, 'place') : null),
                  h('td', null, badge('status', p.status)),
                ),
              ),
            ),
          ),
      cursor ? h('button', { type: 'button', onclick: () => void load(true) }, t('persons.more')) : null,
    );
  };

  let latest = 0; // only the latest of overlapping searches is shown
  const load = async (more: boolean) => {
    const mine = ++latest;
    try {
      // The page's own filters (affiliation, captured) narrow what the server sent: fetch further
      // pages (up to 10) until 50 persons pass them or the list ends.
      const before = more ? filtered().length : 0;
      let next = more ? cursor : null;
      let got: Summary[] = more ? shown : [];
      for (let pages = 0; pages < 10; pages++) {
        const { data } = await apiGet('/api/v1/persons', {
          query: { q: q.value.trim() || undefined, status: (status.value || undefined) as Summary['status'] | undefined, limit: 200, cursor: next ?? undefined },
        });
        if (mine !== latest) return;
        got = got.concat(data.persons);
        next = data.next_cursor ?? null;
        shown = got;
        if (!next || filtered().length >= before + 50 || (!affiliation.value && !captured.value)) break;
      }
      shown = got;
      cursor = next;
      draw();
    } catch (e) {
      mount(results, errorBox(e));
    }
  };

  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void load(false);
      },
    },
    q,
    h('label', null, t('persons.status'), ' ', status),
    h('label', null, t('persons.affiliation'), ' ', affiliation),
    h('label', null, t('persons.captured'), ' ', captured),
    h('button', { type: 'submit' }, t('persons.search')),
  );
  affiliation.addEventListener('change', () => void load(false));
  captured.addEventListener('change', () => void load(false));
  status.addEventListener('change', () => void load(false));
  mount(
    main,
    h('div', { class: 'title-row' }, h('h1', null, t('nav.persons')), can('write_persons') ? h('a', { class: 'button', href: '#/persons/new' }, t('persons.register')) : null),
    form,
    h('p', { class: 'hint' }, t('persons.filter_note')),
    results,
  );
  await load(false);
}
