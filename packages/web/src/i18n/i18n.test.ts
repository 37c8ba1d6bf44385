import { describe, expect, it, vi } from 'vitest';
import { ParleyError } from '@parley/client';
import { codeText, errorText } from './error-text';
import { getI18n } from './i18n';
import { localeFromLanguages } from './locale';
import { interpolate, pickForm } from './translate';

const en = getI18n('en');
/** Intl puts narrow no-break spaces in some units; compare the words. */
const plain = (text: string): string => text.replace(/\s/gu, ' ');
const fr = getI18n('fr');

/** Counts the Intl.NumberFormat objects made until `restore()`. */
function countNumberFormats(): { count: number; Real: typeof Intl.NumberFormat; restore(): void } {
  const Real = Intl.NumberFormat;
  const made = { count: 0, Real, restore: () => void (Intl.NumberFormat = Real) };
  class Counting extends Real {
    constructor(...args: ConstructorParameters<typeof Real>) {
      super(...args);
      made.count += 1;
    }
  }
  Intl.NumberFormat = Counting as typeof Intl.NumberFormat;
  return made;
}

describe('locale from the browser', () => {
  it('picks French for any fr tag and English otherwise', () => {
    expect(localeFromLanguages(['fr-FR', 'en-US'])).toBe('fr');
    expect(localeFromLanguages(['fr-CA'])).toBe('fr');
    expect(localeFromLanguages(['de-DE', 'fr'])).toBe('fr');
    expect(localeFromLanguages(['en-GB', 'fr-FR'])).toBe('en');
    expect(localeFromLanguages(['de-DE'])).toBe('en');
    expect(localeFromLanguages([])).toBe('en');
  });
});

describe('messages', () => {
  it('fills placeholders and leaves an unknown one visible', () => {
    expect(interpolate('Hi {name}, {n}', { name: 'Ann', n: 1234 }, String)).toBe('Hi Ann, 1234');
    expect(interpolate('Hi {who}', { name: 'Ann' }, String)).toBe('Hi {who}');
  });

  it('picks plural forms by the language rules', () => {
    const message = { one: '{count} thing', other: '{count} things' };
    expect(pickForm(message, () => new Intl.PluralRules('en'), { count: 0 })).toBe(
      '{count} things',
    );
    // French counts zero as singular.
    expect(pickForm(message, () => new Intl.PluralRules('fr'), { count: 0 })).toBe('{count} thing');
    expect(pickForm(message, () => new Intl.PluralRules('fr'), { count: 2 })).toBe(
      '{count} things',
    );
  });

  it('translates the same key in both languages', () => {
    expect(en.t('landing.newRoom')).toBe('New room');
    expect(fr.t('landing.newRoom')).toBe('Nouveau salon');
    expect(fr.t('notFound.text', { path: '/x' })).toContain('/x');
  });
});

describe('formatters', () => {
  it('formats file sizes in each language', () => {
    expect(plain(en.fileSize(1))).toBe('1 byte');
    expect(plain(en.fileSize(512))).toBe('512 bytes');
    expect(plain(fr.fileSize(512))).toBe('512 octets');
    expect(plain(en.fileSize(1536))).toBe('1.5 kB');
    expect(plain(fr.fileSize(1536))).toBe('1,5 ko');
    expect(plain(fr.fileSize(5 * 1024 * 1024))).toBe('5 Mo');
    expect(plain(en.fileSize(3.44 * 1024 * 1024))).toBe('3.4 MB');
    expect(plain(en.fileSize(512 * 1024))).toBe('512 kB');
  });

  it('formats durations and clocks', () => {
    expect(en.clock(7_400)).toBe('0:07');
    expect(en.clock(65_000)).toBe('1:05');
    expect(en.clock(3_723_000)).toBe('1:02:03');
    expect(plain(en.duration(125_000))).toBe('2 min 5 sec');
    expect(plain(fr.duration(125_000))).toBe('2 min 5 s');
    expect(plain(fr.duration(3_780_000))).toBe('1 h 3 min');
  });

  it('formats numbers, times and relative times', () => {
    expect(fr.number(1234.5)).toMatch(/^1\s234,5$/u);
    const at = new Date(2026, 0, 2, 14, 5);
    expect(fr.time(at)).toBe('14:05');
    expect(en.time(at)).toMatch(/^2:05\sPM$/u);
    const now = Date.now();
    expect(en.relative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(fr.relative(now - 5 * 60_000, now)).toBe('il y a 5 minutes');
    expect(fr.relative(now - 86_400_000, now)).toBe('hier');
  });

  it('puts a small count in a message without Intl, as Intl would write it', async () => {
    vi.resetModules();
    const fresh = await import('./i18n');
    const made = countNumberFormats();
    try {
      for (const locale of ['en', 'fr'] as const) {
        const i18n = fresh.getI18n(locale);
        const fmt = new made.Real(locale);
        for (const n of [0, 1, 2, 7, 42, 999]) {
          const before = made.count;
          const text = i18n.t('room.people', { count: n });
          expect(made.count, `${locale} ${n}`).toBe(before);
          expect(text).toContain(fmt.format(n));
        }
        // Larger or fractional numbers still go through Intl (grouping, decimals).
        expect(plain(i18n.t('room.people', { count: 1234 }))).toContain(plain(fmt.format(1234)));
      }
    } finally {
      made.restore();
    }
  });

  it('makes one formatter per set of options and reuses it', () => {
    en.fileSize(1536);
    const made = countNumberFormats();
    try {
      for (let i = 0; i < 50; i++) {
        expect(plain(en.fileSize(1536 + i))).toMatch(/^1\.5 kB$/u);
      }
      expect(made.count).toBe(0);
      // Other options get a formatter of their own, made once.
      expect(en.number(1.234, { maximumFractionDigits: 1 })).toBe('1.2');
      expect(en.number(1.234, { maximumFractionDigits: 2 })).toBe('1.23');
      expect(en.number(5.678, { maximumFractionDigits: 2 })).toBe('5.68');
      expect(made.count).toBe(2);
    } finally {
      made.restore();
    }
  });
});

describe('error codes', () => {
  it('shows a known code in the active language', () => {
    expect(errorText(new ParleyError('room_full', 'Room is full'), fr)).toBe(
      'Ce salon est complet.',
    );
    expect(errorText(new ParleyError('room_full', 'Room is full'), en)).toBe('This room is full.');
  });

  it('falls back to a message that still names an unknown code', () => {
    expect(codeText('brand_new_code', en)).toContain('brand_new_code');
    expect(codeText('brand_new_code', fr)).toContain('brand_new_code');
  });
});
