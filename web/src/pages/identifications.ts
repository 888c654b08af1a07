// Identifications: the queue of proposals with LR and posterior (DNA analysts only: the server
// leaves genetic keys out for others), who proposed, confirmed and signed off (the four-eyes
// rule); confirm, reject and sign off; start an identification run and watch its progress.
import { apiGet, apiPost, type Schemas } from '../api/client';
import { t, tCode } from '../messages/i18n';
import { can, current } from '../session';
import { badge, empty, errorBox, field, fullName, h, link, mount, nameSpan, notice, select, table } from '../ui';

type Proposal = Schemas['Identification'];
const PAGE = 20;
const FILTERS = ['', 'proposed', 'awaiting_sign_off', 'confirmed', 'rejected'] as const;

function stage(p: Proposal): 'proposed' | 'awaiting_sign_off' | 'signed_off' | 'rejected' {
  if (p.status === 'rejected') return 'rejected';
  if (p.status === 'proposed') return 'proposed';
  return p.signed_off_by ? 'signed_off' : 'awaiting_sign_off';
}

// Reasons typed but not yet sent, by proposal id.
const drafts = new Map<number, string>();

export async function identificationsPage(main: HTMLElement, _a: string[], query: URLSearchParams): Promise<void> {
  const filter = h('select', { name: 'status' }, FILTERS.map((f) => h('option', { value: f, selected: (query.get('status') ?? '') === f }, f ? tCode('queue', f) : t('filter.any'))));
  const body = h('div');
  // The outcome of the last decision: outside the queue, so that it stays when the queue is
  // redrawn after the decision (the decided proposal leaves the filtered list).
  const status = h('div', { 'data-testid': 'decision-status' });
  const names = new Map<number, string>();
  let list: Proposal[] = [];
  let page = 0;
  let latest = 0; // only the latest of overlapping loads draws
  const draw = async () => {
    const mine = ++latest;
    const shown = list.slice(page * PAGE, (page + 1) * PAGE);
    const missing = [...new Set(shown.map((p) => p.person))].filter((id) => !names.has(id));
    await Promise.all(
      missing.map((id) =>
        apiGet('/api/v1/persons/{id}', { params: { id } })
          .then(({ data: p }) => names.set(id, fullName(p)))
          .catch(() => names.set(id, `#${id}`)),
      ),
    );
    if (mine !== latest) return;
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    const pager = h(
      'div',
      { class: 'actions' },
      h('span', { class: 'count' }, t('ident.count', { n: list.length, page: page + 1, pages })),
      page > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => { page--; void draw(); } }, t('ident.previous')) : null,
      page + 1 < pages ? h('button', { type: 'button', class: 'secondary', onclick: () => { page++; void draw(); } }, t('ident.next')) : null,
    );
    mount(body, pager, queue(shown, names, load, status));
  };
 let loading = 0;
  const load = async () => {
    const mine = ++loading;
    try {
      const { data } = await apiGet('/api/v1/identifications', { query: { status: (filter.value || undefined) as 'proposed' | undefined } });
      if (mine !== loading) return;
      list = [...data.identifications].sort((a, b) => b.id - a.id); // the newest first
      page = Math.min(page, Math.max(0, Math.ceil(list.length / PAGE) - 1));
      await draw();
    } catch (e) {
      mount(body, errorBox(e));
    }
  };
  filter.addEventListener('change', () => {
    page = 0;
    void load();
  });
  mount(
    main,
    h('h1', null, t('nav.identifications')),
    h('p', { class: 'hint' }, t('ident.four_eyes')),
    can('run_identification') ? runPanel(load) : null,
    h('div', { class: 'filters' }, h('label', null, t('ident.show'), ' ', filter)),
    status,
    body,
  );
  await load();
}

