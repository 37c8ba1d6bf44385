import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ContactRequest, UserId, Username } from '@parley/protocol';
import {
  HttpError,
  parseBody,
  requireUser,
  type AccountService,
  type AttemptLimiter,
} from '../accounts/index.js';
import { ContactError, type ContactService } from './contact-service.js';

const STATUS: Record<ContactError['code'], number> = {
  unknown_user: 404,
  bad_message: 400,
  not_contact: 409,
};

function mapped<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof ContactError) {
      throw new HttpError(STATUS[err.code], err.code, err.message);
    }
    throw err;
  });
}

const ByUsername = z.object({ username: Username });
const ByUserId = z.object({ userId: UserId });

/**
 * Contacts over HTTP (all need the session cookie):
 *   GET    /api/users/:username                 find a user         → {user} | 404
 *   GET    /api/contacts                        my contacts         → {contacts}
 *   POST   /api/contacts/requests {username}    ask / auto-accept   → {contact}
 *   POST   /api/contacts/:userId/accept         accept a request    → {contact}
 *   POST   /api/contacts/:userId/block          block               → {contact}
 *   POST   /api/contacts/:userId/unblock        unblock             → 204
 *   DELETE /api/contacts/:userId                decline / remove    → 204
 */
export function registerContactRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  contacts: ContactService,
  /** Lookups per signed-in user: finding a contact by name is not a way to list every account. */
  lookups: AttemptLimiter,
): void {
  app.get('/api/users/:username', async (request) => {
    const { user } = await requireUser(accounts, request);
    if (!(await lookups.take(user.id))) {
      throw new HttpError(
        429,
        'rate_limited',
        'too many user lookups; wait a minute and try again',
      );
    }
    const { username } = parseBody(ByUsername, request.params);
    return { user: await mapped(contacts.findUser(username)) };
  });

  app.get('/api/contacts', async (request) => {
    const { user } = await requireUser(accounts, request);
    return { contacts: await contacts.list(user.id) };
  });

  app.post('/api/contacts/requests', async (request) => {
    const { user } = await requireUser(accounts, request);
    const { username } = parseBody(ContactRequest, request.body);
    return { contact: await mapped(contacts.request(user, username)) };
  });

  app.post('/api/contacts/:userId/accept', async (request) => {
    const { user } = await requireUser(accounts, request);
    const { userId } = parseBody(ByUserId, request.params);
    return { contact: await mapped(contacts.accept(user, userId)) };
  });

  app.post('/api/contacts/:userId/block', async (request) => {
    const { user } = await requireUser(accounts, request);
    const { userId } = parseBody(ByUserId, request.params);
    return { contact: await mapped(contacts.block(user, userId)) };
  });

  app.post('/api/contacts/:userId/unblock', async (request, reply) => {
    const { user } = await requireUser(accounts, request);
    const { userId } = parseBody(ByUserId, request.params);
    await mapped(contacts.unblock(user, userId));
    return reply.code(204).send();
  });

  app.delete('/api/contacts/:userId', async (request, reply) => {
    const { user } = await requireUser(accounts, request);
    const { userId } = parseBody(ByUserId, request.params);
    await mapped(contacts.remove(user, userId));
    return reply.code(204).send();
  });
}
