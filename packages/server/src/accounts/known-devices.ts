import { randomBytes } from 'node:crypto';
import type { Database } from '../store/index.js';
import { hashToken, readCookie } from './session-cookie.js';

/** The device cookie: set on sign-in, long-lived, read only by the sign-in route. */
export const DEVICE_COOKIE = 'parley_device';
/** A year: a browser stays known while it keeps signing in now and then. */
export const DEVICE_COOKIE_MAX_AGE_SEC = 365 * 24 * 3600;

/** Browsers known to an account, by the hash of their device cookie. */
export interface KnownDeviceStore {
  /** Whether this device signed in to `userId` before. */
  isKnown(tokenHash: string, userId: string): Promise<boolean>;
  /** Remember (or refresh) that this device signed in to `userId`. */
  remember(tokenHash: string, userId: string, now: number): Promise<void>;
}

export class KyselyKnownDeviceStore implements KnownDeviceStore {
  constructor(private readonly db: Database) {}

  async isKnown(tokenHash: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('known_devices')
      .select('user_id')
      .where('token_hash', '=', tokenHash)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async remember(tokenHash: string, userId: string, now: number): Promise<void> {
    await this.db
      .insertInto('known_devices')
      .values({ token_hash: tokenHash, user_id: userId, created_at: now, last_used_at: now })
      .onConflict((oc) =>
        oc.column('token_hash').doUpdateSet({ user_id: userId, last_used_at: now }),
      )
      .execute();
  }
}

/** A new device token (256 bits). */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

export { hashToken as hashDeviceToken };

/** The device token from a Cookie header, if any and well formed. */
export function readDeviceCookie(header: string | string[] | undefined): string | undefined {
  return readCookie(header, DEVICE_COOKIE, /^[A-Za-z0-9_-]{40,64}$/);
}

/** Set-Cookie for the device token: HttpOnly, only sent to the sign-in route. */
export function deviceCookie(token: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${token}`,
    'Path=/api/session',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${DEVICE_COOKIE_MAX_AGE_SEC}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
