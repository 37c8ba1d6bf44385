import { ParleyError } from '@parley/client';
import { en } from './en';
import { getI18n, type I18n, type MessageKey } from './i18n';
import { phrase, say, type Phrase } from './phrase';

/** The stable code of an error: the SDK's or server's code, `network` for a failed fetch. */
export function errorCode(err: unknown): string {
  if (err instanceof ParleyError) {
    return err.code;
  }
  if (err instanceof TypeError) {
    // fetch() rejects with a TypeError when the server cannot be reached.
    return 'network';
  }
  return 'internal';
}

/** Whether the catalogue has a message for this code. */
export function isKnownErrorCode(code: string): boolean {
  return `error.${code}` in en;
}

/**
 * An error in the user's language, from its stable code: never the server's English
 * `message`. A code this app does not know still shows, so a report can name it.
 */
export function errorText(err: unknown, i18n: I18n = getI18n()): string {
  return say(errorPhrase(err), i18n);
}

/** The message for a stable error code (see errorText). */
export function codeText(code: string, i18n: I18n = getI18n()): string {
  return say(codePhrase(code), i18n);
}

/** errorText, kept unworded until it is shown: for errors held in state (phrase.ts). */
export function errorPhrase(err: unknown): Phrase {
  return codePhrase(errorCode(err));
}

export function codePhrase(code: string): Phrase {
  return isKnownErrorCode(code)
    ? phrase(`error.${code}` as MessageKey)
    : phrase('error.unknown', { code });
}
