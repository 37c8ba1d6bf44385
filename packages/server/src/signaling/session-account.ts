import type { PublicUser } from '@parley/protocol';
import { ProtocolError } from './protocol-error.js';
import type { Session } from './session.js';

/** What a WebSocket session keeps about its signed-in account (under `attachments`). */
export interface SessionAccount {
  user: PublicUser;
  /** Hash of the cookie token it was opened with, so signing out reaches this socket. */
  tokenHash: string;
}
const ACCOUNT = 'account';

export function attachAccount(session: Session, account: SessionAccount): void {
  session.attachments.set(ACCOUNT, account);
}

export function detachAccount(session: Session): void {
  session.attachments.delete(ACCOUNT);
}

export function accountOf(session: Session): SessionAccount | undefined {
  return session.attachments.get(ACCOUNT) as SessionAccount | undefined;
}

/** The signed-in user of a session; features for accounts only call this first. */
export function requireAccount(session: Session): PublicUser {
  const account = accountOf(session);
  if (!account) {
    throw new ProtocolError(
      'unauthenticated',
      'sign in to use this (the WebSocket has no session cookie)',
    );
  }
  return account.user;
}
