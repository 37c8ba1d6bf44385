import { phrase, type Phrase } from '../../i18n/phrase';

/** Why the contacts page sent the user here (`/signin?why=…`), worded when shown. */
export function signedOutNotice(search: string): Phrase | null {
  switch (new URLSearchParams(search).get('why')) {
    case 'expired':
      return phrase('auth.notice.expired');
    case 'revoked':
      return phrase('auth.notice.revoked');
    default:
      return null;
  }
}
