import type { DirectMessage } from '@parley/protocol';

/** Direct messages between two users, and how far each has read. */
export interface DmStore {
  /**
   * Store a message. Idempotent on (from, clientId): a retried send returns the
   * message stored the first time, so an outbox can resend safely.
   */
  append(
    message: Omit<DirectMessage, 'id'>,
  ): Promise<{ message: DirectMessage; duplicate: boolean }>;
  /** Up to `limit` messages between a and b with id < `before`, oldest first. */
  history(
    a: string,
    b: string,
    before: number | undefined,
    limit: number,
  ): Promise<DirectMessage[]>;
  /** `reader` has read everything from `other` up to message id `upTo`. */
  markRead(reader: string, other: string, upTo: number): Promise<void>;
  /** Unread messages per sender, for `reader`. */
  unreadCounts(reader: string): Promise<Map<string, number>>;
}
