import { useSyncExternalStore } from 'react';
import { en, type MessageKey } from './en';
import { fr } from './fr';
import { getLocale, subscribeLocale, type Locale } from './locale';
import { interpolate, pickForm, type Messages, type Params } from './translate';

export type { MessageKey } from './en';

const CATALOGUES: Record<Locale, Messages> = { en, fr };

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** Everything a screen needs to speak the active language. */
export interface I18n {
  locale: Locale;
  /** The message for `key`, with `{placeholders}` filled and the plural form picked by `count`. */
  t: (key: MessageKey, params?: Params) => string;
  number: (n: number, options?: Intl.NumberFormatOptions) => string;
  /** "1.5 MB" / "1,5 Mo" (powers of 1024, as file managers show them). */
  fileSize: (bytes: number) => string;
  /** A clock-style duration, "4:05" or "1:02:03". */
  clock: (ms: number) => string;
  /** A spoken duration, "2 min 5 s" / "2 min 5 s", "1 h 3 min". */
  duration: (ms: number) => string;
  date: (at: Date | number, options?: Intl.DateTimeFormatOptions) => string;
  /** Hours and minutes, "14:05" / "2:05 PM". */
  time: (at: Date | number) => string;
  /** "5 minutes ago", "yesterday" / "il y a 5 minutes", "hier". */
  relative: (at: Date | number, now?: number) => string;
  /** "Ann, Bob and Cy" / "Ann, Bob et Cy". */
  list: (items: readonly string[]) => string;
}

/** `make()` on first use, then the same value: Intl constructors are slow to start. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * One formatter per set of options, made on first use and then reused: chat rows, file
 * sizes and call lengths format on every render. The options come from our own code, so
 * the set stays small.
 */
function perOptions<O, F>(make: (options?: O) => F): (options?: O) => F {
  const made = new Map<string, F>();
  return (options) => {
    const key = options === undefined ? '' : JSON.stringify(options);
    let formatter = made.get(key);
    if (!formatter) {
      formatter = make(options);
      made.set(key, formatter);
    }
    return formatter;
  };
}

function create(locale: Locale): I18n {
  const messages = CATALOGUES[locale];
  // Made when first needed: together they took ~40 ms of the page's thread while a
  // direct link was joining (ICU data loading), and most screens use one or two.
  const rules = lazy(() => new Intl.PluralRules(locale));
  const numbers = perOptions((o?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, o));
  const dates = perOptions((o?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, o));
  // A count in a message ("3 people") is nearly always small, and 0-999 reads the same
  // in both languages without Intl: making the first NumberFormat loads ICU's number
  // data, 30 ms of a joining page's thread (profiled), when its call view first renders.
  const formatNumber = (n: number): string =>
    Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : numbers().format(n);
  const relativeFormat = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const lists = lazy(() => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }));
  const unit = (value: number, name: string): string =>
    numbers({ style: 'unit', unit: name, unitDisplay: 'short' }).format(value);

  const t = (key: MessageKey, params?: Params): string => {
    // An English fallback keeps a key that is somehow missing readable (the test forbids it).
    const message = messages[key] ?? en[key];
    return interpolate(pickForm(message, rules, params), params, formatNumber);
  };

  return {
    locale,
    t,
    number: (n, options) => numbers(options).format(n),
    fileSize(bytes) {
      if (bytes < 1024) {
        // Intl's short "byte" has no plural in English; the catalogue does.
        return t('size.bytes', { count: Math.max(0, Math.round(bytes)) });
      }
      let value = bytes;
      let index = 0;
      while (value >= 1024 && index < SIZE_UNITS.length - 1) {
        value /= 1024;
        index += 1;
      }
      return numbers({
        style: 'unit',
        unit: SIZE_UNITS[index],
        unitDisplay: 'short',
        maximumFractionDigits: index === 0 || value >= 10 ? 0 : 1,
      }).format(value);
    },
    clock(ms) {
      const total = Math.max(0, Math.floor(ms / 1000));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = String(total % 60).padStart(2, '0');
      return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
    },
    duration(ms) {
      const total = Math.max(0, Math.round(ms / 1000));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      const parts: string[] = [];
      if (h > 0) {
        parts.push(unit(h, 'hour'));
      }
      if (m > 0) {
        parts.push(unit(m, 'minute'));
      }
      if (h === 0 && (s > 0 || parts.length === 0)) {
        parts.push(unit(s, 'second'));
      }
      return parts.join(' ');
    },
    date: (at, options = { dateStyle: 'medium' }) => dates(options).format(at),
    time: (at) => dates({ hour: 'numeric', minute: '2-digit' }).format(at),
    relative(at, now = Date.now()) {
      const seconds = Math.round((+at - now) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 45) {
        return relativeFormat().format(0, 'second');
      }
      if (abs < 45 * 60) {
        return relativeFormat().format(Math.round(seconds / 60), 'minute');
      }
      if (abs < 22 * 3600) {
        return relativeFormat().format(Math.round(seconds / 3600), 'hour');
      }
      return relativeFormat().format(Math.round(seconds / 86_400), 'day');
    },
    list: (items) => lists().format(items),
  };
}

const cache = new Map<Locale, I18n>();

/** The active language's translator and formatters, for code outside components. */
export function getI18n(locale: Locale = getLocale()): I18n {
  let i18n = cache.get(locale);
  if (!i18n) {
    i18n = create(locale);
    cache.set(locale, i18n);
  }
  return i18n;
}

/** Translate with the active language, outside components. */
export function t(key: MessageKey, params?: Params): string {
  return getI18n().t(key, params);
}

/** The active language's translator; the component re-renders when the language changes. */
export function useT(): I18n {
  const locale = useSyncExternalStore(subscribeLocale, getLocale, getLocale);
  return getI18n(locale);
}
