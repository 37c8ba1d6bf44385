import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError } from '../signaling/protocol-error.js';
import type { Session } from '../signaling/session.js';
import type { AccountStore } from '../accounts/account-store.js';
import { publicUser } from '../accounts/account-service.js';
import { requireAccount } from '../accounts/ws-account.js';
import type { ContactService } from '../contacts/contact-service.js';
import type { CallEngine } from './call-engine.js';

/**
 * Direct calls over the WebSocket: every message needs a signed-in session, a call
 * needs an accepted contact, and the engine checks that the sending tab is a party
 * to the call it names (ids from the client are never trusted on their own).
 */
export function registerCallHandlers(
  gateway: Gateway,
  engine: CallEngine,
  contacts: ContactService,
  accounts: AccountStore,
): void {
  gateway.handle('call-invite', async (session, msg) => {
    const me = requireAccount(session);
    const callee = await accounts.byId(msg.to);
    // Unknown user, not a contact, blocked: one answer, so a block is not revealed.
    if (!callee || !(await contacts.canInteract(me.id, msg.to))) {
      throw new ProtocolError('not_contact', 'you can only call your contacts');
    }
    if (session.state === 'closed') {
      return; // the tab went away while we were looking things up
    }
    engine.invite(session, me, publicUser(callee), msg.media, msg.rid);
  });

  gateway.handle('call-accept', (session, msg) => {
    engine.accept(session, requireAccount(session).id, msg.callId, msg.rid);
  });

  gateway.handle('call-end', (session, msg) => {
    engine.end(session, requireAccount(session).id, msg.callId, msg.rid);
  });

  gateway.handle('call-signal', (session, msg) => {
    const me = requireAccount(session);
    const out = msg.description
      ? { type: 'call-signal' as const, callId: msg.callId, description: msg.description }
      : { type: 'call-signal' as const, callId: msg.callId, candidate: msg.candidate };
    engine.relay(session, me.id, msg.callId, out);
  });

  gateway.handle('call-media', (session, msg) => {
    engine.mediaChanged(session, requireAccount(session).id, msg.callId, msg.media);
  });

  gateway.addHooks({
    sessionDetached: (session: Session) => engine.endpointDetached(session),
    sessionResumed: (session: Session) => engine.endpointResumed(session),
    sessionEnded: (session: Session) => engine.endpointRemoved(session),
  });
}
