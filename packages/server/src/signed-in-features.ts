import type { FastifyInstance } from 'fastify';
import type { CallEndReason } from '@parley/protocol';
import type { Config } from './config.js';
import type { Gateway } from './signaling/gateway.js';
import type { IceServerProvider } from './ice/ice-servers.js';
import type { Delivery } from './cluster/delivery.js';
import type { ClusterState } from './cluster/cluster-setup.js';
import { KyselyKnownDeviceStore } from './accounts/known-devices.js';
import { topics, type BusHandler } from './cluster/bus.js';
import type { Database } from './store/index.js';
import type { Logger } from './logger.js';
import type { Session } from './signaling/session.js';
import {
  AccountService,
  HttpError,
  KyselyAccountStore,
  KyselySessionStore,
  SocketAccounts,
  apiErrorHandler,
  publicUser,
  registerAccountRoutes,
  sameOrigin,
} from './accounts/index.js';
import {
  ContactService,
  KyselyContactStore,
  PresenceService,
  registerContactRoutes,
} from './contacts/index.js';
import {
  CallEngine,
  KyselyCallHistoryStore,
  isMissedFor,
  registerCallHandlers,
  registerCallRoutes,
  CALL_HANDOVER,
  type CallHandover,
} from './calls/index.js';
import { KyselyDmStore, registerDmFeature } from './dm/index.js';

/**
 * The composition root's second half (called by app.ts only): accounts, contacts with
 * presence, direct messages and ringing calls, wired to the database, the shared
 * directories and the bus.
 */
/** The features of signed-in users, as the server holds them. */
export interface SignedInFeatures {
  readonly accounts: AccountService;
  readonly presence: PresenceService;
  readonly contacts: ContactService;
  readonly calls: CallEngine;
  readonly sockets: SocketAccounts;
  /** End this node's live calls (both sides are told) and wait for their history. */
  close(): Promise<void>;
}

/**
 * Accounts, contacts with presence, direct messages and ringing calls: the services on
 * the shared database and directories, their HTTP routes (in their own Fastify scope,
 * with their own error handler) and their WebSocket handlers.
 */
