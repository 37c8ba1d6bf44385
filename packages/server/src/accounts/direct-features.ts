import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { CallEndReason } from '@parley/protocol';
import type { Config } from '../config.js';
import type { Gateway } from '../signaling/gateway.js';
import type { Session } from '../signaling/session.js';
import type { IceServerProvider } from '../ice/ice-servers.js';
import { PresenceRegistry } from '../contacts/presence.js';
import { ContactService } from '../contacts/contact-service.js';
import { KyselyContactStore } from '../contacts/kysely-contact-store.js';
import { registerContactRoutes } from '../contacts/contact-routes.js';
import { CallEngine } from '../calls/call-engine.js';
import { registerCallHandlers } from '../calls/call-handlers.js';
import { registerCallRoutes } from '../calls/call-routes.js';
import { KyselyCallHistoryStore } from '../calls/kysely-call-history-store.js';
import { isMissedFor } from '../calls/call-history-store.js';
import { KyselyDmStore } from '../dm/kysely-dm-store.js';
import { registerDmFeature } from '../dm/dm-handlers.js';
import { AccountService } from './account-service.js';
import { apiErrorHandler, registerAccountRoutes } from './account-routes.js';
import { KyselyAccountStore, KyselySessionStore } from './kysely-account-store.js';
import { FixedWindowLimiter } from './sign-in-limiter.js';
import { readSessionCookie } from './session-cookie.js';
import { HttpError, sameOrigin } from './http-auth.js';
import type { DirectDb } from './tables.js';
import { accountOf, attachAccount, detachAccount } from './ws-account.js';
import { SessionExpiry } from './session-expiry.js';

/** The query parameter a WebSocket sets to sign in with the session cookie. */
export const ACCOUNT_SOCKET_PARAM = 'account';

function wantsAccount(url: string | undefined): boolean {
  const q = (url ?? '').split('?')[1];
  return q !== undefined && new URLSearchParams(q).get(ACCOUNT_SOCKET_PARAM) === '1';
}

export interface DirectFeatures {
  readonly accounts: AccountService;
  readonly presence: PresenceRegistry;
  readonly calls: CallEngine;
  /**
   * Resolve the session cookie of a WebSocket upgrade. The result is passed to
   * `gateway.handleUpgrade` as its `init`; guests (no cookie) get undefined and can
   * still use rooms.
   */
  authenticateUpgrade(req: IncomingMessage): Promise<((session: Session) => void) | undefined>;
  /** End live calls (both sides are told) and wait for their history to be written. */
  close(): Promise<void>;
}

/**
 * Accounts, contacts with presence, direct messages and ringing calls: build the
 * services on the shared database and register their HTTP routes (in their own
 * Fastify scope, with their own error handler) and WebSocket handlers.
 */
