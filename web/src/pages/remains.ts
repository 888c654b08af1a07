// Remains: bags, bodies and body parts, their samples, the chain of custody, commingled bags and
// (DNA analysts) the individuals re-associated from their samples.
import { apiGet, apiPost } from '../api/client';
import { t, tCode } from '../messages/i18n';
import { can } from '../session';
import { badge, empty, errorBox, field, formValues, h, link, loading, mount, nameSpan, notice, section, table, today } from '../ui';

export async function remainsPage(main: HTMLElement, _a: string[], query: URLSearchParams): Promise<void> {
  mount(main, loading());
  const [{ data }, sites] = await Promise.all([apiGet('/api/v1/remains'), can('read_sites') ? apiGet('/api/v1/sites').then((r) => r.data.sites) : Promise.resolve([])]);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const only = h('select', { name: 'commingled' }, h('option', { value: '' }, t('filter.any')), h('option', { value: 'yes', selected: query.get('commingled') === 'yes' }, t('remains.commingled')), h('option', { value: 'no' }, t('remains.single')));
  const body = h('div');
  const draw = () => {
    const rows = data.remains.filter((r) => !only.value || r.commingled === (only.value === 'yes'));
    mount(
      body,
      h('p', { class: 'count' }, t('remains.count', { n: rows.length, bags: rows.filter((r) => r.commingled).length })),
      rows.length === 0
        ? empty('remains.none')
        : table(
            ['remains.label', 'remains.kind', 'remains.site', 'remains.recovered_on', 'remains.commingled', 'remains.holder', 'remains.samples'],
            rows.map((r) => [
              link(`#/remains/${r.id}`, r.label),
              tCode('remains_kind', r.remains_kind),
              r.site ? nameSpan(siteName.get(r.site) ?? `#${r.site}`) : '',
              r.recovered_on,
              r.commingled ? badge('remains', 'commingled') : '',
              r.holder,
              r.samples.length,
            ]),
          ),
    );
  };
  only.addEventListener('change', draw);
  mount(main, h('h1', null, t('nav.remains')), h('div', { class: 'filters' }, h('label', null, t('remains.show'), ' ', only)), body);
  draw();
}

export async function remainsItemPage(main: HTMLElement, id: number): Promise<void> {
  mount(main, loading());
  const { data: r } = await apiGet('/api/v1/remains/{id}', { params: { id } });
  const site = r.site && can('read_sites') ? (await apiGet('/api/v1/sites')).data.sites.find((s) => s.id === r.site) : undefined;
  let individuals: HTMLElement | null = null;
  if (can('read_genetic')) {
    const { data } = await apiGet('/api/v1/identifications');
    const related = data.identifications.filter((p) => p.remains.split('|').includes(r.label) || r.samples.some((s) => (p.individual ?? '').split(/[|,+ ]/).includes(s)));
    individuals = section(
      'remains.individuals',
      related.length === 0
        ? empty('remains.no_individuals')
        : table(
            ['ident.individual', 'ident.person', 'ident.lr', 'ident.posterior', 'ident.status'],
            related.map((p) => [p.individual ?? '', link(`#/persons/${p.person}`, `#${p.person}`), p.lr ?? '', p.posterior ?? '', badge('proposal', p.status)]),
          ),
    );
  }
  const msg = h('div');
  const transfer = can('write_remains')
    ? h(
        'form',
        {
          class: 'inline',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            const v = formValues(ev.target as HTMLFormElement);
            try {
              await apiPost('/api/v1/remains/{id}/custody', { from: v.from, to: v.to, date: v.date, reason: v.reason }, { params: { id } });
              mount(msg, notice(t('remains.transferred')));
              setTimeout(() => void remainsItemPage(main, id), 600);
            } catch (e) {
              mount(msg, errorBox(e));
            }
          },
        },
        field('remains.from', h('input', { name: 'from', value: r.holder, required: true })),
        field('remains.to', h('input', { name: 'to', required: true })),
        field('site.date', h('input', { name: 'date', type: 'date', value: today() })),
        field('common.reason', h('input', { name: 'reason' })),
        h('button', { type: 'submit' }, t('remains.transfer')),
      )
    : null;
  mount(
    main,
    h('div', { class: 'title-row' }, h('h1', null, r.label), r.commingled ? badge('remains', 'commingled') : null),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, t('remains.kind')), h('dd', null, tCode('remains_kind', r.remains_kind)),
      h('dt', null, t('remains.site')), h('dd', null, site ? h('a', { href: '#/map' }, nameSpan(site.name)) : r.site ? `#${r.site}` : t('remains.unknown_site')),
      h('dt', null, t('remains.recovered_on')), h('dd', null, r.recovered_on),
      h('dt', null, t('remains.holder')), h('dd', null, r.holder),
    ),
    r.commingled ? h('p', { class: 'hint' }, t('remains.commingled_hint')) : null,
    section(
      'remains.samples',
      r.samples.length === 0
        ? empty('remains.no_samples')
        : table(
            r.profiles ? ['remains.sample', 'remains.profile'] : ['remains.sample'],
            r.samples.map((s) => (r.profiles ? [s, h('code', { class: 'profile' }, r.profiles[s] ?? '')] : [s])),
          ),
    ),
    individuals,
    section(
      'remains.custody',
      h(
        'ol',
        { class: 'timeline' },
        r.custody.map((c) =>
          h(
            'li',
            null,
            h('time', null, c.date),
            h('strong', null, tCode('custody', c.kind)),
            ' ',
            c.kind === 'recovered' ? c.holder : c.kind === 'transferred' ? `${c.from} → ${c.to}` : c.sample,
            h('span', { class: 'by' }, t('person.by', { who: c.recorded_by })),
          ),
        ),
      ),
      transfer,
      msg,
    ),
  );
}
