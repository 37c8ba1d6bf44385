/**
 * Messages and their placeholders. A message is a string with `{name}` placeholders,
 * or, when it depends on a count, one string per plural category of
 * `Intl.PluralRules` (`other` is required; `{count}` is formatted as a number).
 */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
export type Messages = Record<string, Message>;
export type Params = Record<string, string | number>;

/** A translation of catalogue `T`: every key, and plural where the original is plural. */
export type TranslationOf<T extends Messages> = {
  [K in keyof T]: T[K] extends string ? string : PluralMessage;
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** Fill `{name}` placeholders; a missing value leaves the placeholder visible, not "undefined". */
export function interpolate(
  text: string,
  params: Params | undefined,
  formatNumber: (n: number) => string,
): string {
  if (!params) {
    return text;
  }
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) {
      return whole;
    }
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The text of a message for the given plural rules (`count` picks the form). */
export function pickForm(
  message: Message,
  /** Asked for only when a plural form is to be chosen (Intl is slow to start). */
  rules: () => Intl.PluralRules,
  params: Params | undefined,
): string {
  if (typeof message === 'string') {
    return message;
  }
  const count = params?.count;
  if (typeof count !== 'number') {
    return message.other;
  }
  // An exact zero form ("no messages") wins when the catalogue has one.
  if (count === 0 && message.zero !== undefined) {
    return message.zero;
  }
  return message[rules().select(count)] ?? message.other;
}

/** The placeholder names a message uses, in all its forms (for the catalogue test). */
export function placeholdersOf(message: Message): Set<string> {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of (text ?? '').matchAll(PLACEHOLDER)) {
      names.add(match[1] as string);
    }
  }
  return names;
}
