import { expect, it } from 'vitest';
import html from '../../index.html?raw';
import { LOCALE_STORAGE_KEY, localeFromLanguages } from './locale';

/** The inline script of index.html that sets <html lang>, runnable with fake globals. */
function earlyLangScript(): (stored: string | null | Error, languages: string[]) => string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  const body = scripts.find((s) => s.includes('documentElement.lang'));
  expect(body, 'the lang script in index.html').toBeDefined();
  const run = new Function('localStorage', 'navigator', 'document', body ?? '');
  return (stored, languages) => {
    const document = { documentElement: { lang: 'unset' } };
    const localStorage = {
      getItem(key: string): string | null {
        if (stored instanceof Error) {
          throw stored;
        }
        return key === LOCALE_STORAGE_KEY ? stored : null;
      },
    };
    run(localStorage, { languages, language: languages[0] }, document);
    return document.documentElement.lang;
  };
}

it('index.html sets the page language by the app’s rule before the app loads', () => {
  const early = earlyLangScript();
  const cases: string[][] = [
    ['fr-FR', 'en-US'],
    ['fr-CA'],
    ['de-DE', 'fr'],
    ['en-GB', 'fr-FR'],
    ['de-DE'],
    ['FR'],
    [],
  ];
  for (const languages of cases) {
    expect(early(null, languages), languages.join()).toBe(localeFromLanguages(languages));
  }
  // The remembered choice wins over the browser; storage that is off or junk does not.
  expect(early('en', ['fr-FR'])).toBe('en');
  expect(early('fr', ['en-US'])).toBe('fr');
  expect(early('de', ['fr-FR'])).toBe('fr');
  expect(early(new Error('storage is off'), ['fr-FR'])).toBe('fr');
});
