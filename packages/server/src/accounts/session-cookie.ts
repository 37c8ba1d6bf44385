import { createHash, randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '@parley/protocol';

/** A new session token (256 bits) for the cookie; the server stores only its hash. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the stores keep: SHA-256 of the token, so a database leak signs nobody in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The value of cookie `name` in a Cookie header, if present and matching `shape`. */
export function readCookie(
  header: string | string[] | undefined,
  name: string,
  shape: RegExp,
): string | undefined {
  const raw = Array.isArray(header) ? header.join('; ') : header;
  for (const part of (raw ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return shape.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The session token from a Cookie header, if any. */
export function readSessionCookie(header: string | string[] | undefined): string | undefined {
  return readCookie(header, SESSION_COOKIE, /^[A-Za-z0-9_-]{20,100}$/);
}

/**
 * Set-Cookie for the session: httpOnly (scripts never see it), SameSite=Lax (not sent
 * on cross-site subrequests, so other sites cannot act as the user), Secure under HTTPS.
 */
export function sessionCookie(token: string, maxAgeSec: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSec}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
