import type { ContactStatus } from '@parley/protocol';

/** One side of a contact relation: how `ownerId` sees `otherId`. */
export interface ContactRow {
  ownerId: string;
  otherId: string;
  status: ContactStatus;
  since: number;
}

/**
 * Contact relations, one row per direction, so that a block stays private to the
 * side that made it. Implemented on the shared database.
 */
export interface ContactStore {
  get(ownerId: string, otherId: string): Promise<ContactStatus | undefined>;
  list(ownerId: string): Promise<ContactRow[]>;
  /** Insert or replace the row (ownerId, otherId). */
  set(row: ContactRow): Promise<void>;
  delete(ownerId: string, otherId: string): Promise<void>;
}
