import type { FastifyInstance } from 'fastify';
import { requireUser, type AccountService } from '../accounts/index.js';
import type { CallHistoryStore } from './call-history-store.js';

/**
 *   GET  /api/calls          my call history (newest first) and the missed-calls badge
 *   POST /api/calls/seen     I looked at it: the badge goes to zero → 204
 */
export function registerCallRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  history: CallHistoryStore,
  limit: number,
  /** The badge changed for this user (their other tabs clear it too). */
  onSeen: (userId: string) => void = () => undefined,
): void {
  app.get('/api/calls', async (request) => {
    const { user } = await requireUser(accounts, request);
    const [calls, missedUnseen] = await Promise.all([
      history.list(user.id, limit),
      history.missedUnseen(user.id),
    ]);
    return { calls, missedUnseen };
  });

  app.post('/api/calls/seen', async (request, reply) => {
    const { user } = await requireUser(accounts, request);
    await history.markSeen(user.id);
    onSeen(user.id);
    return reply.code(204).send();
  });
}