export async function registerDirectFeatures(
  app: FastifyInstance,
  gateway: Gateway,
  config: Config,
  ice: IceServerProvider,
  db: DirectDb,
  /** Told how each call ended (metrics). */
  onCallEnded?: (reason: CallEndReason | 'unknown') => void,
): Promise<DirectFeatures> {
  const windowMs = config.signInWindowSec * 1000;
  const accounts = new AccountService(new KyselyAccountStore(db), new KyselySessionStore(db), {
    scrypt: { log2N: config.scryptCost, r: 8, p: 1 },
    sessionTtlMs: config.sessionTtlHours * 3_600_000,
    perIp: new FixedWindowLimiter(config.signInMaxPerIp, windowMs),
    perAccount: new FixedWindowLimiter(config.signInMaxPerAccount, windowMs),
    registrations: new FixedWindowLimiter(config.registerMaxPerIp, windowMs),
  });
  const presence = new PresenceRegistry();
  const contacts = new ContactService(new KyselyContactStore(db), accounts.accounts, presence);
  const history = new KyselyCallHistoryStore(db);
  /** History writes in flight, awaited at shutdown so none is cut off by the database closing. */
  const writes = new Set<Promise<void>>();
  /** Tell every tab of a user their missed-calls badge (once history has the call). */
  const pushMissed = async (userId: string): Promise<void> => {
    const frame = JSON.stringify({
      type: 'calls-missed',
      missedUnseen: await history.missedUnseen(userId),
    });
    for (const s of presence.sessionsOf(userId)) {
      s.sendRaw(frame);
    }
  };
  const calls = new CallEngine(
    {
      ringTimeoutMs: config.callRingTimeoutMs,
      dropGraceMs: config.callDropGraceMs,
      endpointsOf: (userId) => presence.sessionsOf(userId),
      iceFor: (ep) => ice.grant(ep.id),
    },
    {
      ended: (call) => {
        onCallEnded?.(call.endReason ?? 'unknown');
        const write = history
          .record(call)
          .then(() => (isMissedFor(call, call.callee.id) ? pushMissed(call.callee.id) : undefined))
          .catch((err: unknown) => app.log.error({ err }, 'call history'))
          .finally(() => writes.delete(write));
        writes.add(write);
      },
      inCall: (userId, inCall) => presence.setInCall(userId, inCall),
    },
  );

  contacts.onSeparated = (a, b) => calls.endBetween(a, b);

  await app.register(async (scope) => {
    apiErrorHandler(scope);
    scope.addHook('onRequest', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request.headers)) {
        throw new HttpError(403, 'forbidden', 'this request came from another site');
      }
    });
    registerAccountRoutes(scope, accounts, config.sessionTtlHours * 3600);
    registerContactRoutes(scope, accounts, contacts);
    registerCallRoutes(scope, accounts, history, 100, (userId) => void pushMissed(userId));
    registerDmFeature(scope, gateway, {
      store: new KyselyDmStore(db),
      contacts,
      accounts,
      presence,
    });
  });
  registerCallHandlers(gateway, calls, contacts, accounts.accounts);

  const signedOut = (session: Session): void => {
    const account = accountOf(session);
    if (account) {
      calls.endpointRemoved(session);
      presence.remove(account.user.id, session);
    }
  };
  // The socket stays open as a guest; the tab is told so it can ask to sign in again.
  const endAccount = (session: Session, reason: 'revoked' | 'expired'): void => {
    expiry.forget(session);
    signedOut(session);
    detachAccount(session);
    session.send({ type: 'signed-out', reason });
  };
  // A sign-in that expires while its socket is open ends like a sign-out.
  const expiry = new SessionExpiry((session) => endAccount(session, 'expired'));
  gateway.addHooks({
    sessionStarted: (session) => {
      const account = accountOf(session);
      if (account) {
        presence.add(account.user.id, session);
        calls.endpointAdded(account.user.id, session);
      }
    },
    sessionEnded: (session) => {
      expiry.forget(session);
      signedOut(session);
    },
  });
  // Signing out (or changing the password) reaches live sockets: they become guests.
  accounts.onRevoked((hashes) => {
    const revoked = new Set(hashes);
    for (const session of presence.allSessions()) {
      const account = accountOf(session);
      if (account && revoked.has(account.tokenHash)) {
        endAccount(session, 'revoked');
      }
    }
  });

  return {
    accounts,
    presence,
    calls,
    async authenticateUpgrade(req) {
      // Only sockets that ask for the account get it (`/ws?account=1`): a room tab stays
      // a guest, so calls ring only in tabs that can show them. A socket opened by
      // another site's page stays a guest, whatever cookie it carries.
      if (!wantsAccount(req.url) || !sameOrigin(req.headers)) {
        return undefined;
      }
      const auth = await accounts.authenticate(readSessionCookie(req.headers.cookie));
      if (!auth) {
        return undefined;
      }
      return (session) => {
        attachAccount(session, { user: auth.user, tokenHash: auth.tokenHash });
        expiry.watch(session, auth.expiresAt);
      };
    },
    async close() {
      // Calls end (and both sides hear it) before the sockets and the database go.
      calls.close();
      contacts.close();
      expiry.close();
      await Promise.all([...writes]);
    },
  };
}
