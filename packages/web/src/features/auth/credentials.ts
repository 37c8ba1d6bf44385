import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from '@parley/protocol/constants';

/**
 * The server's username and password rules, checked before sending so the user sees
 * the problem at once. The server checks them again; these only save a round trip.
 */
export function usernameProblem(raw: string): string | null {
  const name = raw.trim().toLowerCase();
  if (name.length < USERNAME_MIN || name.length > USERNAME_MAX) {
    return `A username has ${USERNAME_MIN} to ${USERNAME_MAX} characters.`;
  }
  if (!/^[a-z0-9_.-]+$/.test(name)) {
    return 'A username may only use a–z, 0–9, "_", "." and "-".';
  }
  return null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) {
    return `A password has at least ${PASSWORD_MIN} characters.`;
  }
  if (password.length > PASSWORD_MAX) {
    return `A password has at most ${PASSWORD_MAX} characters.`;
  }
  return null;
}
