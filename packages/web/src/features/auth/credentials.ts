import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from '@parley/protocol/constants';
import { t } from '../../i18n/i18n';

/**
 * The server's username and password rules, checked before sending so the user sees
 * the problem at once. The server checks them again; these only save a round trip.
 */
export function usernameProblem(raw: string): string | null {
  const name = raw.trim().toLowerCase();
  if (name.length < USERNAME_MIN || name.length > USERNAME_MAX) {
    return t('auth.error.usernameLength', { min: USERNAME_MIN, max: USERNAME_MAX });
  }
  if (!/^[a-z0-9_.-]+$/.test(name)) {
    return t('auth.error.usernameChars');
  }
  return null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) {
    return t('auth.error.passwordShort', { min: PASSWORD_MIN });
  }
  if (password.length > PASSWORD_MAX) {
    return t('auth.error.passwordLong', { max: PASSWORD_MAX });
  }
  return null;
}
