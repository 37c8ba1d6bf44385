/**
 * The contacts table (migration 0101). bigint columns come back from PostgreSQL as
 * strings: read with Number().
 */
type Millis = number | string;

export interface ContactsTable {
  owner_id: string;
  other_id: string;
  status: string;
  since: Millis;
}

export interface ContactTables {
  contacts: ContactsTable;
}
