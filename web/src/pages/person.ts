// A person's case: facts, status, the history as a timeline, relatives and the pedigree, remains
// and samples, sources; registering and correcting (with the server's validation messages and a
// clear message when someone else changed the record meanwhile: 412).
import { apiGet, apiPatch, apiPost, ApiError, type Schemas } from '../api/client';
import { nameCollator, t, tCode, type MessageKey } from '../messages/i18n';
import { can } from '../session';
import { badge, empty, errorBox, errorText, field, formValues, fullName, h, link, loading, mount, nameSpan, notice, section, select, svg, table, today } from '../ui';

type Person = Schemas['Person'];
type Relative = Schemas['Relative'];

function facts(p: Person): HTMLElement {
  const rows: [MessageKey, unknown][] = [
    ['person.other_names', p.other_names.length ? h('span', null, p.other_names.map((n, i) => [i ? ' · ' : '', nameSpan(n)])) : ''],
    ['person.sex', tCode('sex', p.sex)],
    ['person.born', p.birth_date || (p.birth_year_min ? `${p.birth_year_min}–${p.birth_year_max ?? ''}` : '')],
    ['person.affiliation', tCode('affiliation', p.affiliation) + (p.unit ? ` (${p.unit})` : '')],
    ['person.category', tCode('category', p.category)],
    ['person.disappeared', [p.disappearance_date, p.disappearance_place].filter(Boolean).join(', ')],
    ['person.circumstances', p.circumstances],
    ['person.capture', p.capture === 'none' ? '' : `${tCode('capture', p.capture)} ${p.capture_date} ${p.captured_by}`],
    ['person.detention', p.detention_place],
    ['person.icrc_visits', p.icrc_visits || ''],
    ['person.death', p.reported_dead ? [p.death_date, p.death_place, p.death_locality].filter(Boolean).join(', ') : ''],
    ['person.body', p.body === 'not_applicable' ? '' : tCode('body', p.body) + (p.body_returned_on ? ` ${p.body_returned_on}` : '')],
    ['person.identified_on', p.identified_on],
    ['person.family_notified_on', p.family_notified_on],
    ['person.registered_on', p.registered_on],
    ['person.last_event_on', p.last_event_on],
  ];
  return h(
    'dl',
    { class: 'facts' },
    rows
      .filter(([, v]) => v !== '' && v !== undefined)
      .map(([k, v]) => [h('dt', null, t(k)), h('dd', null, v instanceof Node ? v : h('bdi', { dir: 'auto' }, String(v)))]),
  );
}

function timeline(events: Schemas['Event'][]): HTMLElement {
  if (events.length === 0) return empty('person.no_events');
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        null,
        h('time', null, e.recorded_on),
        h('strong', null, tCode('event', e.type)),
        h('span', { class: 'by' }, t('person.by', { who: e.by })),
        e.reason ? h('p', null, h('bdi', { dir: 'auto' }, e.reason)) : null,
        Object.keys(e.payload).length
          ? h('dl', { class: 'payload' }, Object.entries(e.payload).map(([k, v]) => [h('dt', null, k), h('dd', null, h('bdi', { dir: 'auto' }, v))]))
          : null,
      ),
    ),
  );
}

