import type { Generated } from 'kysely';

/**
 * Tables of meet (migration 0104): reports for the operator, and the pairs that must
 * never be matched again (a block, or a report). bigint columns come back from
 * PostgreSQL as strings: read with Number().
 */
type Millis = number | string;

export interface MeetReportsTable {
  id: Generated<number>;
  created_at: Millis;
  match_id: string;
  reason: string;
  /** Optional free text from the reporter (plain text, never rendered as HTML). */
  text: string | null;
  reporter_session: string;
  reported_session: string;
  /** `u:<userId>` or `g:<sessionId>` (see personOf). */
  reporter_person: string;
  reported_person: string;
}

export interface MeetExclusionsTable {
  /** Who asked (blocker, reporter). */
  person_id: string;
  other_id: string;
  kind: string;
  created_at: Millis;
}

export interface MeetTables {
  meet_reports: MeetReportsTable;
  meet_exclusions: MeetExclusionsTable;
}
