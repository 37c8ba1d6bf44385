import type { Generated } from 'kysely';

/**
 * Tables of direct messages and how far each reader has read (migration 0102). bigint
 * columns come back from PostgreSQL as strings: read with Number().
 */
type Millis = number | string;

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

export interface DmTables {
  direct_messages: DirectMessagesTable;
  dm_reads: DmReadsTable;
}