/** The family around the missing person: parents above, siblings and spouse beside, children below. */
export function pedigree(p: Person, relatives: Relative[]): SVGSVGElement | null {
  const of = (...kinds: string[]) => relatives.filter((r) => kinds.includes(r.relationship.toLowerCase()));
  const parents = of('mother', 'father', 'parent');
  const side = of('sibling', 'brother', 'sister', 'spouse', 'wife', 'husband');
  const children = of('child', 'son', 'daughter');
  if (parents.length + side.length + children.length === 0) return null;
  const W = 150, H = 44, GAP = 24;
  const rowWidth = (n: number) => n * W + (n - 1) * GAP;
  const middle = [null, ...side];
  const width = Math.max(rowWidth(Math.max(parents.length, 1)), rowWidth(middle.length), rowWidth(Math.max(children.length, 1))) + 40;
  const height = 3 * H + 2 * 50 + 20;
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'pedigree', role: 'img', 'aria-label': t('person.pedigree') });
  const x0 = (n: number) => (width - rowWidth(n)) / 2;
  const box = (x: number, y: number, label: string, sub: string, cls: string) => {
    const g = svg('g', { class: cls });
    g.append(svg('rect', { x, y, width: W, height: H, rx: cls === 'missing' ? 4 : 18 }));
    const name = svg('text', { x: x + W / 2, y: y + 18, 'text-anchor': 'middle', direction: 'ltr' }, label.length > 22 ? label.slice(0, 21) + '…' : label);
    name.setAttribute('unicode-bidi', 'plaintext');
    g.append(name, svg('text', { x: x + W / 2, y: y + 34, 'text-anchor': 'middle', class: 'sub' }, sub));
    s.append(g);
  };
  const yTop = 10, yMid = yTop + H + 50, yBot = yMid + H + 50;
  const mx = x0(middle.length);
  const meX = mx + W / 2;
  parents.forEach((r, i) => {
    const x = x0(parents.length) + i * (W + GAP);
    s.append(svg('line', { x1: x + W / 2, y1: yTop + H, x2: meX, y2: yMid, class: 'edge' }));
    box(x, yTop, r.name, `${r.relationship}${r.sample ? ' · ' + r.sample : ''}`, 'relative');
  });
  middle.forEach((r, i) => {
    const x = mx + i * (W + GAP);
    if (r === null) box(x, yMid, fullName(p), t('person.missing_person'), 'missing');
    else box(x, yMid, r.name, `${r.relationship}${r.sample ? ' · ' + r.sample : ''}`, 'relative');
  });
  children.forEach((r, i) => {
    const x = x0(children.length) + i * (W + GAP);
    s.append(svg('line', { x1: meX, y1: yMid + H, x2: x + W / 2, y2: yBot, class: 'edge' }));
    box(x, yBot, r.name, `${r.relationship}${r.sample ? ' · ' + r.sample : ''}`, 'relative');
  });
  return s;
}

export async function personPage(main: HTMLElement, id: number): Promise<void> {
  mount(main, loading());
  const [{ data: p }, { data: hist }, { data: rel }] = await Promise.all([
    apiGet('/api/v1/persons/{id}', { params: { id } }),
    apiGet('/api/v1/persons/{id}/history', { params: { id } }),
    apiGet('/api/v1/persons/{id}/relatives', { params: { id } }),
  ]);
  const relatives = [...rel.relatives].sort((a, b) => nameCollator.compare(a.name, b.name));
  const tree = pedigree(p, relatives);
  const actions = h('div', { class: 'actions' });
  if (can('write_persons')) actions.append(h('a', { class: 'button', href: `#/persons/${id}/edit` }, t('person.correct')));

  mount(
    main,
    h('div', { class: 'title-row' }, h('h1', null, nameSpan(fullName(p), 'name big')), badge('status', p.status), actions),
    h('p', { class: 'muted' }, t('person.id_version', { id: p.id, version: p.version })),
    section('person.case', facts(p)),
    notificationPanel(p),
    section(
      'person.relatives',
      tree,
      relatives.length === 0
        ? empty('person.no_relatives')
        : table(
            ['person.relative_name', 'person.relationship', 'person.sample', 'person.consent'],
            relatives.map((r) => [nameSpan(r.name), r.relationship, r.sample, tCode('consent', r.consent)]),
          ),
    ),
    await remainsPanel(p),
    await referencesPanel(p),
    await sourcesPanel(p),
    section('person.history', timeline(hist.events)),
  );
}

