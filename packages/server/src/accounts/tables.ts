import type { Generated } from 'kysely';
import type { Database } from '../store/database.js';

/**
 * Tables of accounts, contacts, direct messages and call history (migrations
 * 0100–0103). bigint columns come back from PostgreSQL as strings: read with Number().
 */
type Millis = number | string;

export interface AccountsTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: Millis;
}
export interface AuthSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}
export interface ContactsTable {
  owner_id: string;
  other_id: string;
  status: string;
  since: Millis;
}
export interface DirectMessagesTable {
  id: Generated<number>;
  from_id: string;
  to_id: string;
  client_id: string;
  text: string;
  sent_at: Millis;
}
export interface DmReadsTable {
  reader_id: string;
  other_id: string;
  last_read_id: number;
}
export interface CallHistoryTable {
  id: string;
  caller_id: string;
  callee_id: string;
  media: string;
  created_at: Millis;
  answered_at: Millis | null;
  ended_at: Millis;
  end_reason: string;
}
export interface CallSeenTable {
  user_id: string;
  seen_at: Millis;
}

export interface DirectTables {
  accounts: AccountsTable;
  auth_sessions: AuthSessionsTable;
  contacts: ContactsTable;
  direct_messages: DirectMessagesTable;
  dm_reads: DmReadsTable;
  call_history: CallHistoryTable;
  call_seen: CallSeenTable;
}

/** The accounts features query the one typed database (store/schema.ts `Tables`). */
export type DirectDb = Database;

/** True for a unique-constraint violation on either back end. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed/i.test(e?.message ?? '')
  );
}
