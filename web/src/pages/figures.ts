// Figures: every breakdown of `report figures` as of a chosen date, as bar charts (plain SVG);
// each bar opens its records (for roles that may read persons; statistics users see numbers only)
// and the whole table downloads as CSV.
import { apiGet, type Schemas } from '../api/client';
import { nameCollator, numberFormat, t } from '../messages/i18n';
import { can } from '../session';
import { badge, download, empty, errorBox, fullName, h, link, loading, mount, nameSpan, section, svg, table } from '../ui';

type Row = Schemas['Figures']['rows'][number];

/** The rows grouped into charts: each top-level row with the rows below it. */
export function groups(rows: Row[]): Row[][] {
  const out: Row[][] = [];
  for (const r of rows) {
    if (r.depth === 0 || out.length === 0) out.push([r]);
    else out[out.length - 1].push(r);
  }
  return out;
}

export function csv(f: Schemas['Figures']): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['key,label,value,depth,entity'];
  for (const r of f.rows) lines.push([r.key, q(r.label), r.value, r.depth, r.entity].join(','));
  return lines.join('\n') + '\n';
}

function chart(group: Row[], open: (r: Row) => void): SVGSVGElement {
  const max = Math.max(1, ...group.map((r) => r.value));
  const rowH = 24, labelW = 300, barW = 420, valueW = 70;
  const s = svg('svg', { viewBox: `0 0 ${labelW + barW + valueW} ${group.length * rowH + 6}`, class: 'chart', role: 'img', 'aria-label': group[0].label });
  group.forEach((r, i) => {
    const y = i * rowH + 3;
    const g = svg('g', { class: `bar depth-${r.depth}`, 'data-key': r.key });
    const label = svg('text', { x: 4 + r.depth * 14, y: y + 16 }, r.label);
    const width = Math.max(1, (r.value / max) * barW);
    const rect = svg('rect', { x: labelW, y: y + 3, width, height: rowH - 8, rx: 2 });
    rect.append(svg('title', {}, `${r.label}: ${numberFormat.format(r.value)}`));
    const value = svg('text', { x: labelW + width + 6, y: y + 16, class: 'value' }, numberFormat.format(r.value));
    g.append(label, rect, value);
    if (can('read_persons')) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.classList.add('clickable');
      g.addEventListener('click', () => open(r));
      g.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') open(r);
      });
    }
    s.append(g);
  });
  return s;
}

export async function figuresPage(main: HTMLElement, _a: string[], query: URLSearchParams): Promise<void> {
  const date = h('input', { type: 'date', name: 'as_of', value: query.get('as_of') ?? '' });
  const body = h('div');
  const cell = h('div', { class: 'cell-records' });
  const load = async () => {
    mount(body, loading());
    mount(cell);
    try {
      const asOf = date.value || undefined;
      const { data: f } = await apiGet('/api/v1/figures', { query: { as_of: asOf } });
      const open = async (r: Row) => {
        mount(cell, loading());
        try {
          const { data: c } = await apiGet('/api/v1/figures/cells/{key}', { params: { key: r.key }, query: { as_of: asOf } });
          mount(
            cell,
            section(
              'figures.records',
              h('p', null, t('figures.cell', { label: c.label, n: c.value })),
              c.restricted_not_shown ? h('p', { class: 'muted' }, t('figures.restricted', { n: c.restricted_not_shown })) : null,
              c.persons.length ? table(['persons.name', 'persons.status'], [...c.persons].sort((a, b) => nameCollator.compare(fullName(a), fullName(b))).map((p) => [link(`#/persons/${p.id}`, nameSpan(fullName(p))), badge('status', p.status)])) : null,
              c.remains.length ? table(['remains.label', 'remains.site'], c.remains.map((x) => [link(`#/remains/${x.id}`, x.label), x.site || ''])) : null,
              c.persons.length + c.remains.length === 0 ? empty('figures.no_records') : null,
            ),
          );
          cell.scrollIntoView({ block: 'nearest' });
        } catch (e) {
          mount(cell, errorBox(e));
        }
      };
      mount(
        body,
        h(
          'p',
          { class: f.all_add_up ? 'ok' : 'error' },
          f.as_of ? t('figures.as_of', { date: f.as_of }) : t('figures.today'),
          ' · ',
          t('figures.computed_from', { seq: f.computed_from.seq, hash: f.computed_from.hash.slice(0, 12) }),
          ' · ',
          f.all_add_up ? t('figures.add_up') : t('figures.do_not_add_up'),
        ),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => download(`figures-${f.as_of ?? 'today'}.csv`, csv(f), 'text/csv') }, t('figures.csv'))),
        can('read_persons') ? h('p', { class: 'hint' }, t('figures.click_hint')) : null,
        h('div', { class: 'charts', 'data-testid': 'charts' }, groups(f.rows).map((g) => h('figure', null, h('figcaption', null, g[0].label), chart(g, open)))),
        f.checks.some((c) => !c.ok) ? section('figures.checks', table(['figures.whole', 'figures.parts', 'figures.value'], f.checks.filter((c) => !c.ok).map((c) => [c.whole, c.parts.join(' + '), `${c.whole_value} ≠ ${c.sum_of_parts}`]))) : null,
      );
    } catch (e) {
      mount(body, errorBox(e));
    }
  };
  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void load();
      },
    },
    h('label', null, t('figures.as_of_label'), ' ', date),
    h('button', { type: 'submit' }, t('figures.show')),
    h('button', { type: 'button', class: 'secondary', onclick: () => { date.value = ''; void load(); } }, t('figures.today_button')),
  );
  mount(main, h('h1', null, t('nav.figures')), form, body, cell);
  await load();
}
