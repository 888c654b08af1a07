// Incidents with their casualty counts and persons, and the sources the register cites.
import { apiGet } from '../api/client';
import { t } from '../messages/i18n';
import { empty, h, link, mount, nameSpan, section, table } from '../ui';

export async function incidentsPage(main: HTMLElement): Promise<void> {
  const { data } = await apiGet('/api/v1/incidents');
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  mount(
    main,
    h('h1', null, t('nav.incidents')),
    section(
      'incidents.title',
      data.incidents.length === 0
        ? empty('incidents.none')
        : table(
            ['incidents.date', 'incidents.place', 'incidents.description', 'incidents.counts', 'incidents.persons', 'incidents.sources'],
            data.incidents.map((i) => [
              i.date,
              nameSpan(i.place, 'place'),
              h('span', { dir: 'auto' }, i.description),
              Object.entries(i.counts).map(([k, v]) => h('div', null, `${k}: ${v}`)),
              i.persons.map((p) => [link(`#/persons/${p}`, `#${p}`), ' ']),
              i.sources.map((s) => h('span', { class: 'source', title: sources.get(s)?.title ?? '' }, sources.get(s)?.symbol ?? `#${s}`, ' ')),
            ]),
          ),
    ),
    section(
      'incidents.sources_title',
      data.sources.length === 0
        ? empty('incidents.no_sources')
        : table(
            ['incidents.symbol', 'incidents.source_title', 'incidents.date', 'incidents.url', 'incidents.sha256'],
            data.sources.map((s) => [s.symbol, h('span', { dir: 'auto' }, s.title), s.date, s.url ? h('a', { href: s.url, rel: 'noreferrer noopener', target: '_blank' }, s.url) : '', h('code', { title: s.sha256 }, s.sha256.slice(0, 16))]),
          ),
    ),
  );
}
