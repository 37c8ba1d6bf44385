/**
 * The active language: the stored choice, else the browser's (fr* → French, else
 * English). One small store with a change event, so React (useT) and code outside
 * components (getI18n) read the same value.
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language named in itself, as a language menu shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/** Where the choice is remembered across visits. */
export const LOCALE_STORAGE_KEY = 'parley:locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language for a browser's preference list: the first French or English one wins. */
export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'fr') {
      return 'fr';
    }
    if (primary === 'en') {
      return 'en';
    }
  }
  return 'en';
}

function storedLocale(): Locale | null {
  try {
    const value = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    // Storage can be off (privacy settings): the browser's language still applies.
    return null;
  }
}

function browserLanguages(): readonly string[] {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) {
    return [];
  }
  return nav.languages?.length ? nav.languages : nav.language ? [nav.language] : [];
}

let current: Locale = storedLocale() ?? localeFromLanguages(browserLanguages());
const listeners = new Set<() => void>();

function applyToDocument(locale: Locale): void {
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
  }
}
applyToDocument(current);

/** The active language. */
export function getLocale(): Locale {
  return current;
}

/** Switch language, remember the choice, and tell everyone who listens. */
export function setLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not remembered, but the switch still applies to this page.
  }
  if (locale === current) {
    return;
  }
  current = locale;
  applyToDocument(locale);
  for (const listener of listeners) {
    listener();
  }
}

/** Listen for language changes; returns the unsubscribe. */
export function subscribeLocale(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
