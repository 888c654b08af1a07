// Every text of the interface comes from one catalogue (en.json); a translation is another file
// with the same keys. `t('key', {name: ...})` fills {name} placeholders.
import en from './en.json';

export type MessageKey = keyof typeof en;
const catalogue: Record<string, string> = en;

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  let text = catalogue[key] ?? key;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  }
  return text;
}

/** A message for a code of the API (status, role, event type), or the code itself. */
export function tCode(prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return catalogue[key] ?? code;
}

/** The interface language (the catalogue's), for sorting names and formatting numbers. */
export const locale: string = catalogue['meta.locale'] ?? 'en';

/** Sorts names in any script: Latin, Cyrillic, Armenian, Georgian, Arabic (ICU collation). */
export const nameCollator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
export const numberFormat = new Intl.NumberFormat(locale);
