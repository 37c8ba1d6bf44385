/** Why the contacts page sent the user here (`/signin?why=…`), in their words. */
export function signedOutNotice(search: string): string | null {
  switch (new URLSearchParams(search).get('why')) {
    case 'expired':
      return 'Your sign-in has expired. Sign in again to be reachable.';
    case 'revoked':
      return 'You were signed out, in another tab or by a password change. Sign in again.';
    default:
      return null;
  }
}
