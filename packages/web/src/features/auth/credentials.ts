import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from '@parley/protocol/constants';
import { phrase, type Phrase } from '../../i18n/phrase';

/**
 * The server's username and password rules, checked before sending so the user sees
 * the problem at once. The server checks them again; these only save a round trip.
 */
export function usernameProblem(raw: string): Phrase | null {
  const name = raw.trim().toLowerCase();
  if (name.length < USERNAME_MIN || name.length > USERNAME_MAX) {
    return phrase('auth.error.usernameLength', { min: USERNAME_MIN, max: USERNAME_MAX });
  }
  if (!/^[a-z0-9_.-]+$/.test(name)) {
    return phrase('auth.error.usernameChars');
  }
  return null;
}

export function passwordProblem(password: string): Phrase | null {
  if (password.length < PASSWORD_MIN) {
    return phrase('auth.error.passwordShort', { min: PASSWORD_MIN });
  }
  if (password.length > PASSWORD_MAX) {
    return phrase('auth.error.passwordLong', { max: PASSWORD_MAX });
  }
  return null;
}
