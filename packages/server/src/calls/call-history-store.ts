import type { CallRecord } from '@parley/protocol';
import type { CallSnapshot } from './call-engine.js';

/** Ended calls, kept for history and the missed-calls badge. */
export interface CallHistoryStore {
  record(call: CallSnapshot): Promise<void>;
  /** The user's calls, newest first. */
  list(userId: string, limit: number): Promise<CallRecord[]>;
  /** Incoming calls the user missed and has not looked at. */
  missedUnseen(userId: string): Promise<number>;
  /** The user looked at their history: the badge goes to zero. */
  markSeen(userId: string): Promise<void>;
}

/** How an ended call reads in history, from the side of `userId`. */
export function outcomeOf(call: CallSnapshot): CallRecord['outcome'] {
  if (call.answeredAt !== undefined) {
    return 'answered';
  }
  switch (call.endReason) {
    case 'declined':
      return 'declined';
    case 'cancelled':
      return 'cancelled';
    case 'busy':
      return 'busy';
    case 'unavailable':
      return 'unavailable';
    case 'no_answer':
      return 'missed';
    default:
      return 'failed';
  }
}

/** An incoming call counts as missed when it rang (or could not) and nobody answered. */
export function isMissedFor(call: CallSnapshot, userId: string): boolean {
  return (
    call.callee.id === userId &&
    call.answeredAt === undefined &&
    ['no_answer', 'cancelled', 'unavailable', 'busy', 'failed'].includes(call.endReason ?? '')
  );
}
