// The audit trail (auditors): pages of records, and a verification of its hash chain.
import { apiGet } from '../api/client';
import { t } from '../messages/i18n';
import { errorBox, h, mount, notice, section, table } from '../ui';

export async function auditPage(main: HTMLElement, _a: string[], query: URLSearchParams): Promise<void> {
  const from = Number(query.get('from') ?? '1') || 1;
  const { data } = await apiGet('/api/v1/audit', { query: { from, limit: 100 } });
  const verdict = h('div');
  mount(
    main,
    h('h1', null, t('nav.audit')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            try {
              const { data: v } = await apiGet('/api/v1/audit/verify');
              mount(verdict, v.ok ? notice(t('audit.ok', { n: v.records })) : h('div', { class: 'error', role: 'alert' }, t('audit.bad', { seq: v.first_bad, problem: v.problem })));
            } catch (e) {
              mount(verdict, errorBox(e));
            }
          },
        },
        t('audit.verify'),
      ),
      from > 1 ? h('a', { class: 'button secondary', href: `#/audit?from=${Math.max(1, from - 100)}` }, t('audit.previous')) : null,
      data.next_from ? h('a', { class: 'button secondary', href: `#/audit?from=${data.next_from}` }, t('audit.next')) : null,
    ),
    verdict,
    section(
      'audit.records',
      table(
        ['audit.seq', 'audit.at', 'audit.actor', 'audit.action', 'audit.records_col', 'audit.address', 'audit.outcome'],
        data.records.map((r) => [r.seq, new Date(r.at * 1000).toISOString().replace('T', ' ').slice(0, 19), r.actor, h('code', null, r.action), r.records, r.address, h('span', { class: r.outcome === 'ok' ? 'ok' : 'error-text' }, r.outcome)]),
      ),
    ),
  );
}
