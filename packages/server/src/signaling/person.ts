import { accountOf } from './session-account.js';
import type { Session } from './session.js';

/**
 * Who a session is for features that match strangers (meet, the board): the signed-in
 * user (`u:<userId>`, the same person on every tab and device), else the guest's
 * session (`g:<sessionId>`). A session id survives a resume (a reconnection of the same
 * tab within the resume grace), so a guest's skips and blocks hold across a dropped
 * socket; a new tab is a new guest.
 */
export function personOf(session: Session): string {
  const account = accountOf(session);
  return account ? `u:${account.user.id}` : `g:${session.id}`;
}

/** The name a matching feature shows: the account's for signed-in users, else the one given. */
export function shownName(session: Session, given: string): string {
  return accountOf(session)?.user.username ?? given;
}
