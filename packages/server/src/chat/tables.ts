import type { Generated } from 'kysely';

/** The room chat table (migration 0001). */

/** A chat message as stored (column names are snake_case on both back ends). */
export interface ChatMessagesTable {
  /** Global insertion order; the paging cursor. */
  seq: Generated<number>;
  /** Server-chosen public id. */
  id: string;
  room: string;
  /** The sender's own id for the message: a resend with the same one is stored once. */
  client_id: string;
  /** Peer id of the sender's seat when it was sent (stamped by the server). */
  sender_id: string;
  sender_name: string;
  text: string;
  /** Server time, ms since epoch. PostgreSQL returns bigint as a string: read with Number(). */
  created_at: number | string;
}

export interface ChatTables {
  chat_messages: ChatMessagesTable;
}
