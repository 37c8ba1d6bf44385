import type { Selectable } from 'kysely';
import type { Database } from '../store/index.js';
import type { ChatMessagesTable } from './tables.js';

/** A stored chat message, as features see it. */
export interface StoredChatMessage {
  /** Cursor: increases with every message stored (across rooms). */
  seq: number;
  id: string;
  room: string;
  clientId: string;
  senderId: string;
  senderName: string;
  text: string;
  /** Server time, ms since epoch. */
  createdAt: number;
}

export type NewChatMessage = Omit<StoredChatMessage, 'seq'>;

/** One page of a room's history, oldest first. */
export interface ChatPage {
  messages: StoredChatMessage[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
}

export interface HistoryQuery {
  /** Messages older than this cursor (latest first when neither cursor is given). */
  beforeSeq?: number;
  /** Messages newer than this cursor, oldest first (catch-up after a reconnect). */
  afterSeq?: number;
  limit: number;
}

export interface RetentionPolicy {
  /** Delete messages older than this many ms (0: keep). */
  maxAgeMs: number;
  /** Keep at most this many messages per room (0: no cap). */
  maxMessages: number;
}

/** Where room chat is kept. One Kysely implementation serves SQLite and PostgreSQL. */
export interface ChatStore {
  /**
   * Store a message unless the room already has one with this `clientId`; either way
   * return the stored row. `created` is false for a resend.
   */
  append(message: NewChatMessage): Promise<{ message: StoredChatMessage; created: boolean }>;
  /** A page of `room`'s history, oldest first within the page. */
  history(room: string, query: HistoryQuery): Promise<ChatPage>;
  /** Apply a retention policy to one room; returns how many messages were deleted. */
  prune(room: string, policy: RetentionPolicy, now?: number): Promise<number>;
  /** Delete messages created before `cutoff` in every room but `exceptRooms`. */
  pruneExpired(cutoff: number, exceptRooms: readonly string[]): Promise<number>;
}

function toMessage(row: Selectable<ChatMessagesTable>): StoredChatMessage {
  return {
    seq: Number(row.seq),
    id: row.id,
    room: row.room,
    clientId: row.client_id,
    senderId: row.sender_id,
    senderName: row.sender_name,
    text: row.text,
    createdAt: Number(row.created_at),
  };
}

export class KyselyChatStore implements ChatStore {
  constructor(private readonly db: Database) {}

  async append(m: NewChatMessage): Promise<{ message: StoredChatMessage; created: boolean }> {
    const inserted = await this.db
      .insertInto('chat_messages')
      .values({
        id: m.id,
        room: m.room,
        client_id: m.clientId,
        sender_id: m.senderId,
        sender_name: m.senderName,
        text: m.text,
        created_at: m.createdAt,
      })
      // The unique (room, client_id) index makes a resend a no-op, even when two
      // copies race each other on two connections.
      .onConflict((oc) => oc.columns(['room', 'client_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      return { message: toMessage(inserted), created: true };
    }
    const existing = await this.db
      .selectFrom('chat_messages')
      .selectAll()
      .where('room', '=', m.room)
      .where('client_id', '=', m.clientId)
      .executeTakeFirstOrThrow();
    return { message: toMessage(existing), created: false };
  }

  async history(room: string, q: HistoryQuery): Promise<ChatPage> {
    const limit = Math.max(1, Math.floor(q.limit));
    let query = this.db.selectFrom('chat_messages').selectAll().where('room', '=', room);
    if (q.afterSeq !== undefined) {
      const rows = await query
        .where('seq', '>', q.afterSeq)
        .orderBy('seq', 'asc')
        .limit(limit + 1)
        .execute();
      return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
    }
    if (q.beforeSeq !== undefined) {
      query = query.where('seq', '<', q.beforeSeq);
    }
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    return {
      messages: rows.slice(0, limit).reverse().map(toMessage),
      hasMore: rows.length > limit,
    };
  }

  async pruneExpired(cutoff: number, exceptRooms: readonly string[]): Promise<number> {
    let query = this.db.deleteFrom('chat_messages').where('created_at', '<', cutoff);
    if (exceptRooms.length > 0) {
      query = query.where('room', 'not in', [...exceptRooms]);
    }
    const r = await query.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async prune(room: string, policy: RetentionPolicy, now = Date.now()): Promise<number> {
    let deleted = 0;
    if (policy.maxAgeMs > 0) {
      const r = await this.db
        .deleteFrom('chat_messages')
        .where('room', '=', room)
        .where('created_at', '<', now - policy.maxAgeMs)
        .executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
    if (policy.maxMessages > 0) {
      // The newest message that falls outside the cap; everything up to it goes.
      const cut = await this.db
        .selectFrom('chat_messages')
        .select('seq')
        .where('room', '=', room)
        .orderBy('seq', 'desc')
        .offset(policy.maxMessages)
        .limit(1)
        .executeTakeFirst();
      if (cut) {
        const r = await this.db
          .deleteFrom('chat_messages')
          .where('room', '=', room)
          .where('seq', '<=', Number(cut.seq))
          .executeTakeFirst();
        deleted += Number(r.numDeletedRows);
      }
    }
    return deleted;
  }
}
