// Small DOM helpers: elements are built with text nodes (never innerHTML with data), so names and
// reasons from the register cannot inject markup.
import { ApiError } from './api/client';
import { t, tCode, type MessageKey } from './messages/i18n';

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> & { class?: string; dir?: string };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v as EventListener);
      } else if (k === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(v);
      } else if (k === 'checked' && 'checked' in el) {
        (el as HTMLInputElement).checked = Boolean(v);
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** A name as the register spells it, in its own direction (Arabic right to left). */
export function nameSpan(text: string, cls = 'name'): HTMLElement {
  return h('bdi', { class: cls, dir: 'auto' }, text);
}

export function fullName(p: { family_name: string; given_name: string; father_name?: string }) {
  return [p.family_name, p.given_name, p.father_name].filter((s) => s).join(' ');
}

export function link(href: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href }, ...children);
}

export function section(titleKey: MessageKey, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, t(titleKey)), ...children);
}

export function table(headKeys: MessageKey[], rows: Child[][], attrs: Attrs = {}): HTMLElement {
  return h(
    'table',
    attrs,
    h('thead', null, h('tr', null, headKeys.map((k) => h('th', { scope: 'col' }, t(k))))),
    h(
      'tbody',
      null,
      rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))),
    ),
  );
}

export function badge(prefix: string, code: string): HTMLElement {
  return h('span', { class: `badge ${prefix}-${code}` }, tCode(prefix, code));
}

export function empty(key: MessageKey): HTMLElement {
  return h('p', { class: 'empty' }, t(key));
}

/** An error of the server as the user should read it: its detail and, where known, the field. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('error.network');
    if (e.status === 403) return t('error.forbidden', { detail: e.message });
    if (e.status === 412) return t('error.stale');
    const field = e.field ? t('error.field', { field: e.field }) + ' ' : '';
    return field + e.message;
  }
  return String(e);
}

export function errorBox(e: unknown): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, errorText(e));
}

export function notice(text: string, cls = 'ok'): HTMLElement {
  return h('div', { class: `notice ${cls}`, role: 'status' }, text);
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading' }, t('common.loading'));
}

/** Replaces the children of `el` with `children`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A labelled form field. */
export function field(
  labelKey: MessageKey,
  input: HTMLElement,
  hintKey?: MessageKey,
): HTMLElement {
  return h(
    'label',
    { class: 'field' },
    h('span', { class: 'label' }, t(labelKey)),
    input,
    hintKey ? h('small', null, t(hintKey)) : null,
  );
}

export function select(
  name: string,
  prefix: string,
  codes: readonly string[],
  value = '',
  withAny?: MessageKey,
): HTMLSelectElement {
  return h(
    'select',
    { name },
    withAny ? h('option', { value: '' }, t(withAny)) : null,
    codes.map((c) => h('option', { value: c, selected: c === value }, tCode(prefix, c))),
  );
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    out[k] = String(v);
  });
  return out;
}

/** Downloads `text` as a file named `name`. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
