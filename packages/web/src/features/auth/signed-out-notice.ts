import { t } from '../../i18n/i18n';

/** Why the contacts page sent the user here (`/signin?why=…`), in their words. */
export function signedOutNotice(search: string): string | null {
  switch (new URLSearchParams(search).get('why')) {
    case 'expired':
      return t('auth.notice.expired');
    case 'revoked':
      return t('auth.notice.revoked');
    default:
      return null;
  }
}