export async function wireSignedInFeatures(
  app: FastifyInstance,
  gateway: Gateway,
  config: Config,
  deps: {
    ice: IceServerProvider;
    db: Database;
    shared: ClusterState;
    delivery: Delivery;
    log: Logger;
    /** Told how each call ended (metrics). */
    onCallEnded: (reason: CallEndReason | 'unknown') => void;
  },
): Promise<SignedInFeatures> {
  const { db, shared, delivery, log, ice } = deps;
  const windowMs = config.signInWindowSec * 1000;
  const accounts = new AccountService(new KyselyAccountStore(db), new KyselySessionStore(db), {
    scrypt: { log2N: config.scryptCost, r: 8, p: 1 },
    sessionTtlMs: config.sessionTtlHours * 3_600_000,
    perIp: shared.limiter('signin-ip', config.signInMaxPerIp, windowMs),
    perAccount: shared.limiter('signin-account', config.signInMaxPerAccount, windowMs),
    perAccountTotal: shared.limiter(
      'signin-account-total',
      config.signInMaxPerAccountTotal,
      windowMs,
    ),
    devices: new KyselyKnownDeviceStore(db),
    registrations: shared.limiter('register-ip', config.registerMaxPerIp, windowMs),
  });
  const presence = new PresenceService(shared.presence, delivery);
  const contacts = new ContactService(new KyselyContactStore(db), accounts.accounts, presence);
  const history = new KyselyCallHistoryStore(db);
  /** History writes in flight, awaited at shutdown so none is cut off by the database closing. */
  const writes = new Set<Promise<void>>();
  const logged = (what: string, p: Promise<unknown>): void => {
    p.catch((err: unknown) => log.error({ err }, what));
  };
  /** Tell every tab of a user their missed-calls badge (once history has the call). */
  const pushMissed = async (userId: string): Promise<void> => {
    const missedUnseen = await history.missedUnseen(userId);
    presence.toUser(userId, JSON.stringify({ type: 'calls-missed', missedUnseen }));
  };
  const calls = new CallEngine(
    shared.calls,
    {
      nodeId: shared.cluster.nodeId,
      ringTimeoutMs: config.callRingTimeoutMs,
      dropGraceMs: config.callDropGraceMs,
      endpointsOf: (userId) => presence.tabsOf(userId),
      send: (to, message) => delivery.toSession(to, JSON.stringify(message)),
      iceFor: (ep) => ice.grant(ep.sessionId),
      handOver: (handover) =>
        shared.cluster.bus.publish(topics.all, {
          kind: 'event',
          name: CALL_HANDOVER,
          data: handover,
        }),
    },
    {
      ended: (call) => {
        deps.onCallEnded(call.endReason ?? 'unknown');
        const write = history
          .record(call)
          .then(() => (isMissedFor(call, call.callee.id) ? pushMissed(call.callee.id) : undefined))
          .catch((err: unknown) => log.error({ err }, 'call history'))
          .finally(() => writes.delete(write));
        writes.add(write);
      },
      inCall: (userId, inCall) => logged('presence', presence.setInCall(userId, inCall)),
    },
  );
  contacts.onSeparated = (a, b) => logged('calls: end between', calls.endBetween(a, b));
  const onHandover: BusHandler = (m) => {
    if (m.kind === 'event' && m.name === CALL_HANDOVER) {
      calls.watchHandover(m.data as CallHandover);
    }
  };
  await shared.cluster.bus.subscribe(topics.all, onHandover);

  await app.register(async (scope) => {
    apiErrorHandler(scope);
    scope.addHook('onRequest', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request.headers)) {
        throw new HttpError(403, 'forbidden', 'this request came from another site');
      }
    });
    registerAccountRoutes(scope, accounts, config.sessionTtlHours * 3600);
    registerContactRoutes(
      scope,
      accounts,
      contacts,
      shared.limiter('user-lookup', config.userLookupsPerMinute, 60_000),
    );
    registerCallRoutes(scope, accounts, history, 100, (userId) =>
      logged('calls', pushMissed(userId)),
    );
    registerDmFeature(scope, gateway, {
      store: new KyselyDmStore(db),
      contacts,
      accounts,
      presence,
    });
  });
  registerCallHandlers(
    gateway,
    calls,
    delivery,
    {
      userById: async (id) => {
        const account = await accounts.accounts.byId(id);
        return account && publicUser(account);
      },
      canInteract: (a, b) => contacts.canInteract(a, b),
    },
    log,
  );

  // A tab's sign-in and sign-out run in order, whatever each waits for. Sign-out errors
  // are logged here; a sign-in error fails the tab's start (it is told to try again).
  // Shutting down waits for the steps in flight: a tab that just moved away must be
  // marked as moving before the calls of this node are settled.
  const order = new WeakMap<Session, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const inOrder = (session: Session, step: () => Promise<void>): Promise<void> => {
    const run = (order.get(session) ?? Promise.resolve()).then(step);
    const settled = run.catch(() => undefined);
    order.set(session, settled);
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return run;
  };
  const sockets = new SocketAccounts(
    accounts,
    shared.cluster,
    delivery,
    {
      signedIn: (session, { user }) =>
        inOrder(session, async () => {
          await presence.add(user.id, session);
          await calls.endpointAdded(user.id, delivery.refOf(session));
        }),
      signedOut: (session, { user }) =>
        inOrder(session, async () => {
          // A tab moving to another node (drain) may take its call along: see rejoin.
          await (session.moving && session.state === 'closed'
            ? calls.endpointMoving(delivery.refOf(session), user.id)
            : calls.endpointRemoved(delivery.refOf(session), user.id));
          await presence.remove(user.id, session);
        }).catch((err: unknown) => {
          log.error({ err, session: session.id }, 'sign-out of a tab');
        }),
    },
    gateway,
  );
  await sockets.start();

  return {
    accounts,
    presence,
    contacts,
    calls,
    sockets,
    async close() {
      await Promise.all([...inFlight]);
      shared.cluster.bus.unsubscribe(topics.all, onHandover);
      // Calls end (and both sides hear it) before the sockets and the database go.
      await calls.close();
      contacts.close();
      sockets.close();
      await Promise.all([...writes]);
    },
  };
}