function queue(list: Proposal[], names: Map<number, string>, reload: () => Promise<void>, status: HTMLElement): HTMLElement {
  if (list.length === 0) return empty('ident.none');
  const genetic = can('read_genetic');
  const me = current()!.username;
  return h(
    'div',
    { class: 'queue' },
    list.map((p) => {
      const msg = h('div');
      const reason = h('input', { name: 'reason', placeholder: t('common.reason'), 'aria-label': t('common.reason'), dir: 'auto' });
      // What was typed survives a redraw of the queue (a reload after a decision or a run).
      reason.value = drafts.get(p.id) ?? '';
      reason.addEventListener('input', () => drafts.set(p.id, reason.value));
      const ambiguity = h('input', { type: 'checkbox', name: 'ambiguity_resolved' });
      const act = async (what: 'confirm' | 'reject' | 'sign-off') => {
        if (!reason.value.trim()) {
          mount(msg, h('div', { class: 'error' }, t('ident.reason_needed')));
          reason.focus();
          return;
        }
        try {
          if (what === 'confirm') {
            await apiPost('/api/v1/identifications/{id}/confirm', { reason: reason.value, ambiguity_resolved: p.ambiguous ? ambiguity.checked : undefined }, { params: { id: p.id } });
          } else if (what === 'reject') {
            await apiPost('/api/v1/identifications/{id}/reject', { reason: reason.value }, { params: { id: p.id } });
          } else {
            await apiPost('/api/v1/identifications/{id}/sign-off', { reason: reason.value }, { params: { id: p.id } });
          }
          drafts.delete(p.id);
          mount(msg, notice(t(`ident.done.${what}`)));
          mount(status, notice(`#${p.id}: ${t(`ident.done.${what}`)}`));
          setTimeout(() => void reload(), 500);
        } catch (e) {
          mount(msg, errorBox(e));
        }
      };
      const st = stage(p);
      const ownWork = p.proposed_by === me || p.decided_by === me;
      let actions: HTMLElement | null = null;
      if (st === 'proposed' && can('decide_identification')) {
        actions = h(
          'div',
          { class: 'decide' },
          reason,
          p.ambiguous ? h('label', null, ambiguity, ' ', t('ident.ambiguity_resolved')) : null,
          h('button', { type: 'button', onclick: () => void act('confirm') }, t('ident.confirm')),
          h('button', { type: 'button', class: 'secondary', onclick: () => void act('reject') }, t('ident.reject')),
        );
      } else if (st === 'awaiting_sign_off' && can('sign_off_identification')) {
        actions = h(
          'div',
          { class: 'decide' },
          reason,
          h('button', { type: 'button', onclick: () => void act('sign-off') }, t('ident.sign_off')),
          ownWork ? h('small', { class: 'warn' }, t('ident.not_yours')) : null,
        );
      } else if (st === 'signed_off' && can('notify_family')) {
        actions = h('div', { class: 'decide' }, link(`#/persons/${p.person}`, t('ident.go_notify')));
      }
      return h(
        'article',
        { class: `proposal stage-${st}${p.lr ? ' has-lr' : ''}`, 'data-proposal': p.id },
        h(
          'header',
          null,
          h('strong', null, t('ident.proposal', { id: p.id })),
          ' ',
          badge('queue', st),
          p.ambiguous ? badge('ident', 'ambiguous') : null,
          ' ',
          link(`#/persons/${p.person}`, nameSpan(names.get(p.person) ?? `#${p.person}`)),
        ),
        h(
          'dl',
          { class: 'facts' },
          genetic ? [h('dt', null, t('ident.lr')), h('dd', { class: 'lr' }, p.lr || t('ident.no_lr'))] : null,
          genetic && p.posterior ? [h('dt', null, t('ident.posterior')), h('dd', null, p.posterior)] : null,
          genetic && p.individual ? [h('dt', null, t('ident.individual')), h('dd', null, p.individual)] : null,
          genetic && p.family ? [h('dt', null, t('ident.family')), h('dd', null, p.family)] : null,
          p.remains ? [h('dt', null, t('ident.remains')), h('dd', null, p.remains.split('|').join(', '))] : null,
          p.site_note ? [h('dt', null, t('ident.site')), h('dd', null, p.site_note)] : null,
        ),
        h(
          'ol',
          { class: 'four-eyes' },
          h('li', null, t('ident.proposed_by', { who: p.proposed_by, date: p.proposed_on })),
          p.decided_by ? h('li', null, t(p.status === 'rejected' ? 'ident.rejected_by' : 'ident.confirmed_by', { who: p.decided_by, date: p.decided_on }), p.decision_reason ? h('q', { dir: 'auto' }, p.decision_reason) : null) : h('li', { class: 'pending' }, t('ident.awaiting_decision')),
          p.status === 'rejected' ? null : p.signed_off_by ? h('li', null, t('ident.signed_off_by', { who: p.signed_off_by, date: p.signed_off_on }), p.sign_off_reason ? h('q', { dir: 'auto' }, p.sign_off_reason) : null) : h('li', { class: 'pending' }, t('ident.awaiting_sign_off')),
        ),
        genetic && p.individual ? evidenceButton(p.individual) : null,
        // The identification report (PDF): per marker the genotypes and LRs, the family's pedigree,
        // the assumptions; only for runs, which record that evidence with their proposals.
        genetic && p.run ? h('p', null, h('a', { href: `/api/v1/identifications/${p.id}/report`, target: '_blank', rel: 'noopener', 'data-testid': 'report-link' }, t('ident.report'))) : null,
        actions,
        msg,
      );
    }),
  );
}