function notificationPanel(p: Person): HTMLElement | null {
  if (!can('notify_family') || p.status !== 'identified') return null;
  if (p.family_notified_on) return section('person.notification', h('p', null, t('person.notified', { date: p.family_notified_on })));
  const msg = h('div');
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const v = formValues(form);
        try {
          await apiPost('/api/v1/persons/{id}/notification', { date: v.date, reason: v.reason }, { params: { id: p.id } });
          mount(msg, notice(t('person.notification_recorded')));
          setTimeout(() => void personPage(document.getElementById('main')!, p.id), 600);
        } catch (e) {
          mount(msg, errorBox(e));
        }
      },
    },
    field('person.notification_date', h('input', { name: 'date', type: 'date', value: today(), required: true })),
    field('common.reason', h('input', { name: 'reason', required: true, dir: 'auto' })),
    h('button', { type: 'submit' }, t('person.record_notification')),
  );
  return section('person.notification', h('p', null, t('person.notification_hint')), form, msg);
}

async function remainsPanel(p: Person): Promise<HTMLElement | null> {
  const labels = p.identified_remains.split('|').filter(Boolean);
  if (labels.length === 0 || !can('read_remains')) return null;
  const { data } = await apiGet('/api/v1/remains');
  const byLabel = new Map(data.remains.map((r) => [r.label, r]));
  return section(
    'person.remains',
    table(
      ['remains.label', 'remains.samples', 'remains.holder'],
      labels.map((l) => {
        const r = byLabel.get(l);
        return r ? [link(`#/remains/${r.id}`, l), r.samples.join(', '), r.holder] : [l, '', ''];
      }),
    ),
  );
}

async function referencesPanel(p: Person): Promise<HTMLElement | null> {
  if (!can('read_genetic')) return null;
  const { data } = await apiGet('/api/v1/persons/{id}/references', { params: { id: p.id }, query: { purpose: 'identification' } });
  const rows = [...data.references.map((r) => ({ ...r, used: true })), ...data.withheld.map((r) => ({ ...r, used: false }))];
  if (rows.length === 0) return section('person.references', empty('person.no_references'));
  return section(
    'person.references',
    table(
      ['person.relationship', 'person.sample', 'person.consent', 'person.usable'],
      rows.map((r) => [r.relationship, r.sample, tCode('consent', r.consent), r.used ? t('common.yes') : `${t('common.no')} ${r.reason ?? ''}`]),
    ),
  );
}

async function sourcesPanel(p: Person): Promise<HTMLElement | null> {
  const { data } = await apiGet('/api/v1/incidents');
  const incidents = data.incidents.filter((i) => i.persons.includes(p.id));
  if (incidents.length === 0) return null;
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  return section(
    'person.sources',
    table(
      ['incidents.date', 'incidents.place', 'incidents.description', 'incidents.sources'],
      incidents.map((i) => [
        i.date,
        nameSpan(i.place, 'place'),
        i.description,
        i.sources.map((s) => {
          const src = sources.get(s);
          return src ? h('span', { class: 'source', title: src.title }, src.symbol, ' ') : String(s);
        }),
      ]),
    ),
  );
}

// ---- registration and correction ----

const TEXT_FIELDS = ['family_name', 'given_name', 'father_name', 'unit', 'disappearance_place', 'circumstances'] as const;

