import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UserId } from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import { ProtocolError } from '../signaling/protocol-error.js';
import { requireAccount } from '../signaling/session-account.js';
import { HttpError, parseBody, requireUser, type AccountService } from '../accounts/index.js';
import type { ContactService, PresenceService } from '../contacts/index.js';
import type { DmStore } from './dm-store.js';

const HistoryQuery = z.object({
  before: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Direct messages: sent over the WebSocket (acked with `dm-sent`, idempotent on the
 * client's id so an outbox can resend after a reconnect), pushed to every tab of both
 * users, history over HTTP. Only between accepted contacts.
 */
export function registerDmFeature(
  app: FastifyInstance,
  gateway: Gateway,
  deps: {
    store: DmStore;
    contacts: ContactService;
    accounts: AccountService;
    presence: PresenceService;
  },
): void {
  const { store, contacts, presence } = deps;

  gateway.handle('dm-send', async (session, msg) => {
    const me = requireAccount(session);
    if (!(await contacts.canInteract(me.id, msg.to))) {
      throw new ProtocolError('not_contact', 'you can only message your contacts');
    }
    const { message, duplicate } = await store.append({
      from: me.id,
      to: msg.to,
      clientId: msg.clientId,
      text: msg.text,
      sentAt: Date.now(),
    });
    session.send({ type: 'dm-sent', message, ...(msg.rid === undefined ? {} : { rid: msg.rid }) });
    if (!duplicate) {
      const frame = JSON.stringify({ type: 'dm', message });
      presence.toUser(msg.to, frame);
      presence.toUser(me.id, frame);
    }
  });

  gateway.handle('dm-read', async (session, msg) => {
    const me = requireAccount(session);
    await store.markRead(me.id, msg.with, msg.upTo);
    const unread = (await store.unreadCounts(me.id)).get(msg.with) ?? 0;
    const reply = { type: 'dm-unread' as const, with: msg.with, unread };
    session.send({ ...reply, ...(msg.rid === undefined ? {} : { rid: msg.rid }) });
    // The other tabs of the reader clear their badge too.
    presence.toUser(me.id, JSON.stringify(reply), session);
  });

  /** GET /api/dm/:userId?before=<id>&limit=<n>: history with one user, oldest first. */
  app.get('/api/dm/:userId', async (request) => {
    const { user } = await requireUser(deps.accounts, request);
    const { userId } = parseBody(z.object({ userId: UserId }), request.params);
    const q = parseBody(HistoryQuery, request.query);
    // History stays readable after a block or removal, but only for the two people in it.
    if (userId === user.id) {
      throw new HttpError(400, 'bad_message', 'no conversation with yourself');
    }
    const rows = await store.history(user.id, userId, q.before, q.limit + 1);
    const hasMore = rows.length > q.limit;
    return { messages: hasMore ? rows.slice(1) : rows, hasMore };
  });

  contacts.unreadCounter = (userId) => store.unreadCounts(userId);
}