function evidenceButton(individual: string): HTMLElement {
  const box = h('div', { class: 'evidence' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'link',
      onclick: async () => {
        try {
          const { data } = await apiGet('/api/v1/matches', { query: { individual } });
          mount(box, table(['ident.person', 'ident.lr', 'ident.posterior', 'ident.candidates', 'ident.status'], data.matches.map((m) => [link(`#/persons/${m.person}`, `#${m.person}`), m.lr ?? '', m.posterior ?? '', m.candidates ?? '', badge('proposal', m.status)])));
        } catch (e) {
          mount(box, errorBox(e));
        }
      },
    },
    t('ident.evidence'),
  );
  return h('div', null, button, box);
}

function runPanel(reload: () => Promise<void>): HTMLElement {
  const files = ['families', 'references', 'remains', 'remains_alleles', 'frequencies'] as const;
  const inputs = Object.fromEntries(files.map((f) => [f, h('input', { type: 'file', name: f, required: f !== 'frequencies' })])) as Record<(typeof files)[number], HTMLInputElement>;
  // What the run reads: the register's own DNA data (as `whereabouts identify --db`), or the
  // laboratory's files.
  const source = select('source', 'run.source', ['register', 'files'], 'register');
  const fileFields = h('div', { class: 'run-files' }, files.map((f) => field(`run.${f}`, inputs[f])));
  const showFiles = () => {
    const on = source.value === 'files';
    fileFields.hidden = !on;
    for (const f of files) inputs[f].required = on && f !== 'frequencies';
  };
  source.addEventListener('change', showFiles);
  showFiles();
  const reason = h('input', { name: 'reason', dir: 'auto' });
  const progress = h('div', { class: 'run-progress' });
  const form = h(
    'form',
    {
      class: 'run',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          let body: Schemas['RunRequest'];
          if (source.value === 'register') {
            body = { source: 'register', reason: reason.value || undefined };
          } else {
            const text = async (f: (typeof files)[number]) => (inputs[f].files?.[0] ? await inputs[f].files![0].text() : '');
            body = {
              families: await text('families'),
              references: await text('references'),
              remains: await text('remains'),
              remains_alleles: await text('remains_alleles'),
              reason: reason.value || undefined,
            };
            const freq = await text('frequencies');
            if (freq) body.frequencies = freq;
          }
          const { data } = await apiPost('/api/v1/identification-runs', body);
          void watch((data as { id: number }).id, progress, reload);
        } catch (e) {
          mount(progress, errorBox(e));
        }
      },
    },
    field('run.source', source),
    fileFields,
    field('common.reason', reason),
    h('button', { type: 'submit' }, t('run.start')),
  );
  return h('details', { class: 'panel' }, h('summary', null, t('run.title')), h('p', { class: 'hint' }, t('run.hint')), form, progress);
}

async function watch(id: number, box: HTMLElement, reload: () => Promise<void>): Promise<void> {
  for (;;) {
    let s: Schemas['RunState'];
    try {
      s = (await apiGet('/api/v1/identification-runs/{id}', { params: { id } })).data;
    } catch (e) {
      mount(box, errorBox(e));
      return;
    }
    const pct = Math.round((s.fraction ?? 0) * 100);
    mount(
      box,
      h('p', null, t('run.state', { id: s.id, status: tCode('run', s.status), stage: s.stage ?? '' })),
      h('progress', { max: 100, value: pct, 'data-testid': 'run-progress' }, `${pct}%`),
      s.counts ? h('p', { class: 'ok', 'data-testid': 'run-done' }, t('run.counts', { proposed: s.counts.proposed, ambiguous: s.counts.proposed_ambiguous, identified: s.counts.identified, individuals: s.counts.individuals, withheld: s.counts.references_without_consent })) : null,
      s.counts?.left_out ? h('ul', { 'data-testid': 'run-left-out' }, Object.entries(s.counts.left_out).map(([what, n]) => h('li', null, t('run.left_out', { what, n })))) : null,
      s.error ? errorBox(s.error.detail) : null,
    );
    if (s.status === 'done' || s.status === 'failed') {
      await reload();
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
