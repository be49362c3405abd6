// The counter's two languages: every user-facing text is a key of the catalogues in
// src/locales (es.json, the default, and en.json), read through svelte-i18n. Markup uses
// `{$_("screen.key")}`; TypeScript uses `t("screen.key")`. To add a text: put the key in
// both catalogues (the test in i18n.test.ts fails when one lacks it) and use it; a literal
// in a component's markup fails the same test. See README, "Languages".
import { addMessages, init, locale, _ } from 'svelte-i18n';
import { get } from 'svelte/store';
import type { CoreError, Language } from '../bindings';
import en from '../locales/en.json';
import es from '../locales/es.json';
import { isScreenError } from './api';
import { setAmountLanguage } from './money';

export { _, locale };

export const LANGUAGES = ['es', 'en'] as const satisfies readonly Language[];

/** What the language picker shows: each language in its own words. */
export const LANGUAGE_NAME = { es: 'Español', en: 'English' } as const satisfies Record<Language, string>;

addMessages('es', es);
addMessages('en', en);
init({ fallbackLocale: 'es', initialLocale: 'es' });

let current: Language = 'es';

/** Where the login screen's language is kept between runs (before anyone logs in). */
const REMEMBERED = 'mostrador.language';

/** Switches every text, amount and date to `language`. */
export function setLanguage(language: Language): void {
  current = language;
  setAmountLanguage(language);
  locale.set(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language === 'es' ? 'es-BO' : 'en';
  try {
    globalThis.localStorage?.setItem(REMEMBERED, language);
  } catch {
    // Private storage unavailable: the operator's choice is still kept by the core.
  }
}

/** The language of the last operator on this computer, for the login screen. */
export function rememberedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(REMEMBERED);
    return stored === 'en' ? 'en' : 'es';
  } catch {
    return 'es';
  }
}

export function language(): Language {
  return current;
}

/** The `Intl` locale of the current language, for dates and sizes a screen formats itself. */
export function intlLocale(): string {
  return current === 'es' ? 'es-BO' : 'en';
}

/** A catalogue text outside markup; `values` fill its `{placeholders}`. */
export function t(key: string, values?: Record<string, string | number>): string {
  // Numbers go in as written (ids are not "1.234"); amounts arrive already formatted.
  const plain = values ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) : undefined;
  return get(_)(key, plain ? { values: plain } : undefined);
}

/**
 * A label map read from the catalogue under `prefix`, with the same keys as `keys`
 * (`satisfies Record<Enum, true>` at the call keeps it exhaustive over the Rust enum).
 */
export function labelsOf<K extends string>(prefix: string, keys: Record<K, true>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(keys) as K[]) {
    Object.defineProperty(out, key, { get: () => t(`${prefix}.${key}`), enumerable: true });
  }
  return out;
}

/**
 * A core error in the operator's language. The core writes its messages in Spanish; in
 * English the message is rebuilt from the stable `code` and the `field` it names.
 */
export function errorText(error: CoreError): string {
  if (current === 'es' || isScreenError(error)) return error.message;
  const field = error.field ? t(`fields.${error.field}`) : '';
  const fieldName = error.field && field !== `fields.${error.field}` ? field : (error.field ?? '');
  return t(error.field ? `errors.${error.code}.field` : `errors.${error.code}.general`, { field: fieldName });
}
