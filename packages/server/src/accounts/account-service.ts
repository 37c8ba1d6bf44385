import type { PublicUser } from '@parley/protocol';
import { randomId } from '../signaling/ids.js';
import type { AccountRecord, AccountStore, SessionStore } from './account-store.js';
import { decoyHash, hashPassword, verifyPassword, type ScryptCost } from './password.js';
import { hashToken, newSessionToken } from './session-cookie.js';
import type { AttemptLimiter } from './sign-in-limiter.js';
import { hashDeviceToken, newDeviceToken, type KnownDeviceStore } from './known-devices.js';

export interface AccountServiceOptions {
  scrypt: ScryptCost;
  sessionTtlMs: number;
  /** Sign-in attempts, keyed by client address. */
  perIp: AttemptLimiter;
  /**
   * Sign-in attempts on one account name (whether or not it exists) from one address,
   * or from one known device: a stranger's failures lock only their own address out.
   */
  perAccount: AttemptLimiter;
  /**
   * Sign-in attempts on one account name from devices it does not know, whatever the
   * address: bounds guessing spread over many addresses; known devices are exempt.
   */
  perAccountTotal: AttemptLimiter;
  /** Browsers that signed in to an account before. */
  devices: KnownDeviceStore;
  /** Registrations, keyed by client address. */
  registrations: AttemptLimiter;
  now?: () => number;
}

/** Why an account operation failed; the HTTP layer maps it to a status and an ErrorCode. */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: 'bad_credentials' | 'username_taken' | 'rate_limited' | 'unauthenticated',
    message: string,
  ) {
    super(message);
  }
}

export interface SignedIn {
  user: PublicUser;
  token: string;
  tokenHash: string;
  /** The device cookie to (re)set: this browser is now known to the account. */
  deviceToken: string;
}

/** Called when sessions are revoked, so live WebSockets signed in with them lose the account. */
export type RevocationListener = (tokenHashes: string[]) => void;

export const publicUser = (a: AccountRecord): PublicUser => ({ id: a.id, username: a.username });

/** Register, sign in and out, change password, and resolve a cookie to a user. */
export class AccountService {
  private decoy: Promise<string> | null = null;
  private readonly now: () => number;
  private readonly revocationListeners: RevocationListener[] = [];

  constructor(
    readonly accounts: AccountStore,
    private readonly sessions: SessionStore,
    private readonly options: AccountServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  onRevoked(listener: RevocationListener): void {
    this.revocationListeners.push(listener);
  }

  async register(username: string, password: string, ip: string): Promise<SignedIn> {
    if (!(await this.options.registrations.take(ip))) {
      throw new AccountError('rate_limited', 'too many new accounts from this address; try later');
    }
    const account = await this.accounts.create({
      id: randomId(12),
      username,
      passwordHash: await hashPassword(password, this.options.scrypt),
      createdAt: this.now(),
    });
    if (!account) {
      throw new AccountError('username_taken', `the username "${username}" is taken`);
    }
    return this.startSession(account);
  }

  /**
   * Sign in. An unknown name and a wrong password give the same error after the same
   * work (a decoy hash is checked), so neither the answer nor its timing tells them apart.
   */
  async signIn(
    username: string,
    password: string,
    ip: string,
    deviceToken?: string,
  ): Promise<SignedIn> {
    const name = username.toLowerCase();
    const account = await this.accounts.byUsername(name);
    const deviceHash = deviceToken === undefined ? undefined : hashDeviceToken(deviceToken);
    const known =
      account !== undefined &&
      deviceHash !== undefined &&
      (await this.options.devices.isKnown(deviceHash, account.id));
    // A known device has a bucket of its own: failures from elsewhere do not reach it.
    const accountKey = known ? `${name}|device:${deviceHash}` : `${name}|${ip}`;
    const [ipOk, accountOk, totalOk] = await Promise.all([
      this.options.perIp.take(ip),
      this.options.perAccount.take(accountKey),
      known ? Promise.resolve(true) : this.options.perAccountTotal.take(name),
    ]);
    if (!ipOk || !accountOk || !totalOk) {
      throw new AccountError('rate_limited', 'too many sign-in attempts; wait and try again');
    }
    this.decoy ??= decoyHash(this.options.scrypt);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await this.decoy));
    if (!account || !ok) {
      throw new AccountError('bad_credentials', 'wrong username or password');
    }
    await this.options.perAccount.reset(accountKey);
    return this.startSession(account, known ? deviceToken : undefined);
  }

  private async startSession(account: AccountRecord, deviceToken?: string): Promise<SignedIn> {
    const device = deviceToken ?? newDeviceToken();
    const token = newSessionToken();
    const tokenHash = hashToken(token);
    const now = this.now();
    await this.sessions.create({
      tokenHash,
      userId: account.id,
      createdAt: now,
      expiresAt: now + this.options.sessionTtlMs,
    });
    await this.options.devices.remember(hashDeviceToken(device), account.id, now);
    return { user: publicUser(account), token, tokenHash, deviceToken: device };
  }

  /** The signed-in user for a cookie token, or undefined. */
  async authenticate(
    token: string | undefined,
  ): Promise<{ user: PublicUser; tokenHash: string; expiresAt: number } | undefined> {
    if (!token) {
      return undefined;
    }
    const tokenHash = hashToken(token);
    const session = await this.sessions.find(tokenHash, this.now());
    if (!session) {
      return undefined;
    }
    const account = await this.accounts.byId(session.userId);
    return account
      ? { user: publicUser(account), tokenHash, expiresAt: session.expiresAt }
      : undefined;
  }

  async signOut(tokenHash: string): Promise<void> {
    await this.sessions.revoke(tokenHash);
    this.revoked([tokenHash]);
  }

  /** Change the password; every other session of the account is signed out. */
  async changePassword(
    userId: string,
    tokenHash: string,
    current: string,
    next: string,
  ): Promise<void> {
    const account = await this.accounts.byId(userId);
    if (!account || !(await verifyPassword(current, account.passwordHash))) {
      throw new AccountError('bad_credentials', 'the current password is wrong');
    }
    await this.accounts.setPasswordHash(userId, await hashPassword(next, this.options.scrypt));
    this.revoked(await this.sessions.revokeAllOf(userId, tokenHash));
  }

  private revoked(hashes: string[]): void {
    for (const l of this.revocationListeners) {
      try {
        l(hashes);
      } catch (err) {
        console.error('parley: a revocation listener threw', err);
      }
    }
  }
}