export async function personEditPage(main: HTMLElement, id: number | null): Promise<void> {
  let p: Person | null = null;
  if (id !== null) p = (await apiGet('/api/v1/persons/{id}', { params: { id } })).data;
  const msg = h('div', { class: 'form-message' });
  const text = (name: (typeof TEXT_FIELDS)[number], required = false) =>
    field(`person.field.${name}`, h(name === 'circumstances' ? 'textarea' : 'input', { name, dir: 'auto', value: p ? p[name] : '', required }));
  const form = h(
    'form',
    { class: 'person-form', novalidate: true },
    text('family_name', true),
    text('given_name', true),
    text('father_name'),
    field('person.field.other_names', h('input', { name: 'other_names', dir: 'auto', value: p ? p.other_names.join(' | ') : '' }), 'person.other_names_hint'),
    field('person.field.sex', select('sex', 'sex', ['unknown', 'male', 'female'], p?.sex ?? 'unknown')),
    field('person.field.birth_date', h('input', { name: 'birth_date', value: p?.birth_date ?? '', placeholder: 'YYYY-MM-DD' })),
    field('person.field.birth_year_min', h('input', { name: 'birth_year_min', inputmode: 'numeric', value: p?.birth_year_min ?? '' })),
    field('person.field.birth_year_max', h('input', { name: 'birth_year_max', inputmode: 'numeric', value: p?.birth_year_max ?? '' })),
    field('person.field.affiliation', select('affiliation', 'affiliation', ['civilian', 'serviceman'], p?.affiliation ?? 'civilian')),
    text('unit'),
    field('person.field.disappearance_date', h('input', { name: 'disappearance_date', value: p?.disappearance_date ?? '', placeholder: 'YYYY-MM-DD' })),
    text('disappearance_place'),
    text('circumstances'),
    field('common.reason', h('input', { name: 'reason', dir: 'auto', required: id !== null })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t(id === null ? 'person.register' : 'person.save')), link(id === null ? '#/persons' : `#/persons/${id}`, t('common.cancel'))),
    msg,
  );

  const showError = (e: unknown) => {
    form.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
    form.querySelectorAll('.field-error').forEach((el) => el.remove());
    if (e instanceof ApiError && e.status === 412) {
      mount(
        msg,
        h('div', { class: 'error stale', role: 'alert', 'data-testid': 'stale' }, t('person.stale'), ' ', h('button', { type: 'button', onclick: () => void personEditPage(main, id) }, t('person.reload'))),
      );
      return;
    }
    mount(msg, errorBox(e));
    if (e instanceof ApiError && e.field) {
      const input = form.querySelector(`[name="${CSS.escape(e.field.replace(/^fields\./, ''))}"]`);
      if (input) {
        input.classList.add('invalid');
        input.after(h('small', { class: 'field-error', role: 'alert' }, errorText(e)));
        (input as HTMLElement).focus();
      }
    }
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const year = (s: string) => (s.trim() === '' ? null : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
    const others = v.other_names.split('|').map((s) => s.trim()).filter(Boolean);
    try {
      if (p === null) {
        const body: Schemas['PersonRegistration'] = {
          family_name: v.family_name,
          given_name: v.given_name,
          father_name: v.father_name,
          other_names: others,
          sex: v.sex as Person['sex'],
          birth_date: v.birth_date,
          birth_year_min: year(v.birth_year_min) as number | null,
          birth_year_max: year(v.birth_year_max) as number | null,
          affiliation: v.affiliation as Person['affiliation'],
          unit: v.unit,
          disappearance_date: v.disappearance_date,
          disappearance_place: v.disappearance_place,
          circumstances: v.circumstances,
          reason: v.reason || undefined,
        };
        const { data } = await apiPost('/api/v1/persons', body);
        location.hash = `#/persons/${data.id}`;
      } else {
        const fields: Record<string, string | number | string[]> = {};
        for (const k of [...TEXT_FIELDS, 'sex', 'birth_date', 'affiliation', 'disappearance_date'] as const) {
          if ((v[k] ?? '') !== String(p[k] ?? '')) fields[k] = v[k];
        }
        for (const k of ['birth_year_min', 'birth_year_max'] as const) {
          if (v[k].trim() !== String(p[k] ?? '')) fields[k] = year(v[k]) ?? '';
        }
        if (others.join('|') !== p.other_names.join('|')) fields.other_names = others;
        if (Object.keys(fields).length === 0) {
          mount(msg, h('div', { class: 'error' }, t('person.nothing_changed')));
          return;
        }
        await apiPatch('/api/v1/persons/{id}', { fields, reason: v.reason } as Schemas['PersonCorrection'], {
          params: { id: p.id },
          headers: { 'If-Match': `"${p.version}"` },
        });
        location.hash = `#/persons/${p.id}`;
      }
    } catch (e) {
      showError(e);
    }
  });
  mount(main, h('h1', null, p ? t('person.correct_title', { name: fullName(p) }) : t('person.register_title')), p ? h('p', { class: 'muted' }, t('person.id_version', { id: p.id, version: p.version })) : null, form);
}
