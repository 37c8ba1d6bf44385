import type { CallMedia, CallRecord } from '@parley/protocol';
import type { Database } from '../store/index.js';
import type { CallSnapshot } from './call-engine.js';
import { isMissedFor, outcomeOf, type CallHistoryStore } from './call-history-store.js';

/** End reasons that make an incoming call "missed" (see isMissedFor). */
const MISSED = ['no_answer', 'cancelled', 'unavailable', 'busy', 'failed'];

export class KyselyCallHistoryStore implements CallHistoryStore {
  constructor(private readonly db: Database) {}

  async record(call: CallSnapshot): Promise<void> {
    await this.db
      .insertInto('call_history')
      .values({
        id: call.id,
        caller_id: call.caller.id,
        callee_id: call.callee.id,
        media: call.media,
        created_at: call.createdAt,
        answered_at: call.answeredAt ?? null,
        ended_at: call.endedAt ?? call.createdAt,
        end_reason: call.endReason ?? 'failed',
      })
      .execute();
  }

  private async seenAt(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('call_seen')
      .select('seen_at')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? Number(row.seen_at) : 0;
  }

  async list(userId: string, limit: number): Promise<CallRecord[]> {
    const seenAt = await this.seenAt(userId);
    const rows = await this.db
      .selectFrom('call_history as c')
      .innerJoin('accounts as caller', 'caller.id', 'c.caller_id')
      .innerJoin('accounts as callee', 'callee.id', 'c.callee_id')
      .selectAll('c')
      .select(['caller.username as caller_name', 'callee.username as callee_name'])
      .where((eb) => eb.or([eb('c.caller_id', '=', userId), eb('c.callee_id', '=', userId)]))
      .orderBy('c.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const snap: CallSnapshot = {
        id: r.id,
        caller: { id: r.caller_id, username: r.caller_name },
        callee: { id: r.callee_id, username: r.callee_name },
        media: r.media as CallMedia,
        state: 'ended',
        createdAt: Number(r.created_at),
        endedAt: Number(r.ended_at),
        endReason: r.end_reason as CallSnapshot['endReason'] & string,
        ...(r.answered_at === null ? {} : { answeredAt: Number(r.answered_at) }),
      };
      const outgoing = r.caller_id === userId;
      const missed = isMissedFor(snap, userId);
      return {
        id: r.id,
        direction: outgoing ? 'outgoing' : 'incoming',
        peer: outgoing ? snap.callee : snap.caller,
        media: snap.media,
        outcome: missed ? 'missed' : outcomeOf(snap),
        startedAt: snap.createdAt,
        durationSec:
          snap.answeredAt === undefined
            ? 0
            : Math.max(0, Math.round(((snap.endedAt ?? snap.answeredAt) - snap.answeredAt) / 1000)),
        unseen: missed && snap.createdAt > seenAt,
      };
    });
  }

  async missedUnseen(userId: string): Promise<number> {
    const seenAt = await this.seenAt(userId);
    const row = await this.db
      .selectFrom('call_history')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('callee_id', '=', userId)
      .where('answered_at', 'is', null)
      .where('end_reason', 'in', MISSED)
      .where('created_at', '>', seenAt)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async markSeen(userId: string): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('call_seen')
      .values({ user_id: userId, seen_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ seen_at: now }))
      .execute();
  }
}
