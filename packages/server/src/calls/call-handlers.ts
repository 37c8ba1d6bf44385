import type { PublicUser } from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import { accountOf, requireAccount } from '../signaling/session-account.js';
import type { Delivery } from '../cluster/delivery.js';
import type { CallEngine } from './call-engine.js';

/** What calls ask of the rest of the server: who a user is, and who may call whom. */
export interface CallPolicy {
  userById(id: string): Promise<PublicUser | undefined>;
  /** True when the two are accepted contacts and neither blocked the other. */
  canInteract(a: string, b: string): Promise<boolean>;
}

/**
 * Direct calls over the WebSocket: every message needs a signed-in session, a call
 * needs an accepted contact, and the engine checks that the sending tab is a party
 * to the call it names (ids from the client are never trusted on their own).
 */
export function registerCallHandlers(
  gateway: Gateway,
  engine: CallEngine,
  delivery: Delivery,
  policy: CallPolicy,
  log: { error(obj: object, msg: string): void },
): void {
  const ref = (session: Session) => delivery.refOf(session);

  gateway.handle('call-invite', async (session, msg) => {
    const me = requireAccount(session);
    const callee = await policy.userById(msg.to);
    // Unknown user, not a contact, blocked: one answer, so a block is not revealed.
    if (!callee || !(await policy.canInteract(me.id, msg.to))) {
      throw new ProtocolError('not_contact', 'you can only call your contacts');
    }
    if (session.state === 'closed') {
      return; // the tab went away while we were looking things up
    }
    await engine.invite(ref(session), me, callee, msg.media, msg.rid);
  });

  gateway.handle('call-accept', (session, msg) =>
    engine.accept(ref(session), requireAccount(session).id, msg.callId, msg.rid),
  );

  gateway.handle('call-rejoin', (session, msg) =>
    engine.rejoin(ref(session), requireAccount(session).id, msg.callId, msg.rid),
  );

  gateway.handle('call-end', (session, msg) =>
    engine.end(ref(session), requireAccount(session).id, msg.callId, msg.rid),
  );

  gateway.handle('call-signal', (session, msg) => {
    const me = requireAccount(session);
    const out = msg.description
      ? { type: 'call-signal' as const, callId: msg.callId, description: msg.description }
      : { type: 'call-signal' as const, callId: msg.callId, candidate: msg.candidate };
    return engine.relay(ref(session), me.id, msg.callId, out);
  });

  gateway.handle('call-media', (session, msg) =>
    engine.mediaChanged(ref(session), requireAccount(session).id, msg.callId, msg.media),
  );

  const logged = (what: string, p: Promise<void>): void => {
    p.catch((err: unknown) => log.error({ err }, `calls: ${what} failed`));
  };
  gateway.addHooks({
    sessionDetached: (session) => {
      const account = accountOf(session);
      if (account) {
        logged('detach', engine.endpointDetached(ref(session), account.user.id));
      }
    },
    sessionResumed: (session) => engine.endpointResumed(ref(session)),
  });
}
