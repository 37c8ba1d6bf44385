import type { IncomingMessage } from 'node:http';
import type { Session } from '../signaling/session.js';
import type { Gateway } from '../signaling/gateway.js';
import { topics, type BusHandler } from '../cluster/bus.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Delivery } from '../cluster/delivery.js';
import type { AccountService } from './account-service.js';
import { readSessionCookie } from './session-cookie.js';
import { sameOrigin } from './http-auth.js';
import {
  accountOf,
  attachAccount,
  detachAccount,
  type SessionAccount,
} from '../signaling/session-account.js';
import { SessionExpiry } from './session-expiry.js';

/** The query parameter a WebSocket sets to sign in with the session cookie. */
export const ACCOUNT_SOCKET_PARAM = 'account';

function wantsAccount(url: string | undefined): boolean {
  const q = (url ?? '').split('?')[1];
  return q !== undefined && new URLSearchParams(q).get(ACCOUNT_SOCKET_PARAM) === '1';
}

/** What other features do when a tab signs in or stops being signed in. */
export interface SignedInTabs {
  /** Runs before the tab's welcome: once it resolves, the tab can be rung from any node. */
  signedIn(session: Session, account: SessionAccount): Promise<void>;
  signedOut(session: Session, account: SessionAccount): Promise<void>;
}

/**
 * The signed-in side of WebSockets: the cookie signs a socket in at the upgrade; the
 * account ends on sign-out or password change (on every node: the revocation crosses
 * the bus) and when the sign-in expires. The socket stays open as a guest and is told.
 */
export class SocketAccounts {
  private readonly expiry = new SessionExpiry((session) => this.end(session, 'expired'));
  private readonly onRevoke: BusHandler = (m) => {
    if (m.kind === 'revoke') {
      this.revokeLocal(m.tokenHashes);
    }
  };

  constructor(
    private readonly accounts: AccountService,
    private readonly cluster: Cluster,
    private readonly delivery: Delivery,
    private readonly tabs: SignedInTabs,
    gateway: Gateway,
  ) {
    gateway.addHooks({
      sessionStarting: (session) => {
        const account = accountOf(session);
        return account ? tabs.signedIn(session, account) : undefined;
      },
      sessionEnded: (session) => {
        this.expiry.forget(session);
        const account = accountOf(session);
        if (account) {
          void tabs.signedOut(session, account);
        }
      },
    });
    accounts.onRevoked((tokenHashes) =>
      cluster.bus.publish(topics.all, { kind: 'revoke', tokenHashes }),
    );
  }

  /** Listen for revocations from every node. */
  start(): Promise<void> {
    return this.cluster.bus.subscribe(topics.all, this.onRevoke);
  }

  /**
   * Resolve the session cookie of a WebSocket upgrade. The result is passed to
   * `gateway.handleUpgrade` as its `init`; guests (no cookie) get undefined and can
   * still use rooms.
   */
  async authenticateUpgrade(
    req: IncomingMessage,
  ): Promise<((session: Session) => void) | undefined> {
    // Only sockets that ask for the account get it (`/ws?account=1`): a room tab stays
    // a guest, so calls ring only in tabs that can show them. A socket opened by
    // another site's page stays a guest, whatever cookie it carries.
    if (!wantsAccount(req.url) || !sameOrigin(req.headers)) {
      return undefined;
    }
    const auth = await this.accounts.authenticate(readSessionCookie(req.headers.cookie));
    if (!auth) {
      return undefined;
    }
    return (session) => {
      attachAccount(session, { user: auth.user, tokenHash: auth.tokenHash });
      this.expiry.watch(session, auth.expiresAt);
    };
  }

  close(): void {
    this.cluster.bus.unsubscribe(topics.all, this.onRevoke);
    this.expiry.close();
  }

  private revokeLocal(tokenHashes: string[]): void {
    const revoked = new Set(tokenHashes);
    for (const session of [...this.delivery.localSessions()]) {
      const account = accountOf(session);
      if (account && revoked.has(account.tokenHash)) {
        this.end(session, 'revoked');
      }
    }
  }

  // The socket stays open as a guest; the tab is told so it can ask to sign in again.
  private end(session: Session, reason: 'revoked' | 'expired'): void {
    this.expiry.forget(session);
    const account = accountOf(session);
    if (account) {
      void this.tabs.signedOut(session, account);
    }
    detachAccount(session);
    session.send({ type: 'signed-out', reason });
  }
}
