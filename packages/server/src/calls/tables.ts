/**
 * Tables of call history and when each user last looked at it (migration 0103). bigint
 * columns come back from PostgreSQL as strings: read with Number().
 */
type Millis = number | string;

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

export interface CallTables {
  call_history: CallHistoryTable;
  call_seen: CallSeenTable;
}
