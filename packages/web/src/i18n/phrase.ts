import type { I18n, MessageKey } from './i18n';

/**
 * A message kept for later as its key and parameters, not as text: what a screen holds
 * in state (an error, a notice) is worded when it renders, so a change of language
 * rewords it too. A parameter may be a phrase itself (an error's wording inside "Could
 * not load earlier messages: {reason}") or a function of the language (a file size).
 */
export interface Phrase {
  readonly key: MessageKey;
  readonly params?: PhraseParams;
}

export type PhraseParam = string | number | Phrase | ((i18n: I18n) => string);
export type PhraseParams = Readonly<Record<string, PhraseParam>>;

export function phrase(key: MessageKey, params?: PhraseParams): Phrase {
  return params ? { key, params } : { key };
}

/** The words of `p` in the language of `i18n`. */
export function say(p: Phrase, i18n: I18n): string {
  if (!p.params) {
    return i18n.t(p.key);
  }
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(p.params)) {
    params[name] =
      typeof value === 'function'
        ? value(i18n)
        : typeof value === 'object'
          ? say(value, i18n)
          : value;
  }
  return i18n.t(p.key, params);
}
