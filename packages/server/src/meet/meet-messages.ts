import type { MeetEndReason, ServerMessageMap } from '@parley/protocol';
import type { MeetPerson } from './meet-directory.js';

type MeetStateMessage = ServerMessageMap['meet-state'];

/** The `meet-state` a person's record says (idle when there is none). */
export function stateMessage(
  p: MeetPerson | undefined,
  extra: { reason?: MeetEndReason; rid?: string | undefined } = {},
): MeetStateMessage {
  const match =
    p && p.state !== 'waiting' && p.matchId && p.room && p.peer && p.joinBy !== undefined
      ? {
          match: {
            matchId: p.matchId,
            room: p.room,
            peer: {
              name: p.peer.name,
              ...(p.peer.language ? { language: p.peer.language } : {}),
              commonInterests: p.peer.commonInterests,
            },
            joinBy: p.joinBy,
          },
        }
      : {};
  return {
    type: 'meet-state',
    state: p?.state ?? 'idle',
    ...match,
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    ...(extra.rid === undefined ? {} : { rid: extra.rid }),
  };
}

/** "About 10 s": the median of the latest waits, or null with nothing to go by. */
export function estimateWait(waits: readonly number[]): number | null {
  if (waits.length === 0) {
    return null;
  }
  const sorted = [...waits].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}
